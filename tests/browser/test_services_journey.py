"""The services market in a real browser: a seller publishes a service with two upgrades, a moderator
approves it, a buyer finds it by an Arabic search, and the service page's total follows the upgrades
and the quantity; the confirmation shows the same total and the balance."""

import io
import re

import pytest
from PIL import Image

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import UserFactory, verify_email
from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import load_catalog
from mostaql.gigs.models import Service
from tests.browser.support import PHONE, ar, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "سأصمم لك شعاراً احترافياً لمتجر إلكتروني"
DESCRIPTION = (
    "ثلاثة نماذج مختلفة لشعار متجرك، تختار منها واحداً وأعدّله حتى يرضيك، ثم تستلمه بصيغ الطباعة "
    "والويب بخلفية شفافة."
)
INSTRUCTIONS = "أرسل اسم المتجر ومجاله والألوان التي تفضلها."
# No hamza, a plural and no "ال": the normalised search still finds the title.
QUERY = "شعارات متجر الكتروني"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (124, 58, 237)).save(buffer, format="PNG")
    return buffer.getvalue()


def _person(name: str, email: str, role: str, **extra) -> User:
    user = UserFactory(name=name, email=email, primary_role=role, **extra)
    verify_email(user)
    return user


def test_seller_publishes_moderator_approves_buyer_finds_and_prices_with_upgrades(open_context):
    load_catalog(Category, Skill)
    seller = _person("ليلى الشامي", "layla@example.com", User.Role.FREELANCER)
    moderator = _person("مشرف المنصة", "moderator@example.com", User.Role.CLIENT, is_staff=True)
    buyer = _person("سارة العتيبي", "sara@example.com", User.Role.CLIENT)
    logo, brand = Skill.objects.get(slug="logo-design"), Skill.objects.get(slug="brand-identity")

    # The seller publishes, with two upgrades, and sees the net after commission.
    page = open_context()
    log_in(page, seller)
    page.goto("/services/new/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=description]", DESCRIPTION)
    page.select_option("select[name=category]", str(logo.category_id))
    page.check(f"input[name=skills][value='{logo.pk}']")
    page.check(f"input[name=skills][value='{brand.pk}']")
    page.fill("input[name=price]", "10")
    page.locator("#service-net", has_text="$8.00").wait_for()
    page.fill("input[name=delivery_days]", "2")
    page.fill("input[name=max_quantity]", "3")
    page.fill("textarea[name=instructions]", INSTRUCTIONS)
    page.fill("input[name=upgrade_1_title]", "ملفات المصدر المفتوحة")
    page.fill("input[name=upgrade_1_price]", "15")
    page.fill("input[name=upgrade_1_days]", "1")
    page.fill("input[name=upgrade_2_title]", "تسليم سريع")
    page.fill("input[name=upgrade_2_price]", "5")
    page.set_input_files(
        "input[name=images]", {"name": "logo.png", "mimeType": "image/png", "buffer": _png()}
    )
    shot(page, "services_journey-1-form")
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_url(re.compile(r"/services/\d+/$"))
    assert ar("Your service was received and will be published after review.") in page.inner_text(
        ".message-success"
    )
    service = Service.objects.get(title=TITLE)
    assert service.status == Service.Status.PENDING and service.upgrades.count() == 2

    # A buyer does not find it yet.
    buyer_page = open_context()
    buyer_page.goto(f"/services/?q={QUERY}")
    assert TITLE not in buyer_page.inner_text("main")

    # The moderator approves it from the queue beside the projects' queue.
    staff_page = open_context()
    log_in(staff_page, moderator)
    staff_page.goto("/staff/services/")
    assert TITLE in staff_page.inner_text("main")
    shot(staff_page, "services_journey-2-moderation")
    staff_page.click(f"form[action='/staff/services/{service.pk}/approve/'] button")
    staff_page.wait_for_url("**/staff/services/")
    service.refresh_from_db()
    assert service.status == Service.Status.APPROVED

    # The buyer finds it by an Arabic search.
    log_in(buyer_page, buyer)
    buyer_page.goto("/services/")
    buyer_page.fill("input#q", QUERY)
    buyer_page.click("form.filters button[type=submit]")
    buyer_page.wait_for_url(re.compile(r"/services/\?"))
    assert TITLE in buyer_page.inner_text("main")
    shot(buyer_page, "services_journey-3-search")
    buyer_page.click(f"a[href='/services/{service.pk}/'] >> nth=1")
    buyer_page.wait_for_url(f"**/services/{service.pk}/")

    # The total follows the upgrades and the quantity.
    total = buyer_page.locator("[data-total-amount]")
    assert total.inner_text() == "$10.00"
    upgrades = buyer_page.locator("input[name=upgrades]")
    upgrades.nth(0).check()
    assert total.inner_text() == "$25.00"
    upgrades.nth(1).check()
    assert total.inner_text() == "$30.00"
    buyer_page.select_option("select[name=quantity]", "2")
    assert total.inner_text() == "$40.00"
    assert re.match(r"\d{4}-\d{2}-\d{2}", buyer_page.inner_text("[data-due-date]"))
    shot(buyer_page, "services_journey-4-service-page")
    buyer_page.set_viewport_size(PHONE)
    shot(buyer_page, "services_journey-4-service-page-phone")
    buyer_page.set_viewport_size({"width": 1280, "height": 900})

    # The confirmation shows the same total, computed by the server, and the balance short of it.
    buyer_page.click("form[data-order-form] button[type=submit]")
    buyer_page.wait_for_url(re.compile(rf"/services/{service.pk}/order/\?"))
    assert "$40.00" in buyer_page.inner_text("main")
    assert ar("Add funds to order") in buyer_page.inner_text("main form button")
    shot(buyer_page, "services_journey-5-confirm")

"""A service order in a real browser, from the seller's publication to the seller's cleared earning:
a seller publishes a service with two upgrades, a moderator approves it, a buyer finds it by an Arabic
search, orders it with both upgrades, answers the requirements, the seller delivers, the buyer accepts
and reviews, and the seller's earning clears. The order page and the dashboards are shot at 1280 and 390."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from PIL import Image

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import UserFactory, verify_email
from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import load_catalog
from mostaql.contracts.models import Contract
from mostaql.gigs.models import Service
from mostaql.reviews.models import Review
from mostaql.wallet import ledger
from mostaql.wallet import services as wallet_services
from mostaql.wallet.tests.factories import give_available_funds
from tests.browser.support import PHONE, ar, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "سأصمم لك هوية بصرية كاملة لمقهى"
DESCRIPTION = "شعار وألوان وخطوط وبطاقات عمل وقائمة طعام لمقهاك، بملفات جاهزة للطباعة والنشر على الإنترنت."
INSTRUCTIONS = "أرسل اسم المقهى وطابعه والألوان التي تحبها."
QUERY = "هويه بصريه مقاهي"  # no ta marbuta, a plural: the normalised search still finds it
REQUIREMENTS = "اسم المقهى «فنجان»، طابعه هادئ، وأحب البني والأخضر الزيتي."
DELIVERY = "أرفقت الهوية كاملة: الشعار والألوان والخطوط، مع ملف الطباعة."
REVIEW = "عمل جميل ومتقن وصل قبل موعده، أنصح بهذه الخدمة."


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (120, 80, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _person(name: str, email: str, role: str, **extra) -> User:
    user = UserFactory(name=name, email=email, primary_role=role, **extra)
    verify_email(user)
    return user


def test_an_order_from_publication_to_the_cleared_earning(open_context, settings):
    settings.SANDBOX_GATEWAY_ENABLED = True
    load_catalog(Category, Skill)
    seller = _person("ليلى الشامي", "layla@example.com", User.Role.FREELANCER)
    moderator = _person("مشرف المنصة", "moderator@example.com", User.Role.CLIENT, is_staff=True)
    buyer = _person("سارة العتيبي", "sara@example.com", User.Role.CLIENT)
    give_available_funds(buyer, 10_000)
    logo, brand = Skill.objects.get(slug="logo-design"), Skill.objects.get(slug="brand-identity")

    # The seller publishes a service with two upgrades.
    seller_page = open_context()
    log_in(seller_page, seller)
    seller_page.goto("/services/new/")
    seller_page.fill("input[name=title]", TITLE)
    seller_page.fill("textarea[name=description]", DESCRIPTION)
    seller_page.select_option("select[name=category]", str(logo.category_id))
    seller_page.check(f"input[name=skills][value='{logo.pk}']")
    seller_page.check(f"input[name=skills][value='{brand.pk}']")
    seller_page.fill("input[name=price]", "20")
    seller_page.fill("input[name=delivery_days]", "3")
    seller_page.fill("input[name=max_quantity]", "1")
    seller_page.fill("textarea[name=instructions]", INSTRUCTIONS)
    seller_page.fill("input[name=upgrade_1_title]", "ملفات المصدر المفتوحة")
    seller_page.fill("input[name=upgrade_1_price]", "15")
    seller_page.fill("input[name=upgrade_1_days]", "1")
    seller_page.fill("input[name=upgrade_2_title]", "تصميم قائمة الطعام")
    seller_page.fill("input[name=upgrade_2_price]", "10")
    seller_page.fill("input[name=upgrade_2_days]", "1")
    seller_page.set_input_files(
        "input[name=images]", {"name": "cafe.png", "mimeType": "image/png", "buffer": _png()}
    )
    seller_page.click("form.stacked-form button[type=submit]")
    seller_page.wait_for_url(re.compile(r"/services/\d+/$"))
    service = Service.objects.get(title=TITLE)

    # A moderator approves it.
    staff_page = open_context()
    log_in(staff_page, moderator)
    staff_page.goto("/staff/services/")
    staff_page.click(f"form[action='/staff/services/{service.pk}/approve/'] button")
    staff_page.wait_for_url("**/staff/services/")

    # The buyer finds it by an Arabic search and orders it with both upgrades: $20 + $15 + $10.
    buyer_page = open_context()
    log_in(buyer_page, buyer)
    buyer_page.goto("/services/")
    buyer_page.fill("input#q", QUERY)
    buyer_page.click("form.filters button[type=submit]")
    buyer_page.wait_for_url(re.compile(r"/services/\?"))
    assert TITLE in buyer_page.inner_text("main")
    buyer_page.goto(f"/services/{service.pk}/")
    buyer_page.locator("input[name=upgrades]").nth(0).check()
    buyer_page.locator("input[name=upgrades]").nth(1).check()
    assert buyer_page.locator("[data-total-amount]").inner_text() == "$45.00"
    buyer_page.click("form[data-order-form] button[type=submit]")
    buyer_page.wait_for_url(re.compile(rf"/services/{service.pk}/order/\?"))
    buyer_page.click("main form button[type=submit]")
    buyer_page.wait_for_url(re.compile(r"/contracts/\d+/$"))
    contract = Contract.objects.get(origin=Contract.Origin.ORDER, client=buyer)
    assert contract.amount_cents == 4_500 and contract.status == Contract.Status.AWAITING_REQUIREMENTS
    assert INSTRUCTIONS in buyer_page.inner_text("#requirements")
    shot(buyer_page, "order_journey-1-requirements")

    # The buyer answers the requirements: the seller's clock starts.
    buyer_page.fill("#requirements_text", REQUIREMENTS)
    buyer_page.click("#requirements button[type=submit]")
    buyer_page.wait_for_url(f"**/contracts/{contract.pk}/")
    assert ar("Your requirements were sent: the seller's clock starts now.") in buyer_page.inner_text(
        ".message-success"
    )
    buyer_page.fill("#message_body", "شكراً، أنتظر النماذج الأولى.")
    buyer_page.click("#thread button[type=submit]")
    buyer_page.wait_for_url(f"**/contracts/{contract.pk}/#thread")

    # The seller sees the requirements and the message on the order page, with the deadline, and delivers.
    seller_page.goto(f"/orders/{contract.pk}/")
    seller_page.wait_for_url(f"**/contracts/{contract.pk}/")
    assert REQUIREMENTS in seller_page.inner_text("#requirements")
    assert "أنتظر النماذج الأولى" in seller_page.inner_text("#thread")
    assert ar("due in %(time)s").split("%")[0].strip() in seller_page.inner_text("#order")
    shot(seller_page, "order_journey-2-seller")
    seller_page.set_viewport_size(PHONE)
    shot(seller_page, "order_journey-2-seller-phone")
    seller_page.set_viewport_size({"width": 1280, "height": 900})
    seller_page.fill("#deliver textarea[name=message]", DELIVERY)
    seller_page.click("#deliver button[type=submit]")
    seller_page.wait_for_url(f"**/contracts/{contract.pk}/")
    seller_page.goto("/dashboard/")
    assert TITLE in seller_page.inner_text("#orders-selling")
    shot(seller_page, "order_journey-3-seller-dashboard")
    seller_page.set_viewport_size(PHONE)
    shot(seller_page, "order_journey-3-seller-dashboard-phone")

    # The buyer accepts (after the confirmation step) and reviews the order with one overall mark.
    buyer_page.goto(f"/contracts/{contract.pk}/")
    assert DELIVERY in buyer_page.inner_text("main")
    buyer_page.click(f"form[action='/contracts/{contract.pk}/accept/'] button")
    buyer_page.click("main form button[type=submit]")  # the confirmation
    buyer_page.wait_for_url(f"**/contracts/{contract.pk}/")
    buyer_page.goto(f"/contracts/{contract.pk}/review/")
    buyer_page.check("input[name=overall][value='5']", force=True)
    buyer_page.fill("textarea[name=comment]", REVIEW)
    buyer_page.click("main form button[type=submit]")
    buyer_page.wait_for_url(f"**/contracts/{contract.pk}/review/")
    review = Review.objects.get(contract=contract, author=buyer)
    assert review.rating == 5
    buyer_page.goto("/dashboard/")
    assert TITLE in buyer_page.inner_text("#orders-buying")
    shot(buyer_page, "order_journey-4-buyer-dashboard")

    # The seller's earning ($45 less 20%) clears after the clearance period.
    assert wallet_services.balances(seller)["pending"] == 3_600
    wallet_services.clear_due_earnings(
        now=timezone.now() + datetime.timedelta(days=settings.CLEARANCE_DAYS, hours=1)
    )
    assert wallet_services.balances(seller)["available"] == 3_600
    assert ledger.audit().is_clean

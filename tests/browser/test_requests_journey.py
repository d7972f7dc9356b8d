"""Buyer requests in a real browser: a buyer posts a request, a moderator approves it from the services'
queue, a seller answers it with a published service, and the buyer compares the answer and orders it:
the order's contract page."""

import re

import pytest

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import UserFactory, verify_email
from mostaql.briefs.models import Brief
from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import load_catalog
from mostaql.gigs.models import Order
from mostaql.gigs.tests.factories import approved_service
from mostaql.wallet.tests.factories import give_available_funds
from tests.browser.support import PHONE, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "أحتاج شعاراً لمتجر قهوة مختصة"
DESCRIPTION = "متجر قهوة صغير يفتتح قريباً، أريد شعاراً بسيطاً بلونين يصلح للأكواب واللافتة والموقع."
NOTE = "صممت شعارات لعدة مقاهٍ، وأسلمك ثلاثة نماذج خلال يومين."


def _person(name: str, email: str, role: str, **extra) -> User:
    user = UserFactory(name=name, email=email, primary_role=role, **extra)
    verify_email(user)
    return user


def test_buyer_posts_moderator_approves_seller_answers_buyer_orders(open_context):
    load_catalog(Category, Skill)
    buyer = _person("سارة العتيبي", "sara@example.com", User.Role.CLIENT)
    moderator = _person("مشرف المنصة", "moderator@example.com", User.Role.CLIENT, is_staff=True)
    seller = _person("ليلى الشامي", "layla@example.com", User.Role.FREELANCER)
    service = approved_service(seller, price_cents=1500)
    design = Category.objects.get(slug="design")

    # The buyer comes from the services list's link and posts a request.
    buyer_page = open_context()
    log_in(buyer_page, buyer)
    buyer_page.goto("/services/")
    buyer_page.click("a[href='/requests/new/']")
    buyer_page.wait_for_url("**/requests/new/")
    assert buyer_page.locator("html").get_attribute("dir") == "rtl"
    buyer_page.fill("input[name=title]", TITLE)
    buyer_page.fill("textarea[name=description]", DESCRIPTION)
    buyer_page.select_option("select[name=category]", str(design.pk))
    buyer_page.fill("input[name=budget]", "٦٠")
    buyer_page.fill("input[name=delivery_days]", "5")
    shot(buyer_page, "requests_journey-1-form")
    buyer_page.click("form.stacked-form button[type=submit]")
    buyer_page.wait_for_url(re.compile(r"/requests/\d+/$"))
    brief = Brief.objects.get()
    assert brief.status == Brief.Status.PENDING and brief.budget_cents == 6000

    # The moderator approves it in the services' queue.
    staff_page = open_context()
    log_in(staff_page, moderator)
    staff_page.goto("/staff/services/")
    shot(staff_page, "requests_journey-2-moderation")
    staff_page.click(f"form[action='/staff/requests/{brief.pk}/approve/'] button")
    staff_page.wait_for_url("**/staff/services/")
    brief.refresh_from_db()
    assert brief.status == Brief.Status.OPEN

    # The seller finds it in the list and answers with the service.
    seller_page = open_context()
    log_in(seller_page, seller)
    seller_page.goto("/requests/")
    seller_page.click(f"a[href='/requests/{brief.pk}/']")
    seller_page.wait_for_url(f"**/requests/{brief.pk}/")
    seller_page.select_option("select[name=service]", str(service.pk))
    seller_page.fill("textarea[name=note]", NOTE)
    seller_page.set_viewport_size(PHONE)
    shot(seller_page, "requests_journey-3-answer-phone")
    seller_page.click("form.stacked-form button[type=submit]")
    seller_page.locator(".message-success").first.wait_for()

    # The buyer compares the answer and orders it.
    give_available_funds(buyer, 2000)
    buyer_page.goto(f"/requests/{brief.pk}/")
    buyer_page.locator(".answer-card", has_text=service.title).wait_for()
    assert "$15.00" in buyer_page.locator(".answer-card").inner_text()
    shot(buyer_page, "requests_journey-4-answers")
    buyer_page.click(".answer-card form button[type=submit]")
    buyer_page.locator(".confirm-step").wait_for()
    buyer_page.click(".confirm-step button[type=submit]")
    buyer_page.wait_for_url(re.compile(r"/contracts/\d+/$"))
    order = Order.objects.get()
    brief.refresh_from_db()
    assert brief.status == Brief.Status.ORDERED and brief.order == order and order.service == service

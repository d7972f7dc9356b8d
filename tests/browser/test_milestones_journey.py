"""Issue 13 in a real browser: a client invites a freelancer from the profile, the freelancer offers
three milestones, the client hires them as proposed, funds the first, accepts it, funds the second and
pays a bonus, and the freelancer sees each earning clear. Accounts and the project are set up through
the services; the rest is done by people in browser contexts of their own.
"""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import UserFactory, verify_email
from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import load_catalog
from mostaql.contracts.models import Bonus, Contract
from mostaql.core.money import format_cents, net_after_commission_cents
from mostaql.projects.models import Invitation, Offer
from mostaql.projects.tests.factories import open_project
from mostaql.wallet import ledger, services
from mostaql.wallet.models import PendingEarning
from mostaql.wallet.tests.factories import give_available_funds
from tests.browser.support import PHONE, ar, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "تطبيق حجز مواعيد لعيادة أسنان"
PLAN = [("تصميم الواجهات", "100", "5"), ("برمجة الحجز", "150", "10"), ("الإطلاق", "50", "3")]
OFFER_TEXT = "أقترح العمل على ثلاث مراحل تراجع كل واحدة منها قبل أن تموّل التالية، مع تسليم أسبوعي."
DELIVERY_TEXT = "أرسلت تصميم الواجهات كاملًا مع ملاحظات حول تجربة الحجز على الهاتف."


def _person(name: str, email: str, role: str) -> User:
    user = UserFactory(name=name, email=email, primary_role=role)
    verify_email(user)
    return user


def _balance_card(page, label: str) -> str:
    return page.locator(".balance-grid li.card", has_text=ar(label)).locator("strong").inner_text()


def test_three_milestones_hired_funded_accepted_with_a_bonus_and_cleared(page, open_context, settings):
    settings.SANDBOX_GATEWAY_ENABLED = True
    settings.PAYMENT_GATEWAY = "sandbox"
    settings.COMMISSION_PERCENT = 20
    load_catalog(Category, Skill)
    client = _person("سلمى الحسيني", "salma@example.com", User.Role.CLIENT)
    freelancer = _person("خالد العمري", "khaled@example.com", User.Role.FREELANCER)
    project = open_project(owner=client, title=TITLE)
    give_available_funds(client, 400_00)

    # --- 0. The client invites the freelancer from the profile. -------------------------------------
    boss = open_context()
    log_in(boss, client)
    boss.goto(freelancer.profile.get_absolute_url())
    boss.click(f"a:text-is('{ar('Invite to a project')}')")
    boss.wait_for_url(re.compile(r"/invite/$"))
    boss.select_option("select[name=project]", str(project.pk))
    boss.click("form.stacked-form button[type=submit]")
    boss.wait_for_url(freelancer.profile.get_absolute_url())
    assert Invitation.objects.filter(project=project, freelancer=freelancer).exists()

    # --- 1. The freelancer offers three milestones on the form (no script needed). ------------------
    log_in(page, freelancer)
    page.goto(f"/projects/{project.pk}/")
    page.fill("input[name=amount]", "300")
    page.fill("input[name=duration_days]", "18")
    page.fill("textarea[name=text]", OFFER_TEXT)
    page.click("details.offer-milestones summary")
    for number, (title, amount, days) in enumerate(PLAN, start=1):
        page.fill(f"input[name=m{number}_title]", title)
        page.fill(f"input[name=m{number}_amount]", amount)
        page.fill(f"input[name=m{number}_days]", days)
    shot(page, "milestones_journey-1-offer-with-milestones")
    page.click("form[action$='/offers/'] button[type=submit]")
    page.wait_for_selector(".message-success")
    offer = Offer.objects.get(project=project)
    assert [m.amount_cents for m in offer.milestones.all()] == [100_00, 150_00, 50_00]
    assert offer.is_invited

    # --- 2. The client sees the plan on the offer and hires it as proposed. -------------------------
    boss.goto(f"/projects/{project.pk}/")
    card = boss.locator(f"#offer-{offer.pk}")
    assert "برمجة الحجز" in card.inner_text() and "$150.00" in card.inner_text()
    card.locator("button[formaction$='/hire/']").click()
    boss.wait_for_selector(".confirm-step")
    boss.click(".confirm-step button[type=submit]")
    boss.wait_for_url(re.compile(r"/contracts/\d+/$"))
    contract = Contract.objects.get(project=project)
    rows = boss.locator("#milestones tbody tr")
    assert rows.count() == 3
    assert format_cents(net_after_commission_cents(150_00)) in rows.nth(1).inner_text()
    shot(boss, "milestones_journey-2-contract-three-milestones")

    # --- 3. The client funds the first milestone only. ----------------------------------------------
    boss.click("form[action$='/fund/'] button[type=submit]")
    boss.wait_for_selector(".message-success")
    assert services.balances(client)["available"] == 300_00
    assert [m.status for m in contract.milestones.all()] == ["funded", "pending", "pending"]

    # --- 4. The freelancer delivers it; the client accepts it. --------------------------------------
    page.goto(f"/contracts/{contract.pk}/")
    page.fill("#deliver textarea[name=message]", DELIVERY_TEXT)
    page.click("#deliver button[type=submit]")
    page.wait_for_selector(".message-success")
    boss.goto(f"/contracts/{contract.pk}/")
    boss.click("form[action$='/accept_milestone/'] button[type=submit]")
    boss.wait_for_selector(".confirm-step")
    assert "$100.00" in boss.inner_text(".confirm-step")
    boss.click(".confirm-step button[type=submit]")
    boss.wait_for_selector(".message-success")
    assert boss.locator(".page-head .badge-awaiting_milestone").count() == 1

    # --- 5. The client funds the second milestone, then pays a bonus. -------------------------------
    boss.click("form[action$='/fund/'] button[type=submit]")
    boss.wait_for_selector(".message-success")
    assert [m.status for m in contract.milestones.all()] == ["paid", "funded", "pending"]
    boss.click("#bonus details summary")
    boss.fill("#bonus input[name=amount]", "25")
    boss.fill("#bonus textarea[name=note]", "شكرًا على التصميم المتقن.")
    boss.click("#bonus button[type=submit]")
    boss.wait_for_selector(".message-success")
    assert Bonus.objects.get(contract=contract).amount_cents == 25_00
    assert services.balances(client)["available"] == 400_00 - 100_00 - 150_00 - 25_00
    shot(boss, "milestones_journey-3-second-milestone-and-bonus")
    phone = open_context(PHONE)
    log_in(phone, client)
    phone.goto(f"/contracts/{contract.pk}/")
    shot(phone, "milestones_journey-phone-contract")

    # --- 6. The freelancer's two earnings wait, then clear. -----------------------------------------
    earned = net_after_commission_cents(100_00) + net_after_commission_cents(25_00)
    page.goto("/wallet/")
    assert _balance_card(page, "Pending clearance") == format_cents(earned)
    assert PendingEarning.objects.filter(freelancer=freelancer).count() == 2
    PendingEarning.objects.update(clears_at=timezone.now() - datetime.timedelta(minutes=1))
    output = io.StringIO()
    call_command("sweep", stdout=output)
    assert "2 earnings cleared" in output.getvalue()
    page.goto("/wallet/")
    assert _balance_card(page, "Available") == format_cents(earned)
    assert _balance_card(page, "Pending clearance") == format_cents(0)
    shot(page, "milestones_journey-4-earnings-cleared")
    assert ledger.audit().is_clean

"""The money in a real browser, the whole road: the client adds funds with the sandbox's test card and
funds the contract, the freelancer delivers, the client accepts, the earning clears (time moved in the
test), the freelancer verifies their identity and withdraws, and finance staff pay it out.

The accounts and the hired contract are set up through the services; everything after that is done
by people in browser contexts of their own."""

import datetime
import hashlib
import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import dateformat, timezone, translation

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import UserFactory, verify_email
from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import load_catalog
from mostaql.contracts.models import Contract
from mostaql.core.money import commission_cents, format_cents, format_money
from mostaql.core.tests import samples
from mostaql.projects.models import Project
from mostaql.projects.tests.factories import hire, open_project, place_offer
from mostaql.wallet import ledger, services
from mostaql.wallet.models import (
    Deposit,
    IdentityVerification,
    LedgerAccount,
    PendingEarning,
    Transfer,
    Withdrawal,
)
from tests.browser.support import PHONE, ar, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


TITLE = "ترجمة دليل استخدام تطبيق مصرفي إلى العربية"
AMOUNT_CENTS = 187_50  # not a round sum: 20% commission is $37.50, and $150.00 goes to the freelancer
COMMISSION_CENTS = 37_50
NET_CENTS = 150_00
GOOD_CARD, DECLINED_CARD = "4242 4242 4242 4242", "4000 0000 0000 0002"
DELIVERY_TEXT = "أرسلت الترجمة كاملة بعد المراجعة اللغوية، مع جدول المصطلحات المعتمدة في ملف منفصل."
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = samples.picture("PNG", size=(2400, 1600))  # larger than any stored size: it must arrive whole
PAYPAL = "khaled.paypal@example.com"


def _ar_date(moment: datetime.datetime) -> str:
    """A date as the templates print it with "j F Y" in Arabic."""
    with translation.override("ar"):
        return dateformat.format(timezone.localtime(moment), "j F Y")


def _person(name: str, email: str, role: str, **extra) -> User:
    user = UserFactory(name=name, email=email, primary_role=role, **extra)
    verify_email(user)
    return user


def _balance_card(page, label: str) -> str:
    """The figure on the wallet's card with this label."""
    return page.locator(".balance-grid li.card", has_text=ar(label)).locator("strong").inner_text()


def _system_balance(kind: str) -> int:
    account = LedgerAccount.objects.filter(kind=kind, owner=None, contract=None).first()
    return account.balance_cents if account else 0


def test_deposit_fund_deliver_accept_clear_withdraw_and_pay(page, open_context, settings):
    settings.SANDBOX_GATEWAY_ENABLED = True
    settings.PAYMENT_GATEWAY = "sandbox"
    settings.COMMISSION_PERCENT = 20
    assert commission_cents(AMOUNT_CENTS) == COMMISSION_CENTS
    # Earlier transactional tests flush the tables: put back the starting catalog if it went.
    load_catalog(Category, Skill)
    client = _person("سلمى الحسيني", "salma@example.com", User.Role.CLIENT)
    freelancer = _person("خالد العمري", "khaled@example.com", User.Role.FREELANCER)
    staff = _person("مشرف المالية", "finance@example.com", User.Role.CLIENT, is_staff=True, is_superuser=True)
    project = open_project(owner=client, title=TITLE)
    offer = place_offer(project, freelancer, amount_cents=AMOUNT_CENTS, duration_days=5)
    contract = hire(offer)
    contract_url = f"/contracts/{contract.pk}/"
    assert contract.status == Contract.Status.AWAITING_FUNDING
    assert services.balances(client)["available"] == 0
    told_before = len(mail.outbox)  # the approval, the offer and the hire

    # --- 1. The client funds the contract: short of money, they add it with the test card. ---------
    log_in(page, client)
    page.goto(contract_url)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".page-head .badge-awaiting_funding").count() == 1
    assert format_cents(AMOUNT_CENTS) in page.inner_text("dl.facts")
    shot(page, "money_journey-1-contract-awaiting-funding")
    client_phone = open_context(PHONE)
    log_in(client_phone, client)
    client_phone.goto(contract_url)
    assert client_phone.locator("form[action$='/fund/'] button[type=submit]").is_visible()
    shot(client_phone, "money_journey-phone-0-contract-awaiting-funding")
    page.click("form[action$='/fund/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/wallet/deposit/\?"))
    assert page.input_value("input[name=amount]") == "187.50"  # the shortfall, in dollars
    assert page.input_value("input[name=next]") == contract_url
    assert ar("Your balance is not enough to fund this contract.") in page.inner_text(".message-warning")
    shot(page, "money_journey-2-deposit")

    # A declined card first: the declined page, and nothing credited.
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/wallet/sandbox/[0-9a-f-]{36}/$"))
    assert format_cents(AMOUNT_CENTS) in page.inner_text("main")
    shot(page, "money_journey-3-sandbox-checkout")
    page.fill("input[name=card_number]", DECLINED_CARD)
    page.fill("input[name=expiry]", "12/30")
    page.fill("input[name=cvc]", "123")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/wallet/deposit/[0-9a-f-]{36}/$"))
    assert page.inner_text("h1") == ar("The payment was declined")
    shot(page, "money_journey-4-payment-declined")
    declined = Deposit.objects.get(user=client)
    assert declined.status == Deposit.Status.FAILED
    assert services.balances(client)["available"] == 0
    assert not Transfer.objects.exists()

    # The client goes back to the contract and tries to fund it again: the same shortfall is asked.
    page.goto(contract_url)
    page.click("form[action$='/fund/'] button[type=submit]")
    page.wait_for_url(re.compile(r"/wallet/deposit/\?"))
    assert page.input_value("input[name=amount]") == "187.50"
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/wallet/sandbox/[0-9a-f-]{36}/$"))
    page.fill("input[name=card_number]", GOOD_CARD)
    page.fill("input[name=expiry]", "12/30")
    page.fill("input[name=cvc]", "123")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{contract_url}")
    # The deposit was started to fund this contract: once paid, it funded it, with no second click.
    credited = ar("%(amount)s was added to your balance.") % {"amount": format_money(AMOUNT_CENTS)}
    told = page.inner_text("ul.messages") if page.locator("ul.messages").count() else page.inner_text("main")
    assert credited in told
    assert ar("The contract is funded: the money waits in escrow and the work can start.") in told
    deposit = Deposit.objects.get(user=client, status=Deposit.Status.SUCCEEDED)
    assert deposit.amount_cents == AMOUNT_CENTS
    assert deposit.contract == contract
    assert page.url.endswith(contract_url)
    assert page.locator(".page-head .badge-active").inner_text() == ar("In progress")
    assert page.locator("form[action$='/fund/']").count() == 0
    shot(page, "money_journey-5-contract-active-client")
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE
    assert contract.funded_at is not None
    assert Project.objects.get(pk=project.pk).status == Project.Status.IN_PROGRESS
    assert services.balances(client) == {
        "available": 0,
        "pending": 0,
        "withdrawal_hold": 0,
        "escrow": AMOUNT_CENTS,
    }

    # --- 2. The freelancer delivers, with a message, a PDF, a PNG and an SVG. -------------------------
    worker = open_context()
    log_in(worker, freelancer)
    worker.goto(contract_url)
    assert worker.locator(".page-head .badge-active").count() == 1
    shot(worker, "money_journey-6-contract-active-freelancer")
    worker.fill("#deliver textarea[name=message]", DELIVERY_TEXT)
    worker.set_input_files(
        "#deliver input[name=files]",
        [
            {"name": "translation.pdf", "mimeType": "application/pdf", "buffer": PDF},
            {"name": "glossary-chart.png", "mimeType": "image/png", "buffer": PNG},
            {"name": "شعار.svg", "mimeType": "image/svg+xml", "buffer": samples.SVG},
        ],
    )
    worker.click("#deliver form button[type=submit]")
    worker.wait_for_selector(".message-success")
    assert worker.url.endswith(contract_url)
    assert worker.locator(".page-head .badge-delivered").inner_text() == ar("Delivered")
    assert "translation.pdf" in worker.inner_text("ul.files")
    assert "جدول المصطلحات" in worker.inner_text("main")
    assert worker.locator("#deliver").count() == 0
    shot(worker, "money_journey-7-contract-delivered-freelancer")

    # --- 3. The client accepts; the freelancer's earning waits out the clearance period. ------------
    # The dashboard lists the delivery waiting for the client, with its automatic-acceptance date.
    page.goto("/dashboard/")
    waiting = page.locator("#client-waiting .delivery-waiting", has_text=TITLE)
    assert waiting.count() == 1
    contract.refresh_from_db()
    assert _ar_date(contract.auto_accept_at) in waiting.inner_text()
    shot(page, "money_journey-8a-dashboard-delivery-waiting")
    waiting.locator("a").first.click()
    page.wait_for_url(f"**{contract_url}")
    assert "translation.pdf" in page.inner_text("ul.files")
    # The files download exactly as they were uploaded: the picture neither re-encoded nor resized.
    for name, original in (("glossary-chart.png", PNG), ("شعار.svg", samples.SVG)):
        with page.expect_download() as download:
            page.click(f"ul.files a[dir=auto]:has-text('{name}')")
        assert download.value.suggested_filename == name
        assert (
            hashlib.sha256(Path(download.value.path()).read_bytes()).digest()
            == hashlib.sha256(original).digest()
        )
    assert page.locator("ul.files img.file-preview").count() == 1  # beside the picture only
    shot(page, "money_journey-8-contract-delivered-client")
    # Accepting releases the money: a confirmation says so first; cancelling it changes nothing.
    before = (services.balances(client), services.balances(freelancer), Transfer.objects.count())
    page.click("form[action$='/accept/'] button[type=submit]")
    page.wait_for_selector(".confirm-step")
    released = ar(
        "%(amount)s will be released to the freelancer, who receives %(net)s after the commission."
    ) % {"amount": format_money(AMOUNT_CENTS), "net": format_money(NET_CENTS)}
    assert released in page.inner_text(".confirm-step")
    shot(page, "money_journey-8b-accept-confirmation")
    page.click(".confirm-step a.button-ghost")
    page.wait_for_url(f"**{contract_url}")
    assert page.locator(".page-head .badge-delivered").count() == 1
    assert (services.balances(client), services.balances(freelancer), Transfer.objects.count()) == before
    page.click("form[action$='/accept/'] button[type=submit]")
    page.wait_for_selector(".confirm-step")
    page.click(".confirm-step button[type=submit]")
    page.wait_for_selector(".message-success")
    assert page.locator(".page-head .badge-completed").inner_text() == ar("Completed")
    assert page.locator("form[action$='/accept/']").count() == 0
    shot(page, "money_journey-9-contract-completed-client")
    earning = PendingEarning.objects.get(contract=contract)
    assert earning.amount_cents == NET_CENTS
    assert earning.clears_at > timezone.now() + datetime.timedelta(days=settings.CLEARANCE_DAYS - 1)

    worker.goto("/wallet/")
    assert _balance_card(worker, "Pending clearance") == format_cents(NET_CENTS)
    assert _balance_card(worker, "Available") == format_cents(0)
    pending_row = worker.locator("table.data-table tbody tr", has_text=TITLE).first
    assert format_cents(NET_CENTS) in pending_row.inner_text()
    assert _ar_date(earning.clears_at) in pending_row.inner_text()
    shot(worker, "money_journey-10-wallet-pending")

    # On a phone: the completed contract and the wallet with its pending earning.
    phone = open_context(PHONE)
    log_in(phone, freelancer)
    phone.goto(contract_url)
    assert phone.locator(".page-head .badge-completed").count() == 1
    shot(phone, "money_journey-phone-1-contract-completed")
    phone.goto("/wallet/")
    assert _balance_card(phone, "Pending clearance") == format_cents(NET_CENTS)
    shot(phone, "money_journey-phone-2-wallet-pending")

    # --- 4. Time passes: the clearance date is moved into the past, and the sweep runs. -------------
    PendingEarning.objects.filter(pk=earning.pk).update(
        clears_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    output = io.StringIO()
    call_command("sweep", stdout=output)
    assert "1 earnings cleared" in output.getvalue()
    worker.goto("/wallet/")
    assert _balance_card(worker, "Available") == format_cents(NET_CENTS)
    assert _balance_card(worker, "Pending clearance") == format_cents(0)
    assert worker.locator("h2", has_text=ar("Pending earnings")).count() == 0
    shot(worker, "money_journey-11-wallet-cleared")

    # --- 5. Identity first, then the withdrawal; finance staff pay it. ------------------------------
    worker.goto("/wallet/withdraw/")
    assert worker.locator("input[name='withdraw-amount']").count() == 0  # not before the identity check
    shot(worker, "money_journey-12-withdraw-identity-form")
    worker.set_input_files(
        "input[name='identity-document']",
        {"name": "passport.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    worker.click("form:has(input[name='identity-document']) button[type=submit]")
    worker.wait_for_selector(".message-success")
    assert worker.url.endswith("/wallet/withdraw/")
    assert ar("Your document is waiting for a moderator's review.") in worker.inner_text("main")
    shot(worker, "money_journey-13-withdraw-identity-pending")
    verification = IdentityVerification.objects.get(user=freelancer)
    assert verification.status == IdentityVerification.Status.PENDING

    finance = open_context()
    log_in(finance, staff)
    finance.goto("/staff/identity/")
    assert finance.locator("html").get_attribute("dir") == "rtl"
    queued = finance.locator("li.card", has_text=freelancer.email)
    assert queued.count() == 1
    assert queued.locator(f"a[href$='/staff/identity/{verification.pk}/document/']").count() == 1
    shot(finance, "money_journey-14-identity-queue")
    document = finance.request.get(f"/staff/identity/{verification.pk}/document/")
    assert document.ok
    assert document.body().startswith(b"%PDF-1.4")
    refused = worker.request.get(f"/staff/identity/{verification.pk}/document/")  # the file is private
    assert "/login/" in refused.url
    assert not refused.body().startswith(b"%PDF")
    queued.locator("form[action$='/approve/'] button[type=submit]").click()
    finance.wait_for_selector(".message-success")
    assert finance.locator("li.card", has_text=freelancer.email).count() == 0
    verification.refresh_from_db()
    assert verification.status == IdentityVerification.Status.APPROVED
    assert verification.reviewed_by == staff

    worker.goto("/wallet/withdraw/")
    assert format_cents(NET_CENTS) in worker.inner_text("main")
    worker.fill("input[name='withdraw-amount']", "150.00")
    worker.check("input[name='withdraw-method'][value=paypal]")
    worker.fill("input[name='withdraw-paypal_email']", PAYPAL)
    shot(worker, "money_journey-15-withdraw-form")
    worker.click("form:has(input[name='withdraw-amount']) button[type=submit]")
    worker.wait_for_url("**/wallet/")
    assert worker.locator(".message-success").count() == 1
    assert _balance_card(worker, "Available") == format_cents(0)
    assert _balance_card(worker, "Held for withdrawal") == format_cents(NET_CENTS)
    assert worker.locator("table.data-table .badge-requested").count() == 1
    shot(worker, "money_journey-16-wallet-withdrawal-requested")
    withdrawal = Withdrawal.objects.get(user=freelancer)
    assert (withdrawal.amount_cents, withdrawal.method, withdrawal.paypal_email) == (
        NET_CENTS,
        "paypal",
        PAYPAL,
    )
    assert withdrawal.status == Withdrawal.Status.REQUESTED

    finance.goto("/staff/finance/")
    row = finance.locator("table.data-table tbody tr", has_text=freelancer.email)
    assert row.count() == 1
    assert format_cents(NET_CENTS) in row.inner_text()
    assert PAYPAL in row.inner_text()
    revenue = finance.locator(".balance-grid li.card", has_text=ar("Platform revenue")).locator("strong")
    assert revenue.inner_text() == format_cents(COMMISSION_CENTS)
    shot(finance, "money_journey-17-finance-queue")
    row.locator("form[action$='/pay/'] button[type=submit]").click()
    finance.wait_for_selector(".confirm-step")
    assert PAYPAL in finance.inner_text(".confirm-step")
    assert Withdrawal.objects.get(pk=withdrawal.pk).status == Withdrawal.Status.REQUESTED
    finance.fill("input[name=payment_reference]", "PP-7XK2-20261206")
    shot(finance, "money_journey-17b-pay-confirmation")
    finance.click(".confirm-step button[type=submit]")
    finance.wait_for_selector(".message-success")
    assert finance.url.endswith("/staff/finance/")
    assert finance.locator("table.data-table tbody tr", has_text=freelancer.email).count() == 0
    finance.click("a[href='?audit=1']")
    finance.wait_for_url("**/staff/finance/?audit=1")
    assert finance.locator("section.card .message-success").count() == 1
    assert finance.locator("section.card .message-error").count() == 0
    shot(finance, "money_journey-18-finance-paid-and-audited")

    worker.goto("/wallet/")
    assert _balance_card(worker, "Available") == format_cents(0)
    assert _balance_card(worker, "Held for withdrawal") == format_cents(0)
    paid = worker.locator("table.data-table .badge-paid")
    assert paid.count() == 1
    assert paid.inner_text() == ar("Paid")
    shot(worker, "money_journey-19-wallet-withdrawal-paid")
    phone.goto("/wallet/")
    shot(phone, "money_journey-phone-3-wallet-paid")

    # --- 6. The ledger agrees with what the people saw. ---------------------------------------------
    withdrawal.refresh_from_db()
    assert withdrawal.status == Withdrawal.Status.PAID
    assert withdrawal.processed_by == staff
    assert withdrawal.payment_reference == "PP-7XK2-20261206"
    assert services.balances(client) == {
        "available": deposit.amount_cents - AMOUNT_CENTS,
        "pending": 0,
        "withdrawal_hold": 0,
        "escrow": 0,
    }
    assert services.balances(freelancer) == {"available": 0, "pending": 0, "withdrawal_hold": 0, "escrow": 0}
    assert _system_balance(LedgerAccount.Kind.GATEWAY) == -AMOUNT_CENTS
    assert _system_balance(LedgerAccount.Kind.PAYOUTS) == NET_CENTS
    assert _system_balance(LedgerAccount.Kind.PLATFORM_REVENUE) == COMMISSION_CENTS
    assert ledger.escrow_account(contract).balance_cents == 0
    assert sorted(Transfer.objects.values_list("kind", flat=True)) == sorted(
        ["deposit", "fund", "release", "clear", "withdraw", "payout"]
    )
    report = ledger.audit()
    assert report.is_clean, report.problems

    # Each step told the person it concerns: funded, delivered, paid, cleared, identity verified, paid out.
    told = mail.outbox[told_before:]
    assert [message.to for message in told] == [
        [freelancer.email],
        [client.email],
        [freelancer.email],
        [freelancer.email],
        [freelancer.email],
        [freelancer.email],
    ]
    assert all(TITLE in message.subject for message in told[:3])
    assert format_cents(NET_CENTS) in told[3].subject

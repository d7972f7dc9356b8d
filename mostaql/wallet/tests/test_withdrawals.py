"""Withdrawals: identity first, then a request to PayPal or a bank, then finance staff pay or refuse it."""

import datetime
import html
import re
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from mostaql.accounts.models import User
from mostaql.accounts.services import enroll_totp
from mostaql.accounts.tests.factories import STAFF_TOTP_SECRET, UserFactory
from mostaql.core.exceptions import DomainError
from mostaql.projects.tests.factories import clean_pdf, freelancer_user, moderator, pdf_upload, png_upload
from mostaql.wallet import ledger
from mostaql.wallet import services as wallet_services
from mostaql.wallet.forms import IdentityForm
from mostaql.wallet.models import IdentityVerification, LedgerAccount, Withdrawal
from mostaql.wallet.tests.lifecycle_helpers import (
    add_funds,
    ar,
    balances,
    finance_staff,
    forget_messages,
    messages_of,
    scene_in,
    snapshot,
)

pytestmark = pytest.mark.django_db
# The confirmation step's answer when finance staff mark a withdrawal paid.
PAID = {"confirmed": "1", "payment_reference": "BANK-TX-20261206-01"}

VALID_IBANS = ["GB82WEST12345698765432", "DE89370400440532013000", "gb82 west 1234 5698 7654 32"]


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def admin_login_url(path: str) -> str:
    return f"/admin/login/?next={quote(path)}"


def verified_person(available_cents: int = 10_000) -> User:
    """Someone with money available and an identity document approved by a moderator."""
    person = freelancer_user("ليلى المستقلة")
    if available_cents:
        add_funds(person, available_cents)
    check = wallet_services.submit_identity_document(user=person, document=clean_pdf("passport.pdf"))
    wallet_services.review_identity(moderator=moderator(), verification=check, approve=True)
    mail.outbox.clear()
    return person


def paypal(amount: str, email: str = "laila@example.com") -> dict:
    return {"withdraw-amount": amount, "withdraw-method": "paypal", "withdraw-paypal_email": email}


def bank(amount: str, iban: str, holder: str = "ليلى أحمد", bank_name: str = "بنك الرياض") -> dict:
    return {
        "withdraw-amount": amount,
        "withdraw-method": "bank",
        "withdraw-bank_holder": holder,
        "withdraw-bank_iban": iban,
        "withdraw-bank_name": bank_name,
    }


def requested(person: User, amount_cents: int = 2_500) -> Withdrawal:
    withdrawal = wallet_services.request_withdrawal(
        user=person, amount_cents=amount_cents, method="paypal", paypal_email="laila@example.com"
    )
    mail.outbox.clear()
    return withdrawal


# --- Identity ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("upload", "kind"), [(png_upload, "image"), (pdf_upload, "pdf")])
def test_a_person_sends_an_identity_document(client, upload, kind):
    person = freelancer_user()
    client.force_login(person)
    page = page_of(client.get("/wallet/withdraw/"))
    assert 'name="identity-document"' in page and 'name="withdraw-amount"' not in page

    response = client.post("/wallet/withdraw/", {"identity-document": upload("id-card")})

    assert response.status_code == 302 and response.url == "/wallet/withdraw/"
    assert messages_of(response) == [
        ("success", ar("Your document was sent. A moderator will review it soon."))
    ]
    check = IdentityVerification.objects.get(user=person)
    assert (check.status, check.document_kind) == (IdentityVerification.Status.PENDING, kind)
    waiting = page_of(client.get("/wallet/withdraw/"))
    assert ar("Your document is waiting for a moderator's review.") in waiting
    assert 'name="identity-document"' not in waiting


def test_a_document_that_is_neither_an_image_nor_a_pdf_is_refused(client):
    person = freelancer_user()
    client.force_login(person)
    before = snapshot(person)

    response = client.post(
        "/wallet/withdraw/",
        {"identity-document": SimpleUploadedFile("id.pdf", b"not really a document", "application/pdf")},
    )

    assert response.status_code == 200
    assert response.context["identity_form"].errors
    assert snapshot(person) == before


def test_one_document_waits_at_a_time(client):
    person = freelancer_user()
    client.force_login(person)
    client.post("/wallet/withdraw/", {"identity-document": png_upload()})
    forget_messages(client)
    before = snapshot(person)

    response = client.post("/wallet/withdraw/", {"identity-document": pdf_upload()})

    assert messages_of(response) == [
        ("error", ar("Your identity is already verified or waiting for review."))
    ]
    assert snapshot(person) == before


def test_the_document_is_shown_to_staff_only(client):
    person = freelancer_user()
    check = wallet_services.submit_identity_document(user=person, document=clean_pdf("passport.pdf"))
    path = f"/staff/identity/{check.pk}/document/"

    assert client.get(path).url == admin_login_url(path)
    for someone in (person, freelancer_user("فضولي")):
        client.force_login(someone)
        assert client.get(path).url == admin_login_url(path)
    client.force_login(moderator())
    queue = page_of(client.get("/staff/identity/"))
    document = client.get(path)

    assert path in queue and person.email in queue
    assert document.status_code == 200
    assert b"".join(document.streaming_content).startswith(b"%PDF-1.4")
    assert client.get("/staff/identity/999999/document/").status_code == 404


def test_a_moderator_approves_the_document_and_the_person_is_told(client, django_capture_on_commit_callbacks):
    person = freelancer_user()
    check = wallet_services.submit_identity_document(user=person, document=clean_pdf())
    staff = moderator()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/identity/{check.pk}/approve/")

    assert response.url == "/staff/identity/"
    check.refresh_from_db()
    assert (check.status, check.reviewed_by) == (IdentityVerification.Status.APPROVED, staff)
    assert wallet_services.is_identity_verified(person)
    assert [message.to for message in mail.outbox] == [[person.email]]
    assert person.email not in page_of(client.get("/staff/identity/"))
    client.force_login(person)
    assert 'name="withdraw-amount"' in page_of(client.get("/wallet/withdraw/"))


def test_a_rejected_document_is_explained_and_another_can_be_sent(client, django_capture_on_commit_callbacks):
    person = freelancer_user()
    check = wallet_services.submit_identity_document(user=person, document=clean_pdf())
    client.force_login(moderator())

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/identity/{check.pk}/reject/", {"reason": "الصورة غير واضحة"})

    check.refresh_from_db()
    assert (check.status, check.reason) == (IdentityVerification.Status.REJECTED, "الصورة غير واضحة")
    assert [message.to for message in mail.outbox] == [[person.email]]
    assert "الصورة غير واضحة" in mail.outbox[0].body
    assert not wallet_services.is_identity_verified(person)
    client.force_login(person)
    page = page_of(client.get("/wallet/withdraw/"))
    assert "الصورة غير واضحة" in page and 'name="identity-document"' in page
    client.post("/wallet/withdraw/", {"identity-document": png_upload()})
    assert person.identity_checks.filter(status=IdentityVerification.Status.PENDING).count() == 1


def test_a_rejection_needs_a_reason_and_a_document_is_reviewed_once(
    client, django_capture_on_commit_callbacks
):
    person = freelancer_user()
    check = wallet_services.submit_identity_document(user=person, document=clean_pdf())
    client.force_login(moderator())
    before = snapshot(person)

    with django_capture_on_commit_callbacks(execute=True):
        no_reason = client.post(f"/staff/identity/{check.pk}/reject/", {"reason": ""})
    assert messages_of(no_reason) == [
        ("error", ar("Tell the person why, so they can send a better document."))
    ]
    assert snapshot(person) == before

    client.post(f"/staff/identity/{check.pk}/approve/")
    forget_messages(client)
    after_approval = snapshot(person)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/staff/identity/{check.pk}/reject/", {"reason": "سبب متأخر جداً"})
    assert messages_of(again) == [("error", ar("This document has already been reviewed."))]
    assert snapshot(person) == after_approval


@pytest.mark.parametrize("role", ["owner", "other", None])
def test_only_staff_review_documents(client, role, django_capture_on_commit_callbacks):
    person = freelancer_user()
    check = wallet_services.submit_identity_document(user=person, document=clean_pdf())
    if role:
        client.force_login(person if role == "owner" else freelancer_user("آخر"))
    before = snapshot(person)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/identity/{check.pk}/approve/")

    assert response.url == admin_login_url(f"/staff/identity/{check.pk}/approve/")
    assert client.get("/staff/identity/").url == admin_login_url("/staff/identity/")
    assert snapshot(person) == before


# --- Requests --------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [None, "pending", "rejected"])
def test_no_withdrawal_before_the_identity_is_verified(client, status, django_capture_on_commit_callbacks):
    person = freelancer_user()
    add_funds(person, 10_000)
    if status:
        check = wallet_services.submit_identity_document(user=person, document=clean_pdf())
        if status == "rejected":
            wallet_services.review_identity(
                moderator=moderator(), verification=check, approve=False, reason="غير واضحة"
            )
    client.force_login(person)
    before = snapshot(person)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/wallet/withdraw/", paypal("20.00"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [ar("Verify your identity before you withdraw.")]
    assert snapshot(person) == before
    with pytest.raises(DomainError, match=re.escape(ar("Verify your identity before you withdraw."))):
        wallet_services.request_withdrawal(
            user=person, amount_cents=2_000, method="paypal", paypal_email="laila@example.com"
        )


def test_a_paypal_withdrawal_moves_the_money_to_the_hold(client):
    person = verified_person(10_000)
    client.force_login(person)

    response = client.post("/wallet/withdraw/", paypal("25.00"))

    assert response.status_code == 302 and response.url == "/wallet/"
    assert messages_of(response) == [
        ("success", ar("Your withdrawal was requested. We will tell you when it is paid."))
    ]
    withdrawal = Withdrawal.objects.get()
    assert (withdrawal.user, withdrawal.amount_cents, withdrawal.method, withdrawal.paypal_email) == (
        person,
        2_500,
        "paypal",
        "laila@example.com",
    )
    assert withdrawal.status == Withdrawal.Status.REQUESTED
    assert balances(person) == {"available": 7_500, "pending": 0, "withdrawal_hold": 2_500, "escrow": 0}
    assert ledger.audit().is_clean


@pytest.mark.parametrize("iban", VALID_IBANS)
def test_a_bank_withdrawal_keeps_a_clean_iban(client, iban):
    person = verified_person(10_000)
    client.force_login(person)

    response = client.post("/wallet/withdraw/", bank("40.00", iban))

    assert response.status_code == 302
    withdrawal = Withdrawal.objects.get()
    assert (withdrawal.method, withdrawal.bank_holder, withdrawal.bank_name) == (
        "bank",
        "ليلى أحمد",
        "بنك الرياض",
    )
    assert withdrawal.bank_iban == iban.replace(" ", "").upper()
    assert balances(person)["withdrawal_hold"] == 4_000


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (bank("40.00", "GB82WEST12345698765433"), "bank_iban", "This IBAN is not valid."),
        (bank("40.00", "DE89370400440532013001"), "bank_iban", "This IBAN is not valid."),
        (bank("40.00", "GB82"), "bank_iban", "This IBAN is not valid."),
        (bank("40.00", "1234567890123456"), "bank_iban", "This IBAN is not valid."),
        (bank("40.00", "GB82WEST12345698765432", holder=""), "bank_holder", None),
        (bank("40.00", "GB82WEST12345698765432", bank_name=""), "bank_name", None),
        (paypal("40.00", email=""), "paypal_email", "Enter your PayPal e-mail address."),
        (paypal("40.00", email="not-an-address"), "paypal_email", None),
        (paypal("9.99"), "amount", None),
        (paypal("0"), "amount", None),
        ({**paypal("40.00"), "withdraw-method": "cash"}, "method", None),
    ],
    ids=[
        "bad check digits",
        "bad german check digits",
        "too short",
        "no country",
        "no holder",
        "no bank",
        "no paypal address",
        "bad paypal address",
        "under the minimum",
        "zero",
        "unknown method",
    ],
)
def test_an_invalid_request_is_refused_and_nothing_moves(client, body, field, message):
    person = verified_person(10_000)
    client.force_login(person)
    before = snapshot(person)

    response = client.post("/wallet/withdraw/", body)

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    if message:
        assert form.errors[field] == [ar(message)]
    assert snapshot(person) == before


def test_the_minimum_is_accepted_exactly(client, settings):
    assert settings.MIN_WITHDRAWAL_CENTS == 1_000
    person = verified_person(10_000)
    client.force_login(person)

    client.post("/wallet/withdraw/", paypal("10.00"))

    assert balances(person)["withdrawal_hold"] == 1_000


def test_no_more_than_the_available_balance(client):
    person = verified_person(10_000)
    client.force_login(person)
    before = snapshot(person)

    too_much = client.post("/wallet/withdraw/", paypal("100.01"))

    assert too_much.status_code == 200
    # said beside the amount, with what is available, in the same round as any other problem
    assert too_much.context["form"].errors["amount"] == [
        ar("You have %(available)s available to withdraw.") % {"available": "\u2066$100.00\u2069"}
    ]
    assert snapshot(person) == before
    client.post("/wallet/withdraw/", paypal("100.00"))
    assert balances(person) == {"available": 0, "pending": 0, "withdrawal_hold": 10_000, "escrow": 0}


def test_pending_earnings_cannot_be_withdrawn(client):
    scene = scene_in("completed")  # $320.00 pending, nothing available
    check = wallet_services.submit_identity_document(user=scene.freelancer, document=clean_pdf())
    wallet_services.review_identity(moderator=scene.staff, verification=check, approve=True)
    client.force_login(scene.freelancer)
    before = snapshot(scene.freelancer)

    response = client.post("/wallet/withdraw/", paypal("50.00"))

    assert response.status_code == 200 and response.context["form"].errors
    assert snapshot(scene.freelancer) == before


# --- The finance desk ------------------------------------------------------------------------------


def superuser() -> User:
    user = User.objects.create_superuser(
        email="root@example.com", password="a-long-and-unusual-passphrase", name="المدير"
    )
    enroll_totp(user=user, secret=STAFF_TOTP_SECRET)  # staff work needs a second factor
    return user


@pytest.mark.parametrize(
    ("who", "expected"),
    [("superuser", 200), ("finance", 200), ("moderator", 404), ("member", "login"), ("anonymous", "login")],
)
def test_the_finance_desk_is_for_finance_staff(client, who, expected):
    people = {
        "superuser": superuser,
        "finance": finance_staff,
        "moderator": moderator,
        "member": freelancer_user,
    }
    if who in people:
        client.force_login(people[who]())

    response = client.get("/staff/finance/")

    if expected == "login":
        assert response.url == admin_login_url("/staff/finance/")
    else:
        assert response.status_code == expected


def test_a_permission_without_staff_status_is_not_enough(client):
    member = UserFactory(name="عضو")
    member.user_permissions.add(Permission.objects.get(codename="process_withdrawal"))
    client.force_login(member)

    assert client.get("/staff/finance/").url == admin_login_url("/staff/finance/")


def test_the_finance_desk_shows_the_totals_the_queue_and_the_audit(client):
    completed = scene_in("completed")  # $80.00 revenue, $320.00 pending
    scene_in("active")  # $400.00 in escrow
    person = verified_person(10_000)
    withdrawal = requested(person, 2_500)
    client.force_login(finance_staff())

    response = client.get("/staff/finance/")

    totals = response.context["totals"]
    assert (totals["platform_revenue"], totals["escrow"], totals["pending"], totals["withdrawal_hold"]) == (
        8_000,
        40_000,
        32_000,
        2_500,
    )
    page = page_of(response)
    for amount in ("$80.00", "$400.00", "$320.00", "$25.00"):
        assert amount in page
    assert person.email in page and "laila@example.com" in page
    assert f"/staff/finance/withdrawals/{withdrawal.pk}/pay/" in page
    assert f"/staff/finance/withdrawals/{withdrawal.pk}/refuse/" in page
    assert response.context["report"] is None
    assert completed.freelancer.email not in page

    audited = client.get("/staff/finance/?audit=1")

    report = audited.context["report"]
    assert report.is_clean and report.transfers == 7
    assert str(report.transfers) in page_of(audited)


def test_finance_staff_mark_a_withdrawal_paid(client, django_capture_on_commit_callbacks):
    person = verified_person(10_000)
    withdrawal = requested(person, 2_500)
    staff = finance_staff()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/finance/withdrawals/{withdrawal.pk}/pay/", PAID)

    assert response.url == "/staff/finance/"
    assert messages_of(response) == [("success", ar("The withdrawal was processed."))]
    withdrawal.refresh_from_db()
    assert (withdrawal.status, withdrawal.processed_by) == (Withdrawal.Status.PAID, staff)
    assert withdrawal.processed_at is not None
    assert balances(person) == {"available": 7_500, "pending": 0, "withdrawal_hold": 0, "escrow": 0}
    payouts = LedgerAccount.objects.get(kind=LedgerAccount.Kind.PAYOUTS)
    assert payouts.balance_cents == 2_500
    assert [message.to for message in mail.outbox] == [[person.email]]
    assert "$25.00" in mail.outbox[0].body
    assert ledger.audit().is_clean


def test_finance_staff_refuse_a_withdrawal_with_a_reason(client, django_capture_on_commit_callbacks):
    person = verified_person(10_000)
    withdrawal = requested(person, 2_500)
    client.force_login(superuser())

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/finance/withdrawals/{withdrawal.pk}/refuse/", {"reason": "الحساب المصرفي مغلق"})

    withdrawal.refresh_from_db()
    assert (withdrawal.status, withdrawal.reason) == (Withdrawal.Status.REFUSED, "الحساب المصرفي مغلق")
    assert balances(person) == {"available": 10_000, "pending": 0, "withdrawal_hold": 0, "escrow": 0}
    assert not LedgerAccount.objects.filter(kind=LedgerAccount.Kind.PAYOUTS, balance_cents__gt=0).exists()
    assert [message.to for message in mail.outbox] == [[person.email]]
    assert "الحساب المصرفي مغلق" in mail.outbox[0].body
    assert ledger.audit().is_clean


def test_a_refusal_needs_a_reason(client, django_capture_on_commit_callbacks):
    person = verified_person(10_000)
    withdrawal = requested(person)
    client.force_login(finance_staff())
    before = snapshot(person)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/finance/withdrawals/{withdrawal.pk}/refuse/", {"reason": "لا"})

    assert messages_of(response) == [("error", ar("Tell the person why the withdrawal was refused."))]
    assert snapshot(person) == before


@pytest.mark.parametrize("first", ["pay", "refuse"])
def test_a_withdrawal_is_processed_once(client, first, django_capture_on_commit_callbacks):
    person = verified_person(10_000)
    withdrawal = requested(person)
    client.force_login(finance_staff())
    client.post(f"/staff/finance/withdrawals/{withdrawal.pk}/{first}/", {"reason": "سبب الرفض الأول", **PAID})
    forget_messages(client)
    before = snapshot(person)

    for decision in ("pay", "refuse"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/staff/finance/withdrawals/{withdrawal.pk}/{decision}/", {"reason": "سبب آخر للرفض", **PAID}
            )
        assert messages_of(response) == [("error", ar("This withdrawal has already been processed."))]
        forget_messages(client)
    assert snapshot(person) == before


@pytest.mark.parametrize("decision", ["pay", "refuse"])
def test_a_moderator_without_the_permission_cannot_process(
    client, decision, django_capture_on_commit_callbacks
):
    person = verified_person(10_000)
    withdrawal = requested(person)
    client.force_login(moderator())
    before = snapshot(person)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/finance/withdrawals/{withdrawal.pk}/{decision}/", {"reason": "سبب الرفض المكتوب"}
        )

    assert (response.status_code, response.url) == (302, "/staff/finance/")
    assert messages_of(response) == [("error", ar("Only finance staff can process withdrawals."))]
    assert snapshot(person) == before
    with pytest.raises(DomainError):
        wallet_services.mark_withdrawal_paid(staff=moderator("مشرف آخر"), withdrawal=withdrawal)


@pytest.mark.parametrize("role", ["owner", "member", None])
def test_people_outside_staff_cannot_process(client, role):
    person = verified_person(10_000)
    withdrawal = requested(person)
    if role:
        client.force_login(person if role == "owner" else freelancer_user("آخر"))
    before = snapshot(person)
    path = f"/staff/finance/withdrawals/{withdrawal.pk}/pay/"

    assert client.post(path).url == admin_login_url(path)
    assert snapshot(person) == before


def test_an_unknown_decision_is_a_404(client):
    person = verified_person(10_000)
    withdrawal = requested(person)
    client.force_login(finance_staff())
    before = snapshot(person)

    assert client.post(f"/staff/finance/withdrawals/{withdrawal.pk}/approve/").status_code == 404
    assert client.get(f"/staff/finance/withdrawals/{withdrawal.pk}/pay/").status_code == 405
    assert snapshot(person) == before


def test_the_whole_road_from_earning_to_payout(client, django_capture_on_commit_callbacks):
    """Paid for a contract, cleared, withdrawn and paid out: every cent accounted for."""
    scene = scene_in("completed")
    wallet_services.clear_due_earnings(now=scene.contract.completed_at + datetime.timedelta(days=15))
    check = wallet_services.submit_identity_document(user=scene.freelancer, document=clean_pdf())
    wallet_services.review_identity(moderator=scene.staff, verification=check, approve=True)
    client.force_login(scene.freelancer)
    client.post("/wallet/withdraw/", paypal("320.00"))
    client.force_login(finance_staff())

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/finance/withdrawals/{Withdrawal.objects.get().pk}/pay/", PAID)

    assert balances(scene.freelancer) == {"available": 0, "pending": 0, "withdrawal_hold": 0, "escrow": 0}
    assert LedgerAccount.objects.get(kind=LedgerAccount.Kind.PAYOUTS).balance_cents == 32_000
    assert LedgerAccount.objects.get(kind=LedgerAccount.Kind.PLATFORM_REVENUE).balance_cents == 8_000
    assert ledger.audit().is_clean


def test_every_problem_of_the_form_is_reported_in_one_round(client):
    person = verified_person(10_000)
    client.force_login(person)
    before = snapshot(person)

    response = client.post(
        "/wallet/withdraw/",
        {
            "withdraw-amount": "5",
            "withdraw-method": "bank",
            "withdraw-bank_holder": "",
            "withdraw-bank_iban": "GB00NOTANIBAN",
            "withdraw-bank_name": "",
            "withdraw-paypal_email": "",  # not asked for a bank transfer
        },
    )

    assert set(response.context["form"].errors) == {"amount", "bank_holder", "bank_iban", "bank_name"}
    assert snapshot(person) == before


def test_the_form_shows_the_paypal_and_bank_fields_in_groups_that_css_shows_by_method(client):
    person = verified_person(10_000)
    client.force_login(person)

    page = client.get("/wallet/withdraw/").content.decode()

    paypal_group = re.search(
        r'<fieldset class="method-fields method-paypal">(.*?)</fieldset>', page, re.DOTALL
    )
    bank_group = re.search(r'<fieldset class="method-fields method-bank">(.*?)</fieldset>', page, re.DOTALL)
    assert 'name="withdraw-paypal_email"' in paypal_group.group(1)
    assert all(
        f'name="withdraw-{name}"' in bank_group.group(1) for name in ("bank_holder", "bank_iban", "bank_name")
    )
    assert 'class="method-choice"' in page and 'value="paypal"' in page and "checked" in page


def test_the_identity_document_hint_names_what_is_accepted_and_its_limits(settings):
    settings.UPLOAD_MAX_IMAGE_BYTES = 3 * 1024 * 1024
    settings.UPLOAD_MAX_FILE_BYTES = 12 * 1024 * 1024
    with translation.override("en"):
        field = IdentityForm(prefix="identity")["document"]
        assert "JPEG, PNG or WebP image up to 3 MB, or a PDF up to 12 MB" in str(field.help_text)
    assert 'accept="image/jpeg,image/png,image/webp,application/pdf"' in str(field)

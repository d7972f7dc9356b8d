"""The holes an attacker found, closed (issue 16): the admin's door, two-factor for staff, recent
re-authentication before money moves, per-address lockouts, failed API tokens rate-limited, bodies
too large refused unread, control characters refused at the door, and the deploy checks."""

import re
import time
import uuid

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core import mail
from django.core.checks import run_checks
from django.test import Client

from mostaql.accounts.models import User
from mostaql.accounts.security import SIGNED_IN_AT_SESSION_KEY
from mostaql.accounts.tests.factories import PASSWORD, STAFF_TOTP_SECRET, UserFactory, verify_email
from mostaql.api.models import AccessToken
from mostaql.api.services import create_token
from mostaql.contracts.models import Contract
from mostaql.contracts.services import open_dispute
from mostaql.projects.tests.factories import freelancer_user
from mostaql.wallet.models import Withdrawal
from mostaql.wallet.tests.factories import (
    finance_staff,
    funded_contract,
    give_available_funds,
    request_paypal_withdrawal,
    verify_identity,
)

pytestmark = pytest.mark.django_db

DECISION = "راجعنا التسليم: نُفّذ نصف المطلوب، فيأخذ المستقل نصف المبلغ."


def current_code(secret: str = STAFF_TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))


def signed_in(user: User, *, minutes_ago: float = 0) -> Client:
    client = Client()
    client.force_login(user)
    if minutes_ago:
        session = client.session
        session[SIGNED_IN_AT_SESSION_KEY] = time.time() - minutes_ago * 60
        session.save()
    return client


def staff_without_second_factor(**fields) -> User:
    user = User.objects.create_user(
        email="nosecond@example.com", password=PASSWORD, name="مشرف", is_staff=True
    )
    verify_email(user)
    return user


def withdrawing_freelancer() -> User:
    person = freelancer_user(name="ليلى المستقلة")
    verify_identity(person)
    give_available_funds(person, 10_000)
    return person


# --- 1. The admin's door -------------------------------------------------------------------------


def test_the_admin_login_page_sends_everyone_to_the_one_login_page():
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_staff_password_posted_to_the_admin_login_signs_no_one_in():
    staff = UserFactory(email="boss@example.com", is_staff=True, is_superuser=True)
    verify_email(staff)
    client = Client()

    response = client.post("/admin/login/?next=/admin/", {"username": staff.email, "password": PASSWORD})

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/dashboard/").status_code == 302  # nobody signed in
    assert client.get("/admin/", follow=True).redirect_chain[-1][0].startswith("/accounts/login/")


def test_staff_signing_in_are_asked_for_the_second_factor_before_the_admin():
    staff = UserFactory(email="boss@example.com", is_staff=True, is_superuser=True)
    verify_email(staff)
    client = Client()

    response = client.post("/accounts/login/?next=/admin/", {"login": staff.email, "password": PASSWORD})

    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # not signed in yet
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


# --- 1. Two-factor for every staff account -------------------------------------------------------


@pytest.mark.parametrize("path", ["/staff/finance/", "/staff/disputes/", "/admin/", "/settings/tokens/"])
def test_staff_without_a_second_factor_are_sent_to_set_one_up(path):
    client = signed_in(staff_without_second_factor())

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/?next=")


def test_a_staff_token_without_a_second_factor_cannot_use_staff_operations():
    staff = staff_without_second_factor()
    _row, token = create_token(user=staff, name="script")

    response = Client().get("/api/v1/staff/disputes/", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 403 and response.json()["code"] == "two_factor_required"


def test_staff_with_a_second_factor_reach_their_pages():
    client = signed_in(finance_staff())
    assert client.get("/staff/finance/").status_code == 200
    assert client.get("/staff/disputes/").status_code == 200


def test_members_are_not_asked_for_a_second_factor():
    client = signed_in(freelancer_user())
    assert client.get("/settings/tokens/").status_code == 200


# --- 1. Recent re-authentication before money-sensitive acts ------------------------------------


def a_withdrawal_request():
    person = withdrawing_freelancer()
    data = {"withdraw-amount": "30.00", "withdraw-method": "paypal", "withdraw-paypal_email": "l@example.com"}
    return person, "/wallet/withdraw/", data, lambda: Withdrawal.objects.filter(user=person).count()


def a_token_creation():
    person = freelancer_user()
    return (
        person,
        "/settings/tokens/",
        {"name": "my script"},
        lambda: AccessToken.objects.filter(user=person).count(),
    )


def a_payment_by_finance():
    withdrawal = request_paypal_withdrawal(withdrawing_freelancer(), 3_000)
    url = f"/staff/finance/withdrawals/{withdrawal.pk}/pay/"
    data = {"confirmed": "1", "payment_reference": "PAYPAL-7Q2"}  # past the confirmation step
    return finance_staff(), url, data, lambda: Withdrawal.objects.get(pk=withdrawal.pk).status


def a_refusal_by_finance():
    withdrawal = request_paypal_withdrawal(withdrawing_freelancer(), 3_000)
    url = f"/staff/finance/withdrawals/{withdrawal.pk}/refuse/"
    return (
        finance_staff(),
        url,
        {"reason": "الحساب غير مطابق"},
        lambda: Withdrawal.objects.get(pk=withdrawal.pk).status,
    )


def a_dispute_decision():
    contract = funded_contract()
    open_dispute(
        user=contract.client, contract=contract, reason="العمل المسلم لا يطابق ما اتفقنا عليه في العرض."
    )
    moderator = UserFactory(name="مشرف", is_staff=True)
    data = {"freelancer_share": "50.00", "decision": DECISION}
    return (
        moderator,
        f"/staff/disputes/{contract.pk}/",
        data,
        lambda: Contract.objects.get(pk=contract.pk).status,
    )


GATES = [
    a_withdrawal_request,
    a_token_creation,
    a_payment_by_finance,
    a_refusal_by_finance,
    a_dispute_decision,
]


@pytest.mark.parametrize("gate", GATES, ids=lambda gate: gate.__name__)
def test_a_money_sensitive_act_after_a_stale_sign_in_asks_for_the_password_and_changes_nothing(gate):
    person, url, data, state = gate()
    before = state()
    client = signed_in(person, minutes_ago=30)

    response = client.post(url, data)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/?next=")
    assert state() == before


@pytest.mark.parametrize("gate", GATES, ids=lambda gate: gate.__name__)
def test_a_money_sensitive_act_right_after_signing_in_goes_through(gate):
    person, url, data, state = gate()
    before = state()
    client = signed_in(person)  # a sign-in a moment ago counts as a recent authentication

    client.post(url, data)

    assert state() != before


def test_after_confirming_the_password_the_withdrawal_asked_for_is_made():
    person, url, data, count = a_withdrawal_request()
    client = signed_in(person, minutes_ago=30)
    asked = client.post(url, data)

    response = client.post(asked["Location"], {"password": PASSWORD})

    assert response.status_code == 302 and count() == 1
    assert Withdrawal.objects.get(user=person).amount_cents == 3_000


def test_a_wrong_password_on_re_authentication_makes_no_withdrawal():
    person, url, data, count = a_withdrawal_request()
    client = signed_in(person, minutes_ago=30)
    asked = client.post(url, data)

    response = client.post(asked["Location"], {"password": "not-the-password"})

    assert response.status_code == 200 and count() == 0


def test_the_api_asks_a_stale_session_to_re_authenticate_but_not_a_token():
    person = withdrawing_freelancer()
    body = {"amount_cents": 3_000, "method": "paypal", "paypal_email": "l@example.com"}
    stale = signed_in(person, minutes_ago=30)
    stale_response = stale.post(
        "/api/v1/wallet/withdrawals/",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "w-1"},
    )
    assert stale_response.status_code == 403 and stale_response.json()["code"] == "reauthentication_required"
    assert not Withdrawal.objects.filter(user=person).exists()

    _row, token = create_token(user=person, name="script")
    response = Client().post(
        "/api/v1/wallet/withdrawals/",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "w-2"},
    )
    assert response.status_code == 201 and Withdrawal.objects.filter(user=person).count() == 1


def test_finance_paying_through_a_stale_session_in_the_api_is_refused():
    withdrawal = request_paypal_withdrawal(withdrawing_freelancer(), 3_000)
    client = signed_in(finance_staff(), minutes_ago=30)

    response = client.post(
        f"/api/v1/staff/withdrawals/{withdrawal.pk}/pay/", headers={"Idempotency-Key": "pay-1"}
    )

    assert response.status_code == 403 and response.json()["code"] == "reauthentication_required"
    assert Withdrawal.objects.get(pk=withdrawal.pk).status == withdrawal.status


# --- 7. Wrong passwords lock an account from that address only, and tell its owner ------------------


def log_in(client: Client, email: str, password: str, address: str):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_account_from_that_address_only_and_mail_the_owner():
    owner = UserFactory(email="huda@example.com")
    verify_email(owner)
    attacker = Client()
    for _attempt in range(5):
        assert log_in(attacker, owner.email, "wrong-password", "203.0.113.7").status_code == 200
    mail_after_lock = list(mail.outbox)

    from_attacker = log_in(attacker, owner.email, PASSWORD, "203.0.113.7")
    from_owner = log_in(Client(), owner.email, PASSWORD, "198.51.100.20")

    assert from_attacker.status_code == 200  # refused, even with the right password, from there
    assert from_owner.status_code == 302 and from_owner["Location"] == "/dashboard/"
    assert [message.to for message in mail_after_lock] == [[owner.email]]
    assert "203.0.113.7" in mail_after_lock[0].body
    assert len(mail.outbox) == 1  # one e-mail per lock, however many more tries


def test_four_wrong_passwords_lock_nothing_and_mail_no_one():
    owner = UserFactory(email="huda@example.com")
    verify_email(owner)
    client = Client()
    for _attempt in range(4):
        log_in(client, owner.email, "wrong-password", "203.0.113.7")

    assert log_in(client, owner.email, PASSWORD, "203.0.113.7").status_code == 302
    assert mail.outbox == []


# --- 7. Failed API authentication counts toward the address's anonymous limit -------------------------


def test_random_bearer_tokens_are_rate_limited_per_address(settings):
    settings.API_ANONYMOUS_RATE_LIMIT_PER_MINUTE = 3
    client = Client()

    def with_random_token(address: str):
        headers = {"Authorization": f"Bearer mq_{uuid.uuid4().hex}"}
        return client.get("/api/v1/projects/", headers=headers, REMOTE_ADDR=address)

    statuses = [with_random_token("203.0.113.7").status_code for _attempt in range(5)]

    assert statuses == [401, 401, 401, 429, 429]
    assert client.get("/api/v1/projects/", REMOTE_ADDR="203.0.113.7").status_code == 429
    assert client.get("/api/v1/projects/", REMOTE_ADDR="198.51.100.20").status_code == 200


def test_a_valid_token_is_counted_per_token_not_against_the_address(settings):
    settings.API_ANONYMOUS_RATE_LIMIT_PER_MINUTE = 2
    _row, token = create_token(user=freelancer_user(), name="script")
    client = Client()
    statuses = [
        client.get(
            "/api/v1/projects/", headers={"Authorization": f"Bearer {token}"}, REMOTE_ADDR="203.0.113.7"
        ).status_code
        for _attempt in range(4)
    ]
    assert statuses == [200, 200, 200, 200]


# --- 2. A body over the limit is refused on every path, unread ---------------------------------------


def test_a_body_over_the_limit_is_refused_on_the_login_page_before_it_is_read(settings):
    settings.REQUEST_MAX_BODY_BYTES = 1_000
    owner = UserFactory(email="huda@example.com")
    verify_email(owner)
    client = Client()
    padding = "x" * 2_000

    response = client.post("/accounts/login/", {"login": owner.email, "password": PASSWORD, "pad": padding})

    assert response.status_code == 413
    assert client.get("/dashboard/").status_code == 302  # not signed in: the form was never read


def test_a_declared_length_over_the_limit_is_refused_without_waiting_for_the_body(settings):
    settings.REQUEST_MAX_BODY_BYTES = 1_000
    response = Client().generic(
        "POST", "/projects/", b"", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH="100000000"
    )
    assert response.status_code == 413 and response["Connection"] == "close"


def test_a_body_of_unknown_length_is_refused():
    response = Client().generic(
        "POST", "/accounts/login/", b"", CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411


def test_a_body_under_the_limit_still_meets_the_uploads_own_limits(settings):
    assert settings.REQUEST_MAX_BODY_BYTES > settings.UPLOAD_MAX_FILE_BYTES
    assert Client().get("/projects/").status_code == 200


# --- 6. NUL and other control characters: a 400, never a server error ----------------------------------

DIRTY = ["\x00", "a\x00b", "\x01", "\x1b[31m"]
PUBLIC_FILTERS = [
    "/projects/?q={}",
    "/projects/?category={}",
    "/projects/?skills={}",
    "/projects/?budget={}",
    "/projects/?posted={}",
    "/projects/?sort={}",
    "/projects/?page={}",
    "/projects/?{}=1",
    "/freelancers/?q={}",
    "/freelancers/?category={}",
    "/freelancers/?skill={}",
    "/freelancers/?page={}",
    "/u/{}/",
    "/accounts/login/?next={}",
    "/accounts/signup/?next={}",
    "/offers/net/?amount={}",
]
API_FILTERS = ["/api/v1/projects/?q={}", "/api/v1/projects/?category={}", "/api/v1/freelancers/?q={}"]


@pytest.mark.parametrize("template", PUBLIC_FILTERS)
@pytest.mark.parametrize("dirt", DIRTY, ids=repr)
def test_control_characters_in_any_public_filter_slug_or_next_are_a_400(template, dirt):
    from urllib.parse import quote

    response = Client().get(template.format(quote(dirt)))

    assert response.status_code == 400


@pytest.mark.parametrize("template", API_FILTERS)
def test_control_characters_in_an_api_filter_are_a_422_naming_it(template):
    from urllib.parse import quote

    response = Client().get(template.format(quote("a\x00b")))

    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


def test_a_nul_in_a_form_field_is_a_400_and_signs_no_one_in():
    owner = UserFactory(email="huda@example.com")
    verify_email(owner)
    client = Client()

    response = client.post("/accounts/login/", {"login": owner.email + "\x00", "password": PASSWORD})

    assert response.status_code == 400
    assert client.get("/dashboard/").status_code == 302


def test_ordinary_text_with_tabs_and_new_lines_passes():
    assert Client().get("/projects/?q=" + "تصميم%09شعار").status_code == 200


# --- 7. Deploy checks ---------------------------------------------------------------------------


def deploy_check_ids() -> set[str]:
    return {
        message.id
        for message in run_checks(include_deployment_checks=True)
        if message.id.startswith("mostaql")
    }


def test_deploy_checks_refuse_the_sandbox_and_the_default_secret_and_warn_of_a_per_process_cache(settings):
    settings.DEBUG = False
    settings.SANDBOX_GATEWAY_ENABLED = True
    settings.SANDBOX_WEBHOOK_SECRET = "sandbox-development-secret"
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }

    assert deploy_check_ids() == {"mostaql.E001", "mostaql.E002", "mostaql.W001"}


def test_deploy_checks_pass_a_production_configuration(settings):
    settings.DEBUG = False
    settings.SANDBOX_GATEWAY_ENABLED = False
    settings.SANDBOX_WEBHOOK_SECRET = "a-long-random-secret-from-the-environment"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        },
    }

    assert deploy_check_ids() == set()


def test_deploy_checks_say_nothing_in_development(settings):
    settings.DEBUG = True
    assert deploy_check_ids() == set()


# --- 6. The webhook payload is checked strictly, even when its signature is right ---------------------


def signed_payload(deposit, **changes):
    import json

    from django.conf import settings as django_settings

    from mostaql.wallet.gateways.base import signature_header

    event = {
        "id": f"evt_{uuid.uuid4().hex}",
        "type": "payment.succeeded",
        "data": {"deposit_id": str(deposit.pk), "amount_cents": deposit.amount_cents, "reason": ""},
    }
    for key, value in changes.items():
        if key in ("id", "type"):
            event[key] = value
        else:
            event["data"][key] = value
    body = json.dumps(event).encode()
    return body, signature_header(django_settings.SANDBOX_WEBHOOK_SECRET, body)


STRICTLY_REFUSED = [
    {"amount_cents": "5000"},
    {"amount_cents": 5000.0},
    {"amount_cents": True},
    {"amount_cents": -5000},
    {"amount_cents": None},
    {"id": "e" * 101},
    {"id": ""},
    {"id": 12345},
    {"id": "evt\x00nul"},
    {"reason": 7},
    {"reason": "bad\x00reason"},
    {"deposit_id": 17},
    {"type": "payment.refunded"},
]


@pytest.mark.parametrize("changes", STRICTLY_REFUSED, ids=repr)
def test_a_signed_webhook_with_a_loose_field_is_refused_and_credits_nothing(settings, changes):
    from mostaql.wallet import services as wallet_services
    from mostaql.wallet.models import Deposit

    settings.SANDBOX_GATEWAY_ENABLED = True
    deposit = wallet_services.start_deposit(user=freelancer_user(), amount_cents=5_000)
    body, signature = signed_payload(deposit, **changes)

    response = Client().post(
        "/wallet/webhooks/sandbox/", body, content_type="application/json", HTTP_X_SIGNATURE=signature
    )

    assert response.status_code == 400
    assert Deposit.objects.get(pk=deposit.pk).status == Deposit.Status.STARTED


def test_a_signed_webhook_with_exact_fields_is_applied(settings):
    from mostaql.wallet import services as wallet_services
    from mostaql.wallet.models import Deposit

    settings.SANDBOX_GATEWAY_ENABLED = True
    deposit = wallet_services.start_deposit(user=freelancer_user(), amount_cents=5_000)
    body, signature = signed_payload(deposit)

    response = Client().post(
        "/wallet/webhooks/sandbox/", body, content_type="application/json", HTTP_X_SIGNATURE=signature
    )

    assert response.status_code == 200
    assert Deposit.objects.get(pk=deposit.pk).status == Deposit.Status.SUCCEEDED


# --- 6. The project list's cached links carry only the parameters it recognised ---------------------


def test_unknown_parameters_never_reach_the_cached_next_links(settings):
    from mostaql.projects.tests.factories import open_project

    settings.PROJECTS_PER_PAGE = 1
    open_project()
    open_project()

    first = Client().get("/projects/?utm_evil=%3Cx%3E&sort=fewest_offers&q=").content.decode()
    second = Client().get("/projects/?sort=fewest_offers").content.decode()

    # The language switcher may carry the visitor's own address back to them; the cached links may not.
    assert 'href="?sort=fewest_offers&amp;page=2"' in first
    assert 'href="?sort=fewest_offers&amp;page=2"' in second
    assert "utm_evil" not in second
    assert not [link for link in re.findall(r'href="\?[^"]*"', first) if "utm_evil" in link]

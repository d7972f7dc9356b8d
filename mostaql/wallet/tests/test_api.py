"""The wallet API: the permission matrix, balances and the statement, deposits through the sandbox's
signed webhook, withdrawals and their processing, each refusal leaving the ledger as it was and each
money-moving POST run once per Idempotency-Key."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mostaql.accounts.services import enroll_totp
from mostaql.accounts.tests.factories import STAFF_TOTP_SECRET
from mostaql.api.tests.support import ApiClient, Row, assert_error, check_row, verified_user
from mostaql.wallet import services, webhooks
from mostaql.wallet.models import Deposit, LedgerAccount, Withdrawal
from mostaql.wallet.tests.factories import (
    completed_contract,
    finance_staff,
    funded_contract,
    give_available_funds,
    ledger_snapshot,
    request_paypal_withdrawal,
    sandbox_webhook,
    system_balance,
    verify_identity,
)
from mostaql.wallet.tests.lifecycle_helpers import ar, snapshot

pytestmark = pytest.mark.django_db

PAYPAL = {"amount_cents": 3_000, "method": "paypal", "paypal_email": "sara@example.com"}


@pytest.fixture(autouse=True)
def _sandbox(settings):
    settings.SANDBOX_GATEWAY_ENABLED = True
    settings.SANDBOX_WEBHOOK_SECRET = "test-webhook-secret"
    settings.MIN_WITHDRAWAL_CENTS = 1_000


def ready_to_withdraw(user, amount_cents: int = 5_000):
    if not services.is_identity_verified(user):
        verify_identity(user)
    give_available_funds(user, amount_cents)
    return user


def make_finance(user) -> None:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    enroll_totp(user=user, secret=STAFF_TOTP_SECRET)  # staff work needs a second factor
    user.user_permissions.add(Permission.objects.get(codename="process_withdrawal"))


def someones_withdrawal(amount_cents: int = 3_000) -> Withdrawal:
    return request_paypal_withdrawal(ready_to_withdraw(verified_user()), amount_cents)


# --- The permission matrix -------------------------------------------------------------------------


def a_deposit_of(owner):
    return {"deposit_id": services.start_deposit(user=owner, amount_cents=5_000).pk}


def a_verified_owner(owner):
    ready_to_withdraw(owner)
    return {"body": PAYPAL}


def a_finance_owner(owner):
    make_finance(owner)
    someones_withdrawal()
    return {}


def a_withdrawal_for_finance(owner):
    make_finance(owner)
    return {"withdrawal_id": someones_withdrawal().pk}


MATRIX = [
    Row("GET", "/api/v1/wallet/", anonymous=401, other=200, owner=200, staff=200),
    Row("GET", "/api/v1/wallet/statement/", anonymous=401, other=200, owner=200, staff=200),
    Row(
        "POST",
        "/api/v1/wallet/deposits/",
        body={"amount_cents": 5_000},
        idempotent=True,
        anonymous=401,
        other=201,
        owner=201,
        staff=201,
    ),
    Row(
        "GET",
        "/api/v1/wallet/deposits/{deposit_id}/",
        setup=a_deposit_of,
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row("GET", "/api/v1/wallet/withdrawals/", anonymous=401, other=200, owner=200, staff=200),
    Row(
        "POST",
        "/api/v1/wallet/withdrawals/",
        setup=a_verified_owner,
        idempotent=True,
        # Only a verified identity withdraws: the other callers have none.
        anonymous=401,
        other=403,
        owner=201,
        staff=403,
    ),
    Row(
        "GET",
        "/api/v1/staff/withdrawals/",
        setup=a_finance_owner,
        # `owner` holds the finance permission; plain staff does not.
        anonymous=401,
        other=403,
        owner=200,
        staff=403,
    ),
    Row(
        "POST",
        "/api/v1/staff/withdrawals/{withdrawal_id}/pay/",
        setup=a_withdrawal_for_finance,
        idempotent=True,
        anonymous=401,
        other=403,
        owner=200,
        staff=403,
    ),
    Row(
        "POST",
        "/api/v1/staff/withdrawals/{withdrawal_id}/refuse/",
        setup=a_withdrawal_for_finance,
        body={"reason": "الحساب غير مطابق للاسم."},
        idempotent=True,
        anonymous=401,
        other=403,
        owner=200,
        staff=403,
    ),
]


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_permission_matrix(row):
    check_row(row)


# --- Balances and statement ------------------------------------------------------------------------


def test_balances_show_available_pending_with_its_date_escrow_and_held():
    contract = completed_contract(amount_cents=10_000)
    freelancer = ApiClient(contract.freelancer).get("/api/v1/wallet/").json()
    assert freelancer["pending_cents"] == 8_000 and freelancer["available_cents"] == 0
    [earning] = freelancer["pending_earnings"]
    assert earning["contract_id"] == contract.pk and earning["amount_cents"] == 8_000
    clears_at = datetime.datetime.fromisoformat(earning["clears_at"])
    assert clears_at - timezone.now() > datetime.timedelta(days=13)
    assert freelancer["identity_verified"] is False

    funded = funded_contract(amount_cents=4_000)
    assert ApiClient(funded.client).get("/api/v1/wallet/").json()["escrow_cents"] == 4_000

    person = ready_to_withdraw(verified_user(), 5_000)
    request_paypal_withdrawal(person, 2_000)
    mine = ApiClient(person).get("/api/v1/wallet/").json()
    assert (mine["available_cents"], mine["withdrawal_hold_cents"], mine["identity_verified"]) == (
        3_000,
        2_000,
        True,
    )


def test_the_statement_has_labels_in_the_request_language_and_a_running_balance():
    contract = funded_contract(amount_cents=4_000)
    give_available_funds(contract.client, 1_500)
    client = ApiClient(contract.client)

    arabic = client.get("/api/v1/wallet/statement/", language="ar").json()
    assert [line["operation"] for line in arabic["items"]] == ["deposit", "fund", "deposit"]
    assert [line["amount_cents"] for line in arabic["items"]] == [1_500, -4_000, 4_000]
    assert [line["balance_after_cents"] for line in arabic["items"]] == [1_500, 0, 4_000]
    assert arabic["items"][0]["label"] == ar("Funds added") == "إضافة رصيد"
    assert arabic["items"][1]["label"] == ar("Contract funded")
    assert arabic["items"][1]["contract_id"] == contract.pk and arabic["items"][1]["project_title"]

    english = client.get("/api/v1/wallet/statement/", language="en").json()
    assert (
        english["items"][0]["label"] == "Funds added" and english["items"][0]["account_label"] == "Available"
    )

    freelancer = ApiClient(completed_contract().freelancer)
    assert freelancer.get("/api/v1/wallet/statement/").json()["count"] == 0
    everything = freelancer.get("/api/v1/wallet/statement/?account=all").json()["items"]
    assert [(line["account"], line["operation"]) for line in everything] == [("pending", "release")]
    assert_error(client.get("/api/v1/wallet/statement/?account=escrow"), 422)


# --- Deposits --------------------------------------------------------------------------------------


def test_a_deposit_started_through_the_api_is_credited_by_the_signed_webhook():
    person = verified_user()
    client = ApiClient(person)
    started = client.post("/api/v1/wallet/deposits/", {"amount_cents": 7_500}, idempotency_key="dep-1")
    assert started.status_code == 201, started.content
    deposit = Deposit.objects.get(pk=started.json()["id"])
    assert started.json()["status"] == "started"
    assert started.json()["checkout_url"] == f"http://testserver/wallet/sandbox/{deposit.pk}/"
    assert client.get("/api/v1/wallet/").json()["available_cents"] == 0

    body, signature = sandbox_webhook(deposit)
    assert webhooks.handle(gateway_name="sandbox", body=body, signature=signature) == "processed"

    assert client.get(f"/api/v1/wallet/deposits/{deposit.pk}/").json()["status"] == "succeeded"
    assert client.get("/api/v1/wallet/").json()["available_cents"] == 7_500


def test_a_replayed_deposit_start_makes_one_deposit_and_other_parameters_are_refused():
    client = ApiClient(verified_user())
    first = client.post("/api/v1/wallet/deposits/", {"amount_cents": 2_000}, idempotency_key="same")
    replay = client.post("/api/v1/wallet/deposits/", {"amount_cents": 2_000}, idempotency_key="same")
    assert replay.status_code == 201 and replay.content == first.content
    assert replay["Idempotent-Replayed"] == "true"
    assert Deposit.objects.count() == 1
    reused = client.post("/api/v1/wallet/deposits/", {"amount_cents": 3_000}, idempotency_key="same")
    assert_error(reused, 409, "idempotency_key_reused")
    assert Deposit.objects.count() == 1


@pytest.mark.parametrize("amount", [99, 10_000_01])
def test_a_deposit_out_of_bounds_is_a_422_naming_the_amount(amount):
    response = ApiClient(verified_user()).post(
        "/api/v1/wallet/deposits/", {"amount_cents": amount}, idempotency_key="x"
    )
    assert set(assert_error(response, 422)["fields"]) == {"amount_cents"}
    assert not Deposit.objects.exists()


# --- Withdrawals -----------------------------------------------------------------------------------


def test_a_withdrawal_needs_a_verified_identity_and_changes_nothing_without_one():
    person = verified_user()
    give_available_funds(person, 5_000)
    before = snapshot(person)
    response = ApiClient(person).post("/api/v1/wallet/withdrawals/", PAYPAL, idempotency_key="w")
    assert_error(response, 403, "identity_not_verified")
    assert snapshot(person) == before


def test_a_withdrawal_holds_the_amount_once_per_key():
    person = ready_to_withdraw(verified_user(), 5_000)
    client = ApiClient(person)
    first = client.post("/api/v1/wallet/withdrawals/", PAYPAL, idempotency_key="w-1")
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "requested" and first.json()["amount_cents"] == 3_000
    held = client.get("/api/v1/wallet/").json()
    assert (held["available_cents"], held["withdrawal_hold_cents"]) == (2_000, 3_000)
    after = snapshot(person)

    replay = client.post("/api/v1/wallet/withdrawals/", PAYPAL, idempotency_key="w-1")
    assert replay.status_code == 201 and replay.content == first.content
    assert snapshot(person) == after
    reused = client.post(
        "/api/v1/wallet/withdrawals/", {**PAYPAL, "amount_cents": 1_000}, idempotency_key="w-1"
    )
    assert_error(reused, 409, "idempotency_key_reused")
    assert snapshot(person) == after
    assert [item["id"] for item in client.get("/api/v1/wallet/withdrawals/").json()["items"]] == [
        first.json()["id"]
    ]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({**PAYPAL, "amount_cents": 999}, 422, "amount_cents"),
        ({**PAYPAL, "paypal_email": ""}, 422, "paypal_email"),
        ({**PAYPAL, "paypal_email": "not-an-address"}, 422, "paypal_email"),
        (
            {
                "amount_cents": 3_000,
                "method": "bank",
                "bank_holder": "سارة",
                "bank_name": "بنك",
                "bank_iban": "XX00",
            },
            422,
            "bank_iban",
        ),
        ({**PAYPAL, "method": "cash"}, 422, "method"),
        ({**PAYPAL, "amount_cents": 5_001}, 409, None),  # more than available
    ],
)
def test_a_refused_withdrawal_changes_nothing(body, status, field):
    person = ready_to_withdraw(verified_user(), 5_000)
    before = snapshot(person)
    response = ApiClient(person).post("/api/v1/wallet/withdrawals/", body, idempotency_key="w", language="en")
    error = assert_error(response, status)
    if field:
        assert set(error["fields"]) == {field}
    assert snapshot(person) == before


# --- Finance staff ---------------------------------------------------------------------------------


def test_finance_staff_pays_a_withdrawal_once():
    withdrawal = someones_withdrawal(3_000)
    staff = ApiClient(finance_staff())
    queue = staff.get("/api/v1/staff/withdrawals/").json()
    assert [item["id"] for item in queue["items"]] == [withdrawal.pk]
    assert queue["items"][0]["user"]["id"] == withdrawal.user_id

    paid = staff.post(f"/api/v1/staff/withdrawals/{withdrawal.pk}/pay/", idempotency_key="pay-1")
    assert paid.status_code == 200, paid.content
    assert paid.json()["status"] == "paid" and paid.json()["processed_at"]
    assert system_balance(LedgerAccount.Kind.PAYOUTS) == 3_000
    assert services.balances(withdrawal.user)["withdrawal_hold"] == 0
    after = ledger_snapshot()

    replay = staff.post(f"/api/v1/staff/withdrawals/{withdrawal.pk}/pay/", idempotency_key="pay-1")
    assert replay.content == paid.content and ledger_snapshot() == after
    again = staff.post(f"/api/v1/staff/withdrawals/{withdrawal.pk}/pay/", idempotency_key="pay-2")
    assert_error(again, 409)
    refused = staff.post(
        f"/api/v1/staff/withdrawals/{withdrawal.pk}/refuse/", {"reason": "متأخر جداً."}, idempotency_key="r"
    )
    assert_error(refused, 409)
    assert ledger_snapshot() == after
    assert staff.get("/api/v1/staff/withdrawals/").json()["count"] == 0


def test_a_refused_withdrawal_returns_the_amount_to_available():
    withdrawal = someones_withdrawal(3_000)
    staff = ApiClient(finance_staff())
    short = staff.post(
        f"/api/v1/staff/withdrawals/{withdrawal.pk}/refuse/", {"reason": "لا"}, idempotency_key="r-0"
    )
    assert set(assert_error(short, 422)["fields"]) == {"reason"}
    assert Withdrawal.objects.get(pk=withdrawal.pk).status == "requested"

    refused = staff.post(
        f"/api/v1/staff/withdrawals/{withdrawal.pk}/refuse/",
        {"reason": "الحساب غير مطابق للاسم."},
        idempotency_key="r-1",
    )
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    assert refused.json()["reason"] == "الحساب غير مطابق للاسم."
    figures = services.balances(withdrawal.user)
    assert (figures["available"], figures["withdrawal_hold"]) == (5_000, 0)
    mine = ApiClient(withdrawal.user).get("/api/v1/wallet/withdrawals/").json()["items"]
    assert mine[0]["status"] == "refused"


def test_an_unknown_withdrawal_is_not_found_for_finance_staff():
    response = ApiClient(finance_staff()).post("/api/v1/staff/withdrawals/99999/pay/", idempotency_key="z")
    assert_error(response, 404, "not_found")


# --- Lists cost the same at two sizes -------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/wallet/statement/?account=all", "/api/v1/wallet/withdrawals/"])
def test_my_lists_cost_the_same_with_few_and_many_rows(path, django_assert_num_queries):
    person = ready_to_withdraw(verified_user(), 50_000)
    client = ApiClient(person)
    client.get(path)  # the token's first use writes its "last used" time

    def make(count):
        for _number in range(count):
            give_available_funds(person, 1_000)
            request_paypal_withdrawal(person, 1_000)

    make(2)
    with CaptureQueriesContext(connection) as small:
        small_count = client.get(path + ("&" if "?" in path else "?") + "page_size=50").json()["count"]
    make(8)
    with django_assert_num_queries(len(small.captured_queries)):
        large_count = client.get(path + ("&" if "?" in path else "?") + "page_size=50").json()["count"]
    assert large_count > small_count


def test_the_finance_queue_costs_the_same_with_few_and_many_rows(django_assert_num_queries):
    staff = ApiClient(finance_staff())
    staff.get("/api/v1/staff/withdrawals/")
    someones_withdrawal()
    with CaptureQueriesContext(connection) as small:
        assert staff.get("/api/v1/staff/withdrawals/").json()["count"] == 1
    for _number in range(5):
        someones_withdrawal()
    with django_assert_num_queries(len(small.captured_queries)):
        assert staff.get("/api/v1/staff/withdrawals/").json()["count"] == 6

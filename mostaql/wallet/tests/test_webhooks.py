"""Only a genuine, fresh, signed gateway event credits a wallet, and each event credits once.

Every forged or replayed call goes through the HTTP endpoint (POST /wallet/webhooks/sandbox/, the
signature in the X-Signature header) and is answered 400 with nothing credited.
"""

import json
import random
import time

import pytest
from django.test import Client

from mostaql.accounts.tests.factories import UserFactory
from mostaql.wallet import ledger, services, webhooks
from mostaql.wallet.gateways import WebhookRefused
from mostaql.wallet.gateways.base import signature_header
from mostaql.wallet.gateways.sandbox import DECLINED_CARD, SUCCEEDING_CARD
from mostaql.wallet.models import Deposit, LedgerAccount, Transfer, WebhookEvent
from mostaql.wallet.tests.factories import ledger_snapshot, sandbox_webhook

pytestmark = pytest.mark.django_db

WEBHOOK_URL = "/wallet/webhooks/sandbox/"
Kind = LedgerAccount.Kind


@pytest.fixture(autouse=True)
def _sandbox_on(settings):
    settings.SANDBOX_GATEWAY_ENABLED = True
    settings.SANDBOX_WEBHOOK_SECRET = "test-webhook-secret"
    settings.WEBHOOK_TOLERANCE_SECONDS = 300


@pytest.fixture
def deposit():
    return services.start_deposit(user=UserFactory(), amount_cents=5_000)


def deliver(client, body: bytes, signature: str | None):
    extra = {} if signature is None else {"HTTP_X_SIGNATURE": signature}
    return client.post(WEBHOOK_URL, data=body, content_type="application/json", **extra)


def body_for(deposit: Deposit, *, event_id: str = "evt_1", kind: str = "payment.succeeded", **data) -> bytes:
    payload = {
        "id": event_id,
        "type": kind,
        "data": {"deposit_id": str(deposit.pk), "amount_cents": deposit.amount_cents, "reason": "", **data},
    }
    return json.dumps(payload, separators=(",", ":")).encode()


def signed(body: bytes, *, secret: str = "test-webhook-secret", timestamp: int | None = None) -> str:
    return signature_header(secret, body, timestamp=timestamp)


def available_of(user) -> int:
    return services.balances(user)[Kind.AVAILABLE]


def assert_nothing_credited(deposit: Deposit, before: dict) -> None:
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.STARTED
    assert deposit.transfer is None
    assert available_of(deposit.user) == 0
    assert ledger_snapshot() == before
    assert not WebhookEvent.objects.exists()


# --- The genuine call ----------------------------------------------------------------------------


def test_a_genuine_signed_payment_credits_the_depositor_once(client, deposit):
    body, signature = sandbox_webhook(deposit)

    response = deliver(client, body, signature)

    assert response.status_code == 200
    assert response.content == b"processed"
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.SUCCEEDED
    assert available_of(deposit.user) == 5_000
    assert ledger.system_account(Kind.GATEWAY).balance_cents == -5_000
    assert deposit.transfer.kind == Transfer.Kind.DEPOSIT
    assert WebhookEvent.objects.get().event_id == json.loads(body)["id"]
    assert ledger.audit().is_clean


def test_the_test_card_on_the_checkout_page_credits_the_depositor(client, deposit):
    client.force_login(deposit.user)

    response = client.post(
        f"/wallet/sandbox/{deposit.pk}/",
        {"card_number": "4242 4242 4242 4242", "expiry": "12/30", "cvc": "123"},
    )

    assert response.status_code == 302
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.SUCCEEDED
    assert available_of(deposit.user) == 5_000


# --- Forged calls: 400, nothing credited ---------------------------------------------------------


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda body: (body, None), id="no-signature"),
        pytest.param(lambda body: (body, ""), id="empty-signature"),
        pytest.param(lambda body: (body, "garbage"), id="malformed-signature"),
        pytest.param(lambda body: (body, f"t=soon,v1={'0' * 64}"), id="malformed-timestamp"),
        pytest.param(lambda body: (body, f"t={int(time.time())}"), id="no-v1"),
        pytest.param(lambda body: (body, f"t={int(time.time())},v1={'0' * 64}"), id="wrong-digest"),
        pytest.param(
            lambda body: (body.replace(b'"amount_cents":5000', b'"amount_cents":500000'), signed(body)),
            id="tampered-amount",
        ),
        pytest.param(lambda body: (body, signed(body, secret="not-the-secret")), id="wrong-secret"),
        pytest.param(lambda body: (body, signed(body, timestamp=int(time.time()) - 301)), id="stale"),
        pytest.param(lambda body: (body, signed(body, timestamp=int(time.time()) + 330)), id="future"),
        pytest.param(lambda body: (body, signed(body, timestamp=int(time.time()) - 3600)), id="an-hour-old"),
    ],
)
def test_a_forged_or_stale_call_is_refused_and_credits_nothing(client, deposit, forge):
    body, signature = forge(body_for(deposit))
    before = ledger_snapshot()

    response = deliver(client, body, signature)

    assert response.status_code == 400
    assert_nothing_credited(deposit, before)


def test_a_tampered_kind_is_refused(client, deposit):
    genuine = body_for(deposit, kind="payment.failed", reason="card_declined")
    tampered = genuine.replace(b"payment.failed", b"payment.succeeded")
    before = ledger_snapshot()

    response = deliver(client, tampered, signed(genuine))

    assert response.status_code == 400
    assert_nothing_credited(deposit, before)


def test_a_signature_with_non_ascii_characters_is_refused(deposit):
    body = body_for(deposit)
    before = ledger_snapshot()

    response = deliver(Client(raise_request_exception=False), body, f"t={int(time.time())},v1=é")

    assert response.status_code == 400
    assert_nothing_credited(deposit, before)


def test_a_timestamp_just_inside_the_tolerance_is_accepted(client, deposit):
    body = body_for(deposit)

    response = deliver(client, body, signed(body, timestamp=int(time.time()) - 290))

    assert response.status_code == 200
    assert available_of(deposit.user) == 5_000


def test_an_unknown_deposit_is_refused(client, deposit):
    other = services.start_deposit(user=UserFactory(), amount_cents=5_000)
    body = body_for(other)
    other.delete()
    before = ledger_snapshot()

    response = deliver(client, body, signed(body))

    assert response.status_code == 400
    assert_nothing_credited(deposit, before)


def test_a_deposit_id_that_is_not_a_uuid_is_refused(client, deposit):
    body = body_for(deposit).replace(str(deposit.pk).encode(), b"not-a-uuid")
    before = ledger_snapshot()

    response = deliver(client, body, signed(body))

    assert response.status_code == 400
    assert_nothing_credited(deposit, before)


def test_a_signed_body_that_is_not_an_event_is_refused(client, deposit):
    body = b'{"id": "evt_1", "type": "payment.succeeded"}'
    before = ledger_snapshot()

    response = deliver(client, body, signed(body))

    assert response.status_code == 400
    assert_nothing_credited(deposit, before)


@pytest.mark.parametrize("amount", [4_999, 5_001, 500_000])
def test_an_amount_that_is_not_the_deposits_is_refused(client, deposit, amount):
    body = body_for(deposit, amount_cents=amount)
    before = ledger_snapshot()

    response = deliver(client, body, signed(body))

    assert response.status_code == 400
    assert_nothing_credited(deposit, before)
    # The refused event was not recorded: the genuine one still goes through.
    genuine = body_for(deposit)
    assert deliver(client, genuine, signed(genuine)).status_code == 200
    assert available_of(deposit.user) == 5_000


def test_the_endpoint_does_not_exist_when_the_sandbox_is_off(client, deposit, settings):
    settings.SANDBOX_GATEWAY_ENABLED = False
    body, signature = sandbox_webhook(deposit)
    before = ledger_snapshot()

    response = deliver(client, body, signature)

    assert response.status_code == 404
    assert_nothing_credited(deposit, before)


def test_the_handler_refuses_the_sandbox_when_it_is_off(deposit, settings):
    settings.SANDBOX_GATEWAY_ENABLED = False
    body, signature = sandbox_webhook(deposit)
    before = ledger_snapshot()

    with pytest.raises(WebhookRefused):
        webhooks.handle(gateway_name="sandbox", body=body, signature=signature)

    assert_nothing_credited(deposit, before)


def test_an_unknown_gateway_does_not_exist(client, deposit):
    body, signature = sandbox_webhook(deposit)

    response = client.post(
        "/wallet/webhooks/stripe/", data=body, content_type="application/json", HTTP_X_SIGNATURE=signature
    )

    assert response.status_code == 404
    assert available_of(deposit.user) == 0


def test_the_endpoint_answers_only_post(client, deposit):
    assert client.get(WEBHOOK_URL).status_code == 405


# --- Replays --------------------------------------------------------------------------------------


def test_the_same_event_five_times_in_shuffled_order_with_a_failure_credits_once(client, deposit):
    success_body, success_signature = sandbox_webhook(deposit)
    failure_body = body_for(deposit, event_id="evt_failed", kind="payment.failed", reason="card_declined")
    deliveries = [(success_body, success_signature)] * 5 + [(failure_body, signed(failure_body))] * 2
    random.Random(4).shuffle(deliveries)

    answers = [deliver(client, body, signature) for body, signature in deliveries]

    assert [answer.status_code for answer in answers] == [200] * 7
    assert sorted(answer.content for answer in answers) == [b"duplicate"] * 5 + [b"processed"] * 2
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.SUCCEEDED
    assert available_of(deposit.user) == 5_000
    assert Transfer.objects.filter(kind=Transfer.Kind.DEPOSIT).count() == 1
    assert Transfer.objects.count() == 1
    assert WebhookEvent.objects.count() == 2
    assert ledger.audit().is_clean


@pytest.mark.parametrize("seed", range(6))
def test_replays_in_any_order_credit_once_through_the_handler(deposit, seed):
    """The handler the checkout page also uses: whatever the order, one credit."""
    success = sandbox_webhook(deposit)
    failure_body = body_for(deposit, event_id="evt_failed", kind="payment.failed", reason="card_declined")
    deliveries = [success] * 5 + [(failure_body, signed(failure_body))]
    random.Random(seed).shuffle(deliveries)

    outcomes = [webhooks.handle(gateway_name="sandbox", body=body, signature=sig) for body, sig in deliveries]

    assert sorted(outcomes) == ["duplicate"] * 4 + ["processed"] * 2
    assert available_of(deposit.user) == 5_000
    assert Transfer.objects.filter(kind=Transfer.Kind.DEPOSIT).count() == 1


def test_a_second_success_event_for_the_same_deposit_does_not_credit_twice(client, deposit):
    first = sandbox_webhook(deposit)
    second = sandbox_webhook(deposit)  # a new event id from the processor, for the same payment
    assert json.loads(first[0])["id"] != json.loads(second[0])["id"]

    assert deliver(client, *first).status_code == 200
    before = ledger_snapshot()
    assert deliver(client, *second).status_code == 200

    assert ledger_snapshot() == before
    assert available_of(deposit.user) == 5_000
    assert Transfer.objects.count() == 1


def test_a_replayed_call_is_refused_once_its_timestamp_is_stale(client, deposit, settings):
    body, signature = sandbox_webhook(deposit)
    assert deliver(client, body, signature).status_code == 200
    settings.WEBHOOK_TOLERANCE_SECONDS = -1  # as if the same call came back more than 5 minutes later

    response = deliver(client, body, signature)

    assert response.status_code == 400
    assert available_of(deposit.user) == 5_000


def test_the_handler_refuses_a_forged_call_itself(deposit):
    body = body_for(deposit)

    with pytest.raises(WebhookRefused):
        webhooks.handle(gateway_name="sandbox", body=body, signature=signed(body, secret="guess"))

    assert available_of(deposit.user) == 0


# --- The sandbox checkout page --------------------------------------------------------------------


def test_a_declined_card_fails_the_deposit_and_credits_nothing(client, deposit):
    client.force_login(deposit.user)
    before = ledger_snapshot()

    response = client.post(
        f"/wallet/sandbox/{deposit.pk}/", {"card_number": DECLINED_CARD, "expiry": "12/30", "cvc": "123"}
    )

    assert response.status_code == 302
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.FAILED
    assert deposit.failure_reason == "card_declined"
    assert ledger_snapshot() == before
    assert available_of(deposit.user) == 0
    # A failed deposit is not paid again through the page.
    again = client.post(
        f"/wallet/sandbox/{deposit.pk}/", {"card_number": SUCCEEDING_CARD, "expiry": "12/30", "cvc": "123"}
    )
    assert again.status_code == 302
    assert available_of(deposit.user) == 0


def test_the_checkout_page_of_another_users_deposit_is_not_found(client, deposit):
    client.force_login(UserFactory())

    page = client.get(f"/wallet/sandbox/{deposit.pk}/")
    paying = client.post(
        f"/wallet/sandbox/{deposit.pk}/", {"card_number": SUCCEEDING_CARD, "expiry": "12/30", "cvc": "123"}
    )

    assert (page.status_code, paying.status_code) == (404, 404)
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.STARTED
    assert available_of(deposit.user) == 0


def test_the_checkout_page_is_not_found_when_the_sandbox_is_off(client, deposit, settings):
    settings.SANDBOX_GATEWAY_ENABLED = False
    client.force_login(deposit.user)

    assert client.get(f"/wallet/sandbox/{deposit.pk}/").status_code == 404

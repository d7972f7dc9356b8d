"""A deposit started to fund a contract funds it once paid, through the contracts service, once."""

import pytest

from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError
from mostaql.projects.tests.factories import client_user
from mostaql.wallet import ledger, webhooks
from mostaql.wallet import services as wallet_services
from mostaql.wallet.gateways.sandbox import SUCCEEDING_CARD, SandboxGateway
from mostaql.wallet.models import Deposit, Transfer
from mostaql.wallet.tests.lifecycle_helpers import CONTRACT_AMOUNT, balances, hired_scene

pytestmark = pytest.mark.django_db
S = Contract.Status


@pytest.fixture(autouse=True)
def _sandbox_on(settings):
    settings.SANDBOX_GATEWAY_ENABLED = True


def paid_by_webhook(deposit: Deposit) -> tuple[bytes, str]:
    body, signature = SandboxGateway().charge(deposit, SUCCEEDING_CARD)
    webhooks.handle(gateway_name="sandbox", body=body, signature=signature)
    return body, signature


def test_a_paid_deposit_for_a_contract_funds_it():
    scene = hired_scene(funds_cents=None)
    deposit = wallet_services.start_deposit(
        user=scene.client, amount_cents=CONTRACT_AMOUNT, contract=scene.contract
    )

    paid_by_webhook(deposit)

    scene.refresh()
    assert scene.contract.status == S.ACTIVE and scene.contract.funded_at is not None
    assert balances(scene.client)["available"] == 0
    assert ledger.audit().is_clean


def test_a_replayed_webhook_credits_once_and_funds_once():
    scene = hired_scene(funds_cents=None)
    deposit = wallet_services.start_deposit(
        user=scene.client, amount_cents=CONTRACT_AMOUNT, contract=scene.contract
    )
    body, signature = paid_by_webhook(deposit)

    assert webhooks.handle(gateway_name="sandbox", body=body, signature=signature) == "duplicate"

    assert Transfer.objects.filter(kind=Transfer.Kind.DEPOSIT).count() == 1
    assert Transfer.objects.filter(kind=Transfer.Kind.FUND).count() == 1
    assert balances(scene.client)["available"] == 0


def test_a_deposit_that_does_not_cover_the_contract_stays_in_the_balance():
    scene = hired_scene(funds_cents=None)
    deposit = wallet_services.start_deposit(user=scene.client, amount_cents=10_000, contract=scene.contract)

    paid_by_webhook(deposit)

    assert scene.refresh().contract.status == S.AWAITING_FUNDING
    assert balances(scene.client)["available"] == 10_000
    assert not Transfer.objects.filter(kind=Transfer.Kind.FUND).exists()


def test_a_hire_withdrawn_while_paying_keeps_the_money_in_the_balance():
    scene = hired_scene(funds_cents=None)
    deposit = wallet_services.start_deposit(
        user=scene.client, amount_cents=CONTRACT_AMOUNT, contract=scene.contract
    )
    contract_services.withdraw_hire(client=scene.client, contract=scene.contract, reason="تغيرت خطتنا.")

    paid_by_webhook(deposit)

    assert Deposit.objects.get(pk=deposit.pk).status == Deposit.Status.SUCCEEDED
    assert scene.refresh().contract.status != S.ACTIVE
    assert balances(scene.client)["available"] == CONTRACT_AMOUNT
    assert ledger.audit().is_clean


def test_nobody_starts_a_deposit_to_fund_someone_elses_contract():
    scene = hired_scene(funds_cents=None)
    stranger = client_user("غريب")

    with pytest.raises(DomainError):
        wallet_services.start_deposit(user=stranger, amount_cents=CONTRACT_AMOUNT, contract=scene.contract)

    assert not Deposit.objects.exists()


def test_the_deposit_form_ignores_a_contract_that_is_not_the_persons(client):
    scene = hired_scene(funds_cents=None)
    stranger = client_user("غريب")
    client.force_login(stranger)

    client.post("/wallet/deposit/", {"amount": "400", "fund": scene.contract.pk})

    assert Deposit.objects.get(user=stranger).contract is None

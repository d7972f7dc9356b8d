"""Incoming gateway webhooks: verified, recorded once per event id, then applied."""

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction

from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError
from mostaql.wallet import services
from mostaql.wallet.gateways import WebhookRefused, get_gateway
from mostaql.wallet.models import Deposit, WebhookEvent


def handle(*, gateway_name: str, body: bytes, signature: str) -> str:
    """Apply one delivery of a webhook. Returns "processed" or "duplicate"; raises WebhookRefused.

    The event row and its effect commit together: a replayed or concurrent delivery of the same
    event id finds the row (or loses the race on its unique key) and changes nothing.
    """
    if gateway_name == "sandbox" and not settings.SANDBOX_GATEWAY_ENABLED:
        raise WebhookRefused("the sandbox gateway is off")
    gateway = get_gateway(gateway_name)
    event = gateway.parse_event(body, signature)
    if not Deposit.objects.filter(pk=_uuid_or_none(event.deposit_id), gateway=gateway.name).exists():
        raise WebhookRefused("unknown deposit")
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(
                gateway=gateway.name, event_id=event.event_id, kind=event.kind, payload=event.payload
            )
            if event.kind == "payment.succeeded":
                deposit = services.confirm_deposit(
                    deposit_id=event.deposit_id, amount_cents=event.amount_cents, gateway=gateway.name
                )
                fund_what_the_deposit_was_for(deposit)
            elif event.kind == "payment.failed":
                services.fail_deposit(
                    deposit_id=event.deposit_id,
                    gateway=gateway.name,
                    reason=str(event.payload["data"].get("reason", "")),
                )
    except IntegrityError:
        return "duplicate"
    except DomainError as error:  # e.g. an amount that is not the deposit's: nothing was applied
        raise WebhookRefused(error.message) from None
    return "processed"


def fund_what_the_deposit_was_for(deposit: Deposit) -> bool:
    """A paid deposit started to fund a contract funds it, through the contracts service, if that
    contract still waits for funding and the balance now covers it. Returns whether it funded.

    Runs inside the webhook's transaction, so a replayed event (refused on its id) funds nothing
    twice; a contract funded meanwhile, declined or withdrawn, or still short of money, is left as it
    is: the money stays in the balance and the contract page says what remains to do.
    """
    if deposit.contract_id is None or deposit.status != Deposit.Status.SUCCEEDED:
        return False
    contract = Contract.objects.get(pk=deposit.contract_id)
    if contract.status != Contract.Status.AWAITING_FUNDING or contract.client_id != deposit.user_id:
        return False
    try:
        with transaction.atomic():  # a savepoint: a refusal leaves the deposit credited
            contract_services.fund_contract(client=deposit.user, contract=contract)
    except DomainError:
        return False
    return True


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None

"""Incoming gateway webhooks: verified, recorded once per event id, then applied."""

import datetime
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction

from mostaql.core.exceptions import DomainError
from mostaql.wallet import hooks, services
from mostaql.wallet.gateways import WebhookRefused, get_gateway
from mostaql.wallet.models import Deposit, WebhookEvent


def handle(*, gateway_name: str, body: bytes, signature: str, now: datetime.datetime | None = None) -> str:
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
                    deposit_id=event.deposit_id,
                    amount_cents=event.amount_cents,
                    gateway=gateway.name,
                    now=now,
                )
                # Contracts (above the wallet) funds what the deposit was started for, if anything.
                hooks.deposit_confirmed(deposit, now=now)
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


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None

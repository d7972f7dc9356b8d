"""What every payment gateway does, and the signed-webhook check they share.

A gateway takes the person to its checkout (start), then tells us server-to-server, in a webhook
signed as the real processors sign theirs, whether the payment succeeded. Only a verified webhook
moves money.
"""

import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass

from django.conf import settings


class WebhookRefused(Exception):
    """The call is not a genuine, fresh event of this gateway; answer 400 and do nothing."""


@dataclass(frozen=True)
class WebhookEvent:
    event_id: str
    kind: str  # "payment.succeeded" or "payment.failed"
    deposit_id: str
    amount_cents: int
    payload: dict


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", as Stripe-style processors sign their webhooks."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return f"t={timestamp},v1={sign(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, *, now: float | None = None) -> None:
    """Refuse an unsigned, tampered or stale call (older than WEBHOOK_TOLERANCE_SECONDS)."""
    try:
        parts = dict(part.split("=", 1) for part in header.split(","))
        timestamp, given = int(parts["t"]), parts["v1"]
    except (KeyError, ValueError):
        raise WebhookRefused("missing or malformed signature") from None
    if abs((now or time.time()) - timestamp) > settings.WEBHOOK_TOLERANCE_SECONDS:
        raise WebhookRefused("stale timestamp")
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
    if not hmac.compare_digest(sign(secret, timestamp, body).encode(), given.encode("utf-8", "replace")):
        raise WebhookRefused("bad signature")


class PaymentGateway:
    name: str = ""
    signature_header_name: str = "HTTP_X_SIGNATURE"

    def checkout_url(self, deposit) -> str:
        """Where to send the person to pay for `deposit`."""
        raise NotImplementedError

    def webhook_secret(self) -> str:
        raise NotImplementedError

    def parse_event(self, body: bytes, signature: str) -> WebhookEvent:
        verify(self.webhook_secret(), signature, body)
        try:
            payload = json.loads(body)
        except ValueError:
            raise WebhookRefused("malformed payload") from None
        return parse_payload(payload)


EVENT_ID_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{1,100}")  # what WebhookEvent.event_id can hold
KINDS = {"payment.succeeded", "payment.failed"}
MAX_AMOUNT_CENTS = 10**12
MAX_REASON_LENGTH = 500


def parse_payload(payload) -> WebhookEvent:
    """A signed payload is still checked field by field, strictly: a gateway bug (or a leaked secret)
    must not feed a float, a string or a boolean where an integer of cents belongs, an event id the
    table cannot hold, or a NUL that PostgreSQL refuses in the stored payload.
    """
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
        raise WebhookRefused("malformed payload")
    data = payload["data"]
    event_id, kind, deposit_id = payload.get("id"), payload.get("type"), data.get("deposit_id")
    amount = data.get("amount_cents")
    if not isinstance(event_id, str) or not EVENT_ID_PATTERN.fullmatch(event_id):
        raise WebhookRefused("malformed event id")
    if kind not in KINDS:
        raise WebhookRefused("unknown event type")
    if not isinstance(deposit_id, str) or not 1 <= len(deposit_id) <= 64:
        raise WebhookRefused("malformed deposit id")
    # bool is a subclass of int in Python: `true` must not pass as 1 cent.
    if type(amount) is not int or not 0 <= amount <= MAX_AMOUNT_CENTS:
        raise WebhookRefused("amount_cents must be a whole number of cents")
    reason = data.get("reason", "")
    if not isinstance(reason, str) or len(reason) > MAX_REASON_LENGTH:
        raise WebhookRefused("malformed reason")
    if "\\u0000" in json.dumps(payload):
        raise WebhookRefused("NUL characters are not allowed")
    return WebhookEvent(
        event_id=event_id, kind=kind, deposit_id=deposit_id, amount_cents=amount, payload=payload
    )

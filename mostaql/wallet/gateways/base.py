"""What every payment gateway does, and the signed-webhook check they share.

A gateway takes the person to its checkout (start), then tells us server-to-server, in a webhook
signed as the real processors sign theirs, whether the payment succeeded. Only a verified webhook
moves money.
"""

import hashlib
import hmac
import json
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
            data = payload["data"]
            return WebhookEvent(
                event_id=str(payload["id"]),
                kind=str(payload["type"]),
                deposit_id=str(data["deposit_id"]),
                amount_cents=int(data["amount_cents"]),
                payload=payload,
            )
        except (ValueError, KeyError, TypeError):
            raise WebhookRefused("malformed payload") from None

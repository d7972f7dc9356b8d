"""The built-in sandbox gateway, for development and demos: a test card page and signed webhooks.

Test cards: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined. It never moves real
money, so it is refused unless settings.SANDBOX_GATEWAY_ENABLED (on with DEBUG by default).
"""

import json
import uuid

from django.conf import settings
from django.urls import reverse

from mostaql.wallet.gateways.base import PaymentGateway, signature_header

SUCCEEDING_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"


class SandboxGateway(PaymentGateway):
    name = "sandbox"

    def checkout_url(self, deposit) -> str:
        return reverse("wallet:sandbox_checkout", kwargs={"pk": deposit.pk})

    def webhook_secret(self) -> str:
        return settings.SANDBOX_WEBHOOK_SECRET

    def charge(self, deposit, card_number: str) -> tuple[bytes, str]:
        """Play the processor: decide the card's fate and write the webhook it would send us.

        Returns the event's body and signature header, ready to be delivered to the webhook endpoint.
        """
        digits = "".join(character for character in card_number if character.isdigit())
        succeeded = digits == SUCCEEDING_CARD
        event = {
            "id": f"evt_{uuid.uuid4().hex}",
            "type": "payment.succeeded" if succeeded else "payment.failed",
            "data": {
                "deposit_id": str(deposit.pk),
                "amount_cents": deposit.amount_cents,
                "reason": ""
                if succeeded
                else ("card_declined" if digits == DECLINED_CARD else "invalid_card"),
            },
        }
        body = json.dumps(event, separators=(",", ":")).encode()
        return body, signature_header(self.webhook_secret(), body)

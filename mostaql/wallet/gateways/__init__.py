"""Payment gateways behind one interface; settings.PAYMENT_GATEWAY picks the one for deposits."""

from django.conf import settings

from mostaql.wallet.gateways.base import PaymentGateway, WebhookRefused
from mostaql.wallet.gateways.sandbox import SandboxGateway

GATEWAYS: dict[str, type[PaymentGateway]] = {SandboxGateway.name: SandboxGateway}


def get_gateway(name: str | None = None) -> PaymentGateway:
    return GATEWAYS[name or settings.PAYMENT_GATEWAY]()


__all__ = ["GATEWAYS", "PaymentGateway", "WebhookRefused", "get_gateway"]

"""`manage.py check --deploy`: production must not take money from the sandbox gateway."""

from django.conf import settings
from django.core.checks import Error, Tags, register

DEFAULT_SANDBOX_WEBHOOK_SECRET = "sandbox-development-secret"


@register(Tags.security, deploy=True)
def no_sandbox_in_production(app_configs, **kwargs) -> list:
    if settings.DEBUG:
        return []
    errors = []
    if settings.SANDBOX_GATEWAY_ENABLED:
        errors.append(
            Error(
                "The sandbox payment gateway is on with DEBUG off: anyone could credit a wallet with "
                "its test card.",
                hint="Set SANDBOX_GATEWAY_ENABLED=False (and PAYMENT_GATEWAY to a real gateway).",
                id="mostaql.E001",
            )
        )
    if settings.SANDBOX_WEBHOOK_SECRET == DEFAULT_SANDBOX_WEBHOOK_SECRET:
        errors.append(
            Error(
                "The webhook signing secret is the published development default: anyone can sign webhooks.",
                hint="Set SANDBOX_WEBHOOK_SECRET to a long random value.",
                id="mostaql.E002",
            )
        )
    return errors

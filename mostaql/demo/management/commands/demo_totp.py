"""The demo moderator's current TOTP code, from the demo's published secret (development only)."""

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mostaql.demo.data.people import MODERATOR, MODERATOR_TOTP_SECRET


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


class Command(BaseCommand):
    help = "Print the demo moderator's current two-factor code. Refused with DEBUG off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo's second factor is for development only: refusing with DEBUG off.")
        self.stdout.write(f"{MODERATOR}: {current_code(MODERATOR_TOTP_SECRET)}")

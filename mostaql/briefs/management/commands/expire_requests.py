"""The requests' sweep by hand: open requests past REQUEST_OPEN_DAYS become expired (safe to run twice)."""

from django.core.management.base import BaseCommand

from mostaql.briefs.services import expire_briefs


class Command(BaseCommand):
    help = "Mark open requests past their expiry as expired."

    def handle(self, *args, **options):
        self.stdout.write(f"{expire_briefs()} request(s) expired.")

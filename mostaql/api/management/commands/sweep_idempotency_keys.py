"""The idempotency sweep: forget keys older than IDEMPOTENCY_KEY_TTL_HOURS (safe to run any time, twice)."""

from django.core.management.base import BaseCommand

from mostaql.api.services import sweep_idempotency_records


class Command(BaseCommand):
    help = "Delete idempotency records older than IDEMPOTENCY_KEY_TTL_HOURS (24 by default)."

    def handle(self, *args, **options):
        deleted = sweep_idempotency_records()
        self.stdout.write(f"{deleted} idempotency record(s) forgotten.")

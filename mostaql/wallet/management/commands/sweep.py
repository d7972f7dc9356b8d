"""The scheduled sweeps, by hand: auto-accept overdue deliveries, then clear earnings that are due.

Celery beat runs the same two tasks in production; running this again changes nothing.
"""

from django.core.management.base import BaseCommand

from mostaql.contracts.services import auto_accept_overdue
from mostaql.wallet.services import clear_due_earnings


class Command(BaseCommand):
    help = "Auto-accept deliveries past AUTO_ACCEPT_DAYS and clear earnings past CLEARANCE_DAYS."

    def handle(self, *args, **options):
        accepted = auto_accept_overdue()
        cleared = clear_due_earnings()
        self.stdout.write(f"{accepted} deliveries accepted automatically, {cleared} earnings cleared.")

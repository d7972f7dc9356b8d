"""The scheduled sweeps, by hand: auto-accept overdue deliveries, clear earnings that are due, and
publish reviews whose window has closed; match projects whose saved-search task was lost, send unsent
alerts and, from SAVED_DIGEST_HOUR_UTC, the day's digests.

Celery beat runs the same four tasks in production; running this again changes nothing.
"""

from django.core.management.base import BaseCommand

from mostaql.contracts.services import auto_accept_overdue
from mostaql.reviews.services import publish_due_reviews
from mostaql.saved import alerts
from mostaql.wallet.services import clear_due_earnings


class Command(BaseCommand):
    help = (
        "Auto-accept deliveries past AUTO_ACCEPT_DAYS, clear earnings past CLEARANCE_DAYS and publish "
        "reviews past REVIEW_WINDOW_DAYS."
    )

    def handle(self, *args, **options):
        accepted = auto_accept_overdue()
        cleared = clear_due_earnings()
        published = publish_due_reviews()
        saved = alerts.sweep()
        self.stdout.write(
            f"{accepted} deliveries accepted automatically, {cleared} earnings cleared, "
            f"{published} reviews published."
        )
        if any(saved.values()):
            self.stdout.write(
                f"Saved searches: {saved['matched']} matches, {saved['instant']} projects alerted at once, "
                f"{saved['digests']} in daily digests."
            )

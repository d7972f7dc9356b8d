"""Copy the sellers' ratings onto their services, as Celery beat does every SWEEP_INTERVAL_SECONDS."""

from django.core.management.base import BaseCommand

from mostaql.gigs.services import refresh_seller_ratings


class Command(BaseCommand):
    help = "Copy each seller's rating onto their services (for the best-rated sort and the rating filter)."

    def handle(self, *args, **options):
        self.stdout.write(f"{refresh_seller_ratings()} services' seller ratings refreshed.")

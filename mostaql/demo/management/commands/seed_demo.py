"""Arabic demo data for development and demos: safe to run twice, refused in production."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from mostaql.demo import loader
from mostaql.demo.data.people import DEMO_PASSWORD, MODERATOR_TOTP_SECRET


class Command(BaseCommand):
    help = "Load Arabic demo accounts, profiles and portfolios. Safe to run twice; refused with DEBUG off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only: refusing to run with DEBUG off.")
        created = loader.load_people()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new accounts)."))
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            projects = loader.load_projects()  # keeps the dozens of e-mails it causes off the console
            conversations = loader.load_conversations()
            reviews = loader.load_reviews()
            reports = loader.load_reports()
            gigs = loader.load_services()
            orders = loader.load_orders()
            requests = loader.load_requests()
            invitations = loader.load_invitations()
            loader.load_saved()
            agreements = loader.load_agreements()
        self.stdout.write(self.style.SUCCESS(f"Demo projects ready ({projects} new projects)."))
        self.stdout.write(
            self.style.SUCCESS(f"Demo services ready ({gigs} new services, {orders} new orders).")
        )
        self.stdout.write(self.style.SUCCESS(f"Demo requests ready ({requests} new requests)."))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo conversations, reviews and reports ready "
                f"({conversations}, {reviews} and {reports} new); {agreements} new contracts in milestones."
            )
        )
        self.stdout.write(self.style.SUCCESS(f"Demo invitations ready ({invitations} new)."))
        self.stdout.write(
            f"Demo logins (password: {DEMO_PASSWORD}):\n"
            "  client@demo.test      — a client: money in the wallet, a delivery to accept, orders\n"
            "  freelancer@demo.test  — a freelancer: contracts in progress, earnings, withdrawals, an\n"
            "                          invitation to the demo client's private project\n"
            "  moderator@demo.test   — a moderator (staff, /admin/, /staff/projects/, /staff/services/,"
            " /staff/disputes/, /staff/identity/, /staff/finance/)\n"
            f"  the moderator signs in with a second factor: TOTP secret {MODERATOR_TOTP_SECRET}\n"
            "  (add it to an authenticator app, or run `.venv/bin/python manage.py demo_totp` for the code)"
        )

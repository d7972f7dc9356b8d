"""Create a personal access token for an account from the command line (prints the secret once)."""

from django.core.management.base import BaseCommand, CommandError

from mostaql.accounts.models import User
from mostaql.api import services
from mostaql.core.exceptions import DomainError


class Command(BaseCommand):
    help = "Create a personal access token for the JSON API and print its secret (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="command line")
        parser.add_argument(
            "--days", type=int, default=None, help="Expires after this many days (default: never)."
        )

    def handle(self, *args, email, name, days, **options):
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email}.")
        try:
            _token, secret = services.create_token(user=user, name=name, expires_in_days=days)
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(secret)

"""Rebuild every reputation counter from the rows (contracts, deliveries, reviews, messages).

The counters move with each fact as it happens; this is the check and the repair: it prints how many
rows it had to correct. Safe to run at any time, and again.
"""

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef, Q

from mostaql.accounts.models import User
from mostaql.contracts.models import Contract
from mostaql.messaging.models import Message
from mostaql.reviews import reputation
from mostaql.reviews.models import Reputation


class Command(BaseCommand):
    help = "Recount every person's reputation counters from contracts, reviews and messages."

    def add_arguments(self, parser):
        parser.add_argument("--email", help="Only this person.")
        parser.add_argument(
            "--check", action="store_true", help="Change nothing; exit non-zero when a counter is wrong."
        )

    def handle(self, *args, **options):
        people = User.objects.order_by("pk")
        if options["email"]:
            people = people.filter(email=options["email"].lower())
        else:
            # Someone with no contract, message or counter has nothing to count (reviews need contracts).
            people = people.filter(
                Q(Exists(Reputation.objects.filter(user=OuterRef("pk"))))
                | Q(Exists(Contract.objects.filter(Q(client=OuterRef("pk")) | Q(freelancer=OuterRef("pk")))))
                | Q(Exists(Message.objects.filter(sender=OuterRef("pk"))))
            )
        checked = wrong = 0
        for person in people.iterator():
            checked += 1
            stored = Reputation.objects.filter(user=person).first()
            before = reputation.counters_of(stored) if stored else None
            expected = reputation.counted_from_rows(person)
            if before == expected or (before is None and not any(expected.values())):
                continue
            wrong += 1
            differences = {
                field: f"{(before or {}).get(field, 0)} → {value}"
                for field, value in expected.items()
                if (before or {}).get(field, 0) != value
            }
            self.stdout.write(f"{person.email}: {differences}")
            if not options["check"]:
                reputation.recount(person)
        verb = "found wrong" if options["check"] else "corrected"
        self.stdout.write(f"{checked} people checked, {wrong} {verb}.")
        if options["check"] and wrong:
            raise SystemExit(1)

from django.core.management.base import BaseCommand, CommandError

from mostaql.wallet.ledger import audit


class Command(BaseCommand):
    help = (
        "Check every ledger invariant: each transfer sums to zero, each cached balance equals its "
        "entries, all balances sum to zero, no user or escrow balance is negative, and finished "
        "contracts hold no escrow. Exits non-zero on any break."
    )

    def handle(self, *args, **options):
        report = audit()
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.is_clean:
            raise CommandError(f"ledger audit failed: {len(report.problems)} problem(s)")
        self.stdout.write(f"ledger audit clean: {report.transfers} transfers, {report.accounts} accounts")

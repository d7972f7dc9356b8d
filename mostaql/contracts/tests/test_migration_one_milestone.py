"""The migration of one-payment contracts (contracts/migrations/0007) on the demo data: every contract
made before milestones becomes a contract of one milestone with its whole amount, its deliveries belong
to it, no money moves, and the ledger audit stays clean.

The demo is seeded on today's schema; its one-payment hires are then taken back to the shape they had
before milestones (the schema of 0006, their milestones removed), and the migrations run forward again.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import load_catalog
from mostaql.contracts.models import Contract, Milestone
from mostaql.demo import loader
from mostaql.messaging.models import Conversation
from mostaql.wallet import ledger
from mostaql.wallet.models import Entry, LedgerAccount, Transfer

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_MILESTONES = [("contracts", "0006_milestones_orders")]
MILESTONE_STATUS = {
    "awaiting_funding": "pending",
    "active": "funded",
    "delivered": "delivered",
    "completed": "paid",
    "cancelled": "refunded",
    "declined": "cancelled",
    "withdrawn": "cancelled",
}


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_one_payment_contracts_of_the_demo_migrate_to_one_milestone_with_a_clean_ledger(
    settings, monkeypatch
):
    settings.DEBUG = True
    load_catalog(Category, Skill)  # earlier transactional tests flush the tables, the catalog with them
    # The demo's service orders are paid agreements without a project, which only exist after
    # milestones (messaging keeps their conversations since its 0004): the projects' story is enough.
    monkeypatch.setattr(loader, "load_orders", lambda **kwargs: 0)
    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    one_payment = {
        contract.pk: contract
        for contract in Contract.objects.filter(origin=Contract.Origin.HIRE).prefetch_related("milestones")
        if len(contract.milestones.all()) == 1
    }
    assert len(one_payment) >= 10
    money = (Transfer.objects.count(), Entry.objects.count(), ledger.audit().is_clean)
    assert money[2]
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    # Agreements without a project (the demo's direct contract, unfunded) came after milestones; their
    # conversations could not go back to messaging's schema before 0004, so they leave first.
    assert not LedgerAccount.objects.filter(contract__isnull=False, contract__project__isnull=True).exists()
    Conversation.objects.filter(project__isnull=True).delete()
    Contract.objects.filter(project__isnull=True).delete()

    _migrate(BEFORE_MILESTONES)
    apps = MigrationExecutor(connection).loader.project_state(BEFORE_MILESTONES).apps
    old = {name: apps.get_model("contracts", name) for name in ("Milestone", "Delivery", "ContractEvent")}
    old["Delivery"].objects.filter(contract__in=list(one_payment)).update(milestone=None)
    old["ContractEvent"].objects.filter(contract__in=list(one_payment)).update(milestone=None)
    old["Milestone"].objects.filter(contract__in=list(one_payment)).delete()
    _migrate(leaves)

    for pk, before in one_payment.items():
        contract = Contract.objects.get(pk=pk)
        [milestone] = contract.milestones.all()
        expected = MILESTONE_STATUS.get(before.status) or ("delivered" if before.delivered_at else "funded")
        assert (milestone.amount_cents, milestone.days, milestone.status) == (
            before.amount_cents,
            before.duration_days,
            expected,
        ), contract
        assert milestone.funded_at == before.funded_at
        assert set(contract.deliveries.values_list("milestone", flat=True)) <= {milestone.pk}
    assert not Contract.objects.filter(milestones__isnull=True).exists()
    assert Milestone.objects.filter(contract__in=list(one_payment)).count() == len(one_payment)
    assert (Transfer.objects.count(), Entry.objects.count()) == money[:2]
    report = ledger.audit()
    assert report.is_clean, report.problems

"""Two orders racing for the buyer's last dollars, with real threads on PostgreSQL: exactly one is paid.

The race helpers are the wallet's (each thread its own connection, released together by a barrier).
"""

import pytest
from django.db import connection

from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import load_catalog
from mostaql.contracts.models import Contract
from mostaql.contracts.services import NeedsFunds
from mostaql.gigs import services
from mostaql.gigs.models import Order, Service
from mostaql.gigs.tests.factories import approved_service
from mostaql.gigs.tests.support import needs_engine
from mostaql.projects.tests.factories import client_user
from mostaql.wallet import ledger
from mostaql.wallet.services import balances
from mostaql.wallet.tests.test_races import add_funds, run_at_once, unexpected

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need PostgreSQL's row locks: set DATABASE_URL to a PostgreSQL database",
    ),
    pytest.mark.django_db(transaction=True),
    needs_engine,
]


@pytest.fixture(autouse=True)
def _catalog():
    load_catalog(Category, Skill)


def test_two_orders_for_the_last_dollars_pay_exactly_one():
    buyer = client_user()
    add_funds(buyer, 1500)
    first, second = approved_service(price_cents=1000), approved_service(price_cents=1000)

    outcomes = run_at_once(
        [
            lambda: services.place_order(
                buyer=buyer, service=Service.objects.get(pk=first.pk), upgrade_ids=[], quantity=1
            ),
            lambda: services.place_order(
                buyer=buyer, service=Service.objects.get(pk=second.pk), upgrade_ids=[], quantity=1
            ),
        ]
    )

    assert unexpected(outcomes, NeedsFunds) == []
    assert sorted(outcome.ok for outcome in outcomes) == [False, True]
    assert Order.objects.count() == 1 and Contract.objects.count() == 1
    assert balances(buyer)["available"] == 500
    assert not ledger.audit().problems

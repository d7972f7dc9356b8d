"""The benchmark's generator at a tiny scale (PostgreSQL only: it writes by COPY):

DATABASE_URL=postgres://postgres@127.0.0.1:5432/mostaql_ci .venv/bin/pytest mostaql/benchmarks --create-db
"""

import random

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mostaql.benchmarks.generator import BENCH_DOMAIN, Generator
from mostaql.benchmarks.gigs import SHOWCASE_REVIEWS, SHOWCASE_SERVICE_TITLE, ServiceGenerator
from mostaql.contracts.models import Contract, Milestone
from mostaql.core.cache import FRAGMENTS
from mostaql.gigs.models import Order, OrderUpgrade, Service
from mostaql.gigs.selectors import service_reviews
from mostaql.reviews.models import Direction, Review

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the generator writes by COPY"
)
pytestmark = [pytest.mark.django_db, needs_postgresql]


@pytest.fixture
def generated():
    def say(message):
        pass

    Generator(say).generate(10, 60, random.Random(1))
    services = ServiceGenerator(say)
    services.generate(20, random.Random(2))
    services.generate_orders(80, random.Random(3))
    return services


def test_the_orders_are_stored_as_the_engine_stores_them(generated):
    counts = generated.counts()
    assert counts["services"] == 20
    orders = Order.objects.filter(service__seller__email__endswith="@" + BENCH_DOMAIN)
    assert counts["orders"] == orders.count() == 80
    contracts = Contract.objects.filter(service_order__in=orders)
    assert contracts.count() == 80
    assert set(contracts.values_list("origin", flat=True)) == {Contract.Origin.ORDER}
    assert Milestone.objects.filter(contract__in=contracts).count() == 80
    completed = contracts.filter(status=Contract.Status.COMPLETED)
    reviews = Review.objects.filter(contract__in=contracts)
    assert counts["reviews"] == reviews.count() == completed.count() >= SHOWCASE_REVIEWS
    assert set(reviews.values_list("direction", flat=True)) == {Direction.CLIENT_TO_FREELANCER}
    for order in orders.prefetch_related("upgrades").select_related("contract"):
        upgrades = list(order.upgrades.all())
        assert order.total_cents == order.contract.amount_cents
        assert order.total_cents == order.base_price_cents * order.quantity + sum(
            u.price_cents for u in upgrades
        )
    assert OrderUpgrade.objects.filter(order__in=orders).exists()
    for service in Service.objects.filter(seller__email__endswith="@" + BENCH_DOMAIN):
        assert service.order_count == service.orders.count()


def test_the_showcase_service_page_has_fifty_reviews(generated, client):
    showcase = Service.objects.get(title=SHOWCASE_SERVICE_TITLE)
    assert Review.objects.filter(contract__service_order__service=showcase).count() == SHOWCASE_REVIEWS
    assert len(service_reviews(showcase, limit=100)) == SHOWCASE_REVIEWS

    queries = []
    for _ in range(2):
        caches[FRAGMENTS].clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(showcase.get_absolute_url(), secure=True)
        assert response.status_code == 200
        queries.append(len(captured))
        # then the same page with 5 reviews left
        Review.objects.filter(pk__in=[review.pk for review in service_reviews(showcase, limit=45)]).delete()
    assert queries[0] == queries[1]  # the page's queries do not grow with its reviews
    generated.delete()
    assert generated.counts() == {"services": 0, "approved": 0, "orders": 0, "reviews": 0}

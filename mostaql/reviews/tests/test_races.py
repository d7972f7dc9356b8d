"""Reviews and reputation counters under concurrent updates, with real threads on PostgreSQL.

Each thread has its own connection; a barrier starts the calls together (see wallet/tests/test_races.py
for the runner). Whatever the interleaving, each fact is counted exactly once and the counters equal a
full recount. SQLite has no row locks (a write locks the whole file), so these tests are skipped there.
"""

import pytest
from django.db import connection

from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import load_catalog
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError
from mostaql.messaging.services import send_message
from mostaql.notifications.models import Notification
from mostaql.projects.tests.factories import client_user, freelancer_user
from mostaql.reviews import reputation, services
from mostaql.reviews.models import Reputation, Review
from mostaql.reviews.tests.factories import (
    COMMENT,
    clock_at,
    completed_contract,
    conversation_of,
    days_ago,
    deliver,
    fund,
    hired,
    marks,
    review,
    say,
)
from mostaql.wallet.tests.test_races import run_at_once, unexpected

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need PostgreSQL's row locks: set DATABASE_URL to a PostgreSQL database",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _catalog():
    load_catalog(Category, Skill)


def counters(user) -> dict[str, int]:
    return reputation.counters_of(Reputation.objects.get(user=user))


def matches_a_recount(*people) -> None:
    for person in people:
        assert counters(person) == reputation.counted_from_rows(person), person.name


def test_both_sides_reviewing_at_once_publish_both_reviews_once():
    contract = completed_contract()

    def write(author):
        direction = services.direction_for(contract, author)
        return lambda: services.write_review(
            author=author,
            contract=Contract.objects.get(pk=contract.pk),
            scores=marks(direction, 4),
            comment=COMMENT,
        )

    outcomes = run_at_once([write(contract.client), write(contract.freelancer)])

    assert unexpected(outcomes) == []
    assert Review.objects.filter(published_at__isnull=False).count() == 2
    assert Notification.objects.filter(kind="review_received").count() == 2
    assert counters(contract.freelancer)["freelancer_review_count"] == 1
    assert counters(contract.client)["client_review_count"] == 1
    matches_a_recount(contract.client, contract.freelancer)


def test_the_same_side_reviewing_twice_at_once_writes_one_review():
    contract = completed_contract()

    outcomes = run_at_once(
        [lambda: review(contract.client, Contract.objects.get(pk=contract.pk)) for _number in range(3)]
    )

    assert sum(outcome.ok for outcome in outcomes) == 1
    assert unexpected(outcomes, DomainError) == []
    assert Review.objects.count() == 1


def test_two_sweeps_at_once_publish_each_review_once():
    contracts = []
    for _number in range(3):
        with clock_at(days_ago(20)):
            contract = completed_contract()
            review(contract.client, contract)
        contracts.append(contract)

    outcomes = run_at_once([services.publish_due_reviews, services.publish_due_reviews])

    assert unexpected(outcomes) == []
    assert sum(outcome.value for outcome in outcomes) == 3
    assert Notification.objects.filter(kind="review_received").count() == 3
    for contract in contracts:
        assert counters(contract.freelancer)["freelancer_review_count"] == 1


def test_contracts_of_the_same_pair_completing_at_once_count_one_client_who_came_back():
    freelancer, client = freelancer_user(), client_user()
    delivered = [deliver(fund(hired(client, freelancer))) for _number in range(4)]

    outcomes = run_at_once(
        [
            lambda contract=contract: contract_services.accept_delivery(
                client=client, contract=Contract.objects.get(pk=contract.pk)
            )
            for contract in delivered
        ]
    )

    assert unexpected(outcomes) == []
    assert {
        key: counters(freelancer)[key] for key in ("freelancer_completed_count", "freelancer_client_count")
    } == {
        "freelancer_completed_count": 4,
        "freelancer_client_count": 1,
    }
    assert counters(freelancer)["freelancer_repeat_client_count"] == 1
    assert counters(client)["client_completed_count"] == 4
    matches_a_recount(freelancer, client)


def test_first_replies_in_many_conversations_at_once_all_count():
    freelancer = freelancer_user()
    contracts = [hired(client_user(), freelancer) for _number in range(5)]
    for contract in contracts:
        say(contract.client, conversation_of(contract))

    outcomes = run_at_once(
        [
            lambda contract=contract: send_message(
                sender=freelancer, conversation=conversation_of(contract), body="أهلاً بك"
            )
            for contract in contracts
        ]
        + [
            lambda: send_message(
                sender=freelancer, conversation=conversation_of(contracts[0]), body="رسالة ثانية"
            )
        ]
    )

    assert unexpected(outcomes) == []
    assert counters(freelancer)["response_count"] == 5
    matches_a_recount(freelancer)


def test_a_recount_during_completions_and_reviews_leaves_correct_counters():
    freelancer, client = freelancer_user(), client_user()
    delivered = [deliver(fund(hired(client, freelancer))) for _number in range(3)]
    done = completed_contract(client, freelancer)
    review(client, done, 5)

    calls = [
        lambda contract=contract: contract_services.accept_delivery(
            client=client, contract=Contract.objects.get(pk=contract.pk)
        )
        for contract in delivered
    ]
    calls += [
        lambda: review(freelancer, Contract.objects.get(pk=done.pk), 3),
        lambda: reputation.recount(freelancer),
        lambda: reputation.recount(client),
    ]
    outcomes = run_at_once(calls)

    assert unexpected(outcomes) == []
    assert counters(freelancer)["freelancer_completed_count"] == 4
    assert counters(freelancer)["freelancer_review_count"] == 1
    matches_a_recount(freelancer, client)

"""Random lives of a small marketplace: the incremental counters always equal a full recount.

A hypothesis state machine plays two clients and three freelancers through hires, fundings,
deliveries (early or late, as its clock moves), change requests, acceptances (by the client or by the
sweep), cancellations, disputes decided either way, declined and withdrawn hires, messages from
either side, reviews and the publishing sweep, in any order, with refusals. After every step each
person's Reputation row must equal `reputation.counted_from_rows` (what the rows say), and a recount
in the middle of it all must change nothing.

MOSTAQL_HYPOTHESIS_EXAMPLES sets the number of examples (25 by default), for a longer run.
"""

import contextlib
import datetime
import os
from typing import ClassVar
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from mostaql.accounts.models import User
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError
from mostaql.projects.tests.factories import client_user, freelancer_user, moderator
from mostaql.reviews import reputation, services
from mostaql.reviews.models import Reputation
from mostaql.reviews.tests.factories import (
    DECISION,
    DELIVERY_MESSAGE,
    DISPUTE_REASON,
    REASON,
    Clock,
    conversation_of,
    hired,
    marks,
)
from mostaql.wallet.tests.factories import add_funds

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("MOSTAQL_HYPOTHESIS_EXAMPLES", "25"))
S = Contract.Status


class ReputationMachine(RuleBasedStateMachine):
    # Created once by the test, outside the examples' savepoints.
    clients: ClassVar[list[User]] = []
    freelancers: ClassVar[list[User]] = []
    moderator: ClassVar[User]

    def __init__(self):
        super().__init__()
        # Each example runs in a savepoint that teardown rolls back, under a clock of its own.
        self._example = transaction.atomic()
        self._example.__enter__()
        self.clock = Clock(timezone.now() - datetime.timedelta(days=365))
        self._clock = mock.patch("django.utils.timezone.now", self.clock)
        self._clock.start()
        self.contracts: list[int] = []

    def teardown(self):
        self._clock.stop()
        transaction.set_rollback(True)
        self._example.__exit__(None, None, None)

    def people(self) -> list[User]:
        return self.clients + self.freelancers

    def pick(self, data, *statuses: str) -> Contract:
        candidates = list(
            Contract.objects.filter(pk__in=self.contracts, status__in=statuses)
            .select_related("client", "freelancer")
            .order_by("pk")
        )
        return data.draw(st.sampled_from(candidates)) if candidates else None

    def has(self, *statuses: str) -> bool:
        return Contract.objects.filter(pk__in=self.contracts, status__in=statuses).exists()

    # --- Contracts ---------------------------------------------------------------------------------

    @rule(client=st.integers(0, 1), freelancer=st.integers(0, 2), days=st.integers(1, 10))
    def hire(self, client, freelancer, days):
        contract = hired(self.clients[client], self.freelancers[freelancer], duration_days=days)
        self.contracts.append(contract.pk)

    @precondition(lambda self: self.has(S.AWAITING_FUNDING))
    @rule(data=st.data(), how=st.sampled_from(["fund", "fund", "decline", "withdraw"]))
    def fund_or_end_the_hire(self, data, how):
        contract = self.pick(data, S.AWAITING_FUNDING)
        if how == "fund":
            add_funds(contract.client, contract.amount_cents)
            contract_services.fund_contract(client=contract.client, contract=contract)
        elif how == "decline":
            contract_services.decline_hire(freelancer=contract.freelancer, contract=contract, reason=REASON)
        else:
            contract_services.withdraw_hire(client=contract.client, contract=contract, reason=REASON)

    @rule(hours=st.integers(1, 24 * 9))
    def time_passes(self, hours):
        self.clock.advance(hours=hours)

    @precondition(lambda self: self.has(S.ACTIVE))
    @rule(data=st.data())
    def deliver(self, data):
        contract = self.pick(data, S.ACTIVE)
        contract_services.deliver(freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE)

    @precondition(lambda self: self.has(S.DELIVERED))
    @rule(data=st.data(), how=st.sampled_from(["accept", "accept", "changes"]))
    def answer_the_delivery(self, data, how):
        contract = self.pick(data, S.DELIVERED)
        if how == "accept":
            contract_services.accept_delivery(client=contract.client, contract=contract)
        else:
            contract_services.request_changes(client=contract.client, contract=contract, message=REASON)

    @precondition(lambda self: self.has(S.DELIVERED))
    @rule()
    def auto_accept_sweep(self):
        contract_services.auto_accept_overdue(now=self.clock.advance(days=django_settings.AUTO_ACCEPT_DAYS))

    @precondition(lambda self: self.has(S.ACTIVE, S.DELIVERED))
    @rule(data=st.data(), proposer=st.sampled_from(["client", "freelancer"]))
    def cancel_by_agreement(self, data, proposer):
        contract = self.pick(data, S.ACTIVE, S.DELIVERED)
        asker = getattr(contract, proposer)
        answerer = contract.freelancer if proposer == "client" else contract.client
        contract_services.propose_cancellation(user=asker, contract=contract, reason=REASON)
        contract_services.answer_cancellation(user=answerer, contract=contract, accept=True)

    @precondition(lambda self: self.has(S.ACTIVE, S.DELIVERED))
    @rule(data=st.data(), share=st.sampled_from([0, 1, 5_000]))
    def dispute(self, data, share):
        contract = self.pick(data, S.ACTIVE, S.DELIVERED)
        contract_services.open_dispute(user=contract.client, contract=contract, reason=DISPUTE_REASON)
        contract_services.resolve_dispute(
            moderator=self.moderator, contract=contract, freelancer_share_cents=share, decision=DECISION
        )

    # --- Messages and reviews ----------------------------------------------------------------------

    @precondition(lambda self: self.contracts)
    @rule(data=st.data(), side=st.sampled_from(["client", "freelancer"]), minutes=st.integers(0, 600))
    def write_a_message(self, data, side, minutes):
        contract = self.pick(data, *S.values)
        self.clock.advance(minutes=minutes)
        from mostaql.messaging.services import send_message

        send_message(sender=getattr(contract, side), conversation=conversation_of(contract), body="رسالة")

    @precondition(lambda self: self.has(S.COMPLETED, S.CANCELLED))
    @rule(data=st.data(), side=st.sampled_from(["client", "freelancer"]), mark=st.integers(1, 5))
    def review(self, data, side, mark):
        contract = self.pick(data, S.COMPLETED, S.CANCELLED)
        author = getattr(contract, side)
        direction = services.direction_for(contract, author)
        # Refused when not completed, already written or after the window: the checks still hold.
        with contextlib.suppress(DomainError):
            services.write_review(
                author=author, contract=contract, scores=marks(direction, mark), comment="عمل رائع جداً."
            )

    @rule(days=st.integers(0, 20))
    def publish_sweep(self, days):
        services.publish_due_reviews(now=self.clock.advance(days=days))

    @rule(person=st.integers(0, 4))
    def recount_changes_nothing(self, person):
        user = self.people()[person]
        before = reputation.counted_from_rows(user)
        assert reputation.counters_of(reputation.recount(user)) == before

    # --- The invariant -----------------------------------------------------------------------------

    @invariant()
    def counters_equal_a_full_recount(self):
        rows = {row.user_id: row for row in Reputation.objects.filter(user__in=self.people())}
        for user in self.people():
            stored = (
                reputation.counters_of(rows[user.pk])
                if user.pk in rows
                else dict.fromkeys(reputation.COUNTERS, 0)
            )
            assert stored == reputation.counted_from_rows(user), user.name


@pytest.fixture
def marketplace(settings):
    settings.SANDBOX_GATEWAY_ENABLED = True
    settings.OFFERS_PER_MONTH = 10_000
    ReputationMachine.clients = [client_user(f"عميل {number}") for number in range(2)]
    ReputationMachine.freelancers = [freelancer_user(f"مستقل {number}") for number in range(3)]
    ReputationMachine.moderator = moderator()
    yield ReputationMachine
    ReputationMachine.clients = ReputationMachine.freelancers = []


def test_the_counters_equal_a_full_recount_after_every_step_of_a_random_history(marketplace):
    run_state_machine_as_test(
        marketplace,
        settings=hypothesis_settings(
            max_examples=EXAMPLES,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )

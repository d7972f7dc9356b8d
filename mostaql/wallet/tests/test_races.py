"""Races on the money, with real threads on PostgreSQL (issue 4, "Reliability").

Each thread has its own database connection (Django opens one per thread) and closes it when done;
a barrier starts the calls together. The outcome of every race is the same whatever the interleaving,
so each test asserts it exactly: who won, what the losers were told, the balances to the cent, and a
clean ledger audit. Money enters through the real path: a deposit, then the sandbox gateway's signed
webhook through webhooks.handle.

SQLite has no row locks (a write locks the whole file), so these tests are skipped there.
"""

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.db.models import Min

from mostaql.accounts.models import User
from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import load_catalog
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.contracts.services import NeedsFunds
from mostaql.core.exceptions import DomainError
from mostaql.core.milestones import MilestoneTerms
from mostaql.core.uploads import clean_file
from mostaql.projects.models import Project
from mostaql.projects.tests.factories import (
    client_user,
    freelancer_user,
    hire,
    moderator,
    open_project,
    pdf_upload,
    place_offer,
)
from mostaql.wallet import ledger, services, webhooks
from mostaql.wallet.gateways.sandbox import SUCCEEDING_CARD, SandboxGateway
from mostaql.wallet.ledger import IdempotencyConflict, InsufficientFunds
from mostaql.wallet.models import (
    Deposit,
    Entry,
    LedgerAccount,
    PendingEarning,
    Transfer,
    WebhookEvent,
    Withdrawal,
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need PostgreSQL's row locks: set DATABASE_URL to a PostgreSQL database",
    ),
    pytest.mark.django_db(transaction=True),
]

Kind = LedgerAccount.Kind
# Bounds, not pauses: a lock wait longer than this fails the statement, and a race longer than the
# join timeout fails the test, instead of hanging the suite.
STATEMENT_TIMEOUT_MS = 20_000
RACE_TIMEOUT_SECONDS = 60


# --- Running calls at once ------------------------------------------------------------------------


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def run_at_once(calls: list[Callable[[], Any]]) -> list[Outcome]:
    """Run each call in a thread of its own, all released together by a barrier; their outcomes in order.

    Each thread opens its own connection before the barrier (so the start is not spread by connection
    set-up), bounds every statement with statement_timeout, and closes its connection when done.
    """
    barrier = threading.Barrier(len(calls), timeout=RACE_TIMEOUT_SECONDS)
    outcomes: list[Outcome | None] = [None] * len(calls)

    def work(index: int, call: Callable[[], Any]) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
            barrier.wait()
            outcomes[index] = Outcome(value=call())
        except BaseException as error:  # a thread reports everything; the test decides what is wrong
            outcomes[index] = Outcome(error=error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=work, args=(index, call), name=f"race-{index}", daemon=True)
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(RACE_TIMEOUT_SECONDS)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"threads still running after {RACE_TIMEOUT_SECONDS}s: {stuck}"
    return outcomes


def unexpected(outcomes: list[Outcome], *expected: type[BaseException]) -> list[BaseException]:
    return [o.error for o in outcomes if o.error is not None and not isinstance(o.error, expected)]


# --- Set-up through the product's own services ----------------------------------------------------


@pytest.fixture(autouse=True)
def _catalog():
    # Transactional tests flush every table at the end: put back the starting catalog if it went.
    load_catalog(Category, Skill)


def add_funds(user: User, amount_cents: int) -> Deposit:
    """The real deposit path: start a deposit, pay with the test card, deliver the signed webhook."""
    deposit = services.start_deposit(user=user, amount_cents=amount_cents)
    body, signature = SandboxGateway().charge(deposit, SUCCEEDING_CARD)
    assert webhooks.handle(gateway_name=deposit.gateway, body=body, signature=signature) == "processed"
    return deposit


def verify_identity(user: User) -> None:
    document = clean_file(pdf_upload("passport.pdf"), kinds={"image", "pdf"})
    check = services.submit_identity_document(user=user, document=document)
    services.review_identity(moderator=moderator(name="مشرف الهويات"), verification=check, approve=True)


def hired_contract(client: User, freelancer: User | None = None, amount_cents: int = 100_00) -> Contract:
    project = open_project(client)
    return hire(place_offer(project, freelancer, amount_cents=amount_cents))


def fresh(instance):
    """A copy loaded anew, as each request would load its own."""
    return type(instance).objects.get(pk=instance.pk)


def balance(account_filter: dict) -> int:
    account = LedgerAccount.objects.filter(**account_filter).first()
    return account.balance_cents if account else 0


def lowest_balance_ever(user: User, kind: str = Kind.AVAILABLE) -> int:
    """The lowest running balance the account ever had, from its entries."""
    lowest = Entry.objects.filter(account__owner=user, account__kind=kind).aggregate(
        lowest=Min("balance_after_cents")
    )["lowest"]
    return 0 if lowest is None else lowest


def assert_audit_clean() -> None:
    report = ledger.audit()
    assert report.is_clean, report.problems


# --- The races ------------------------------------------------------------------------------------


@pytest.mark.parametrize("hold_exists", [False, True], ids=["first-withdrawal", "hold-account-exists"])
def test_fifty_withdrawals_of_the_whole_balance_exactly_one_succeeds(hold_exists):
    user = freelancer_user()
    add_funds(user, 50_00)
    verify_identity(user)
    if hold_exists:
        # As for anyone who has withdrawn before. On a first withdrawal the callers also race to create
        # the hold account, and its unique index alone would line them up; here only the locks do.
        ledger.user_account(user, Kind.WITHDRAWAL_HOLD)

    def withdraw(person: User):
        return lambda: services.request_withdrawal(
            user=person, amount_cents=50_00, method="paypal", paypal_email="me@example.com"
        )

    outcomes = run_at_once([withdraw(fresh(user)) for _ in range(50)])

    assert not unexpected(outcomes, InsufficientFunds)
    won = [o.value for o in outcomes if o.ok]
    assert len(won) == 1
    assert sum(isinstance(o.error, InsufficientFunds) for o in outcomes) == 49
    assert list(Withdrawal.objects.filter(user=user)) == won  # the losers' rows were rolled back
    assert Transfer.objects.filter(kind=Transfer.Kind.WITHDRAW).count() == 1
    assert services.balances(user) == {
        Kind.AVAILABLE: 0,
        Kind.PENDING: 0,
        Kind.WITHDRAWAL_HOLD: 50_00,
        "escrow": 0,
    }
    assert lowest_balance_ever(user) == 0
    assert_audit_clean()


def test_fifty_fundings_of_two_contracts_beyond_the_balance_fund_exactly_one():
    client = client_user()
    add_funds(client, 150_00)
    contracts = [hired_contract(client), hired_contract(client)]

    def fund(contract: Contract):
        person = fresh(client)
        return lambda: contract_services.fund_contract(client=person, contract=contract)

    outcomes = run_at_once([fund(fresh(contract)) for contract in contracts for _ in range(25)])

    assert not unexpected(outcomes, DomainError)
    won = [o.value for o in outcomes if o.ok]
    assert len(won) == 1
    winner = won[0]
    loser = next(contract for contract in contracts if contract.pk != winner.pk)
    # The loser's 25 callers were short of funds by $50; the winner's other 24 found it active already.
    short = [o.error for o in outcomes if isinstance(o.error, NeedsFunds)]
    assert len(short) == 25
    assert {error.shortfall_cents for error in short} == {50_00}
    assert sum(o.error is not None and not isinstance(o.error, NeedsFunds) for o in outcomes) == 24

    statuses = dict(Contract.objects.filter(client=client).values_list("pk", "status"))
    assert statuses == {winner.pk: Contract.Status.ACTIVE, loser.pk: Contract.Status.AWAITING_FUNDING}
    assert Project.objects.get(contracts__pk=winner.pk).status == Project.Status.IN_PROGRESS
    funded = Counter(Transfer.objects.filter(kind=Transfer.Kind.FUND).values_list("contract_id", flat=True))
    assert funded == {winner.pk: 1}
    assert balance({"contract": winner, "kind": Kind.ESCROW}) == 100_00
    assert balance({"contract": loser, "kind": Kind.ESCROW}) == 0
    assert services.balances(client)[Kind.AVAILABLE] == 50_00
    assert lowest_balance_ever(client) >= 0
    assert_audit_clean()


def test_a_delivery_accepted_twice_at_once_is_released_once():
    client, freelancer = client_user(), freelancer_user()
    add_funds(client, 100_00)
    contract = hired_contract(client, freelancer)
    contract_services.fund_contract(client=client, contract=contract)
    contract_services.deliver(freelancer=freelancer, contract=contract, message="العمل جاهز كاملاً، تفضل.")

    def accept(person: User, copy: Contract):
        return lambda: contract_services.accept_delivery(client=person, contract=copy)

    outcomes = run_at_once([accept(fresh(client), fresh(contract)) for _ in range(2)])

    assert not unexpected(outcomes, DomainError)
    assert sum(o.ok for o in outcomes) == 1
    assert sum(o.error is not None for o in outcomes) == 1
    contract.refresh_from_db()
    assert contract.status == Contract.Status.COMPLETED
    assert Transfer.objects.filter(kind=Transfer.Kind.RELEASE, contract=contract).count() == 1
    assert PendingEarning.objects.filter(contract=contract).count() == 1
    assert services.balances(freelancer)[Kind.PENDING] == 100_00 - 20_00  # less 20% commission
    assert balance({"kind": Kind.PLATFORM_REVENUE, "owner": None, "contract": None}) == 20_00
    assert balance({"contract": contract, "kind": Kind.ESCROW}) == 0
    assert services.balances(client)[Kind.AVAILABLE] == 0
    assert_audit_clean()


def test_the_same_deposit_webhook_delivered_by_ten_threads_credits_once():
    user = client_user()
    deposit = services.start_deposit(user=user, amount_cents=75_00)
    body, signature = SandboxGateway().charge(deposit, SUCCEEDING_CARD)

    outcomes = run_at_once(
        [
            lambda: webhooks.handle(gateway_name=deposit.gateway, body=body, signature=signature)
            for _ in range(10)
        ]
    )

    assert not unexpected(outcomes)
    assert Counter(o.value for o in outcomes) == {"processed": 1, "duplicate": 9}
    assert WebhookEvent.objects.count() == 1
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.SUCCEEDED
    assert Transfer.objects.filter(kind=Transfer.Kind.DEPOSIT).count() == 1
    assert services.balances(user)[Kind.AVAILABLE] == 75_00
    assert_audit_clean()


def test_ten_different_success_events_for_one_deposit_at_once_credit_once():
    """A gateway that retries with new event ids: each event is recorded, the deposit credited once."""
    user = client_user()
    deposit = services.start_deposit(user=user, amount_cents=75_00)
    deliveries = [SandboxGateway().charge(deposit, SUCCEEDING_CARD) for _ in range(10)]

    def deliver(body: bytes, signature: str):
        return lambda: webhooks.handle(gateway_name=deposit.gateway, body=body, signature=signature)

    outcomes = run_at_once([deliver(body, signature) for body, signature in deliveries])

    assert not unexpected(outcomes)
    assert Counter(o.value for o in outcomes) == {"processed": 10}
    assert WebhookEvent.objects.count() == 10
    assert Transfer.objects.filter(kind=Transfer.Kind.DEPOSIT).count() == 1
    assert services.balances(user)[Kind.AVAILABLE] == 75_00
    assert_audit_clean()


def test_twenty_postings_under_the_same_key_write_one_transfer():
    user = freelancer_user()
    add_funds(user, 100_00)
    available = ledger.user_account(user, Kind.AVAILABLE)
    hold = ledger.user_account(user, Kind.WITHDRAWAL_HOLD)

    def post():
        legs = [(fresh(available), -30_00), (fresh(hold), 30_00)]
        return lambda: ledger.post_transfer(
            key="api:withdraw:same-key", kind=Transfer.Kind.WITHDRAW, legs=legs, actor=user
        )

    outcomes = run_at_once([post() for _ in range(20)])

    assert not unexpected(outcomes)
    assert len({o.value.pk for o in outcomes}) == 1
    assert Transfer.objects.filter(idempotency_key="api:withdraw:same-key").count() == 1
    assert Entry.objects.filter(transfer=outcomes[0].value).count() == 2
    assert services.balances(user)[Kind.AVAILABLE] == 70_00
    assert services.balances(user)[Kind.WITHDRAWAL_HOLD] == 30_00
    assert_audit_clean()


def test_twenty_withdrawals_under_the_same_key_at_once_are_one_withdrawal():
    user = freelancer_user()
    add_funds(user, 100_00)
    verify_identity(user)

    def withdraw(person: User):
        return lambda: services.request_withdrawal(
            user=person, amount_cents=30_00, method="paypal", paypal_email="me@example.com", key="same-key"
        )

    outcomes = run_at_once([withdraw(fresh(user)) for _ in range(20)])

    assert not unexpected(outcomes)
    assert len({o.value.pk for o in outcomes}) == 1
    assert list(Withdrawal.objects.filter(user=user)) == [outcomes[0].value]
    assert Transfer.objects.filter(kind=Transfer.Kind.WITHDRAW).count() == 1
    assert services.balances(user)[Kind.AVAILABLE] == 70_00
    assert services.balances(user)[Kind.WITHDRAWAL_HOLD] == 30_00
    assert_audit_clean()


def test_the_same_key_with_other_legs_at_once_is_refused_to_one_side():
    """Ten callers post $30 and ten post $40 under one key: one amount is written, the other refused."""
    user = freelancer_user()
    add_funds(user, 100_00)
    available = ledger.user_account(user, Kind.AVAILABLE)
    hold = ledger.user_account(user, Kind.WITHDRAWAL_HOLD)

    def post(amount_cents: int):
        legs = [(fresh(available), -amount_cents), (fresh(hold), amount_cents)]
        return lambda: ledger.post_transfer(key="api:withdraw:k", kind=Transfer.Kind.WITHDRAW, legs=legs)

    outcomes = run_at_once([post(amount) for amount in (30_00, 40_00) for _ in range(10)])

    assert not unexpected(outcomes, IdempotencyConflict)
    transfer = Transfer.objects.get(idempotency_key="api:withdraw:k")
    moved = services.balances(user)[Kind.WITHDRAWAL_HOLD]
    assert moved in (30_00, 40_00)
    # Everyone who asked for the amount written got that transfer; everyone else was refused.
    for index, outcome in enumerate(outcomes):
        asked = 30_00 if index < 10 else 40_00
        if asked == moved:
            assert outcome.ok and outcome.value.pk == transfer.pk
        else:
            assert isinstance(outcome.error, IdempotencyConflict)
    assert services.balances(user)[Kind.AVAILABLE] == 100_00 - moved
    assert_audit_clean()


# --- Issue 13: milestones and orders racing for the last dollars ---------------------------------


def test_two_milestone_fundings_racing_for_the_last_dollars_fund_exactly_one():
    """The second milestone of one contract and the first of another, $100 each, with $150 left."""
    client, freelancer = client_user(), freelancer_user()
    add_funds(client, 250_00)
    plan = [MilestoneTerms("التصميم", 100_00, 5), MilestoneTerms("البرمجة", 100_00, 5)]
    running = contract_services.hire(
        owner=client,
        project=(project := open_project(client)),
        offer=place_offer(project, freelancer, amount_cents=200_00, milestones=plan),
    )
    contract_services.fund_contract(client=client, contract=running)
    contract_services.deliver(freelancer=freelancer, contract=running, message="المرحلة الأولى جاهزة، تفضل.")
    contract_services.accept_delivery(client=client, contract=running)
    other = hired_contract(client)
    assert services.balances(client)[Kind.AVAILABLE] == 150_00

    outcomes = run_at_once(
        [
            lambda: contract_services.fund_contract(client=fresh(client), contract=fresh(running)),
            lambda: contract_services.fund_contract(client=fresh(client), contract=fresh(other)),
        ]
    )

    assert not unexpected(outcomes, NeedsFunds)
    assert sum(o.ok for o in outcomes) == 1
    assert [o.error.shortfall_cents for o in outcomes if not o.ok] == [50_00]
    assert services.balances(client)[Kind.AVAILABLE] == 50_00
    escrows = balance({"contract__in": [running, other], "kind": Kind.ESCROW})
    assert escrows == 100_00
    assert Transfer.objects.filter(kind=Transfer.Kind.FUND).count() == 2  # the first milestone + the winner
    assert lowest_balance_ever(client) >= 0
    assert_audit_clean()


def test_two_orders_racing_for_the_buyers_last_dollars_place_exactly_one():
    buyer, seller = client_user(), freelancer_user()
    add_funds(buyer, 150_00)

    def order():
        return contract_services.start_order(
            buyer=fresh(buyer), seller=fresh(seller), title="شعار لمتجر قهوة", amount_cents=100_00, days=3
        )

    outcomes = run_at_once([order, order])

    assert not unexpected(outcomes, NeedsFunds)
    assert sum(o.ok for o in outcomes) == 1
    assert [o.error.shortfall_cents for o in outcomes if not o.ok] == [50_00]
    assert Contract.objects.filter(origin=Contract.Origin.ORDER).count() == 1  # the loser wrote nothing
    assert services.balances(buyer)[Kind.AVAILABLE] == 50_00
    assert lowest_balance_ever(buyer) >= 0
    assert_audit_clean()

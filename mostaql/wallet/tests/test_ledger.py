"""The one posting function, the commission it takes, and the history it keeps (docs/architecture.md,
"How money moves")."""

import datetime

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mostaql.accounts.tests.factories import UserFactory
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError
from mostaql.projects.models import Project
from mostaql.projects.tests.factories import moderator
from mostaql.wallet import ledger, services
from mostaql.wallet.ledger import IdempotencyConflict, InsufficientFunds
from mostaql.wallet.models import Entry, LedgerAccount, PendingEarning, Transfer, Withdrawal
from mostaql.wallet.tests.factories import (
    add_funds,
    clear_everything_due,
    completed_contract,
    delivered_contract,
    finance_staff,
    funded_contract,
    give_available_funds,
    hired_contract,
    ledger_snapshot,
    request_paypal_withdrawal,
    system_balance,
    verify_identity,
)

pytestmark = pytest.mark.django_db

Kind = LedgerAccount.Kind
only_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (row locks, triggers)"
)


def available(user) -> LedgerAccount:
    return ledger.user_account(user, Kind.AVAILABLE)


def balance(account: LedgerAccount) -> int:
    return LedgerAccount.objects.get(pk=account.pk).balance_cents


def deposit_directly(user, amount_cents: int, key: str) -> Transfer:
    """gateway → available, posted straight through the ledger (these tests are about the ledger)."""
    return ledger.post_transfer(
        key=key,
        kind=Transfer.Kind.DEPOSIT,
        legs=[(ledger.system_account(Kind.GATEWAY), -amount_cents), (available(user), amount_cents)],
    )


# --- Balanced transfers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amounts",
    [
        pytest.param([500, -400], id="unbalanced"),
        pytest.param([500], id="one-leg"),
        pytest.param([0, 0], id="only-zero-legs"),
        pytest.param([], id="no-legs"),
    ],
)
def test_a_transfer_must_have_two_or_more_legs_that_sum_to_zero(amounts):
    accounts = [available(UserFactory()) for _amount in amounts]
    before = ledger_snapshot()

    with pytest.raises(ValueError):
        ledger.post_transfer(
            key="bad", kind=Transfer.Kind.DEPOSIT, legs=list(zip(accounts, amounts, strict=True))
        )

    assert ledger_snapshot() == before


def test_a_deposit_credits_the_user_and_records_running_balances():
    person = UserFactory()
    gateway = ledger.system_account(Kind.GATEWAY)

    first = deposit_directly(person, 5_000, "deposit:1")
    second = deposit_directly(person, 2_550, "deposit:2")

    assert balance(available(person)) == 7_550
    assert balance(gateway) == -7_550
    assert list(
        first.entries.order_by("amount_cents").values_list("amount_cents", "balance_after_cents")
    ) == [
        (-5_000, -5_000),
        (5_000, 5_000),
    ]
    assert list(
        second.entries.order_by("amount_cents").values_list("amount_cents", "balance_after_cents")
    ) == [(-2_550, -7_550), (2_550, 7_550)]
    # The statement's running balance is the entries' own: each one is the previous plus its amount.
    for account in (available(person), gateway):
        running = 0
        for amount, after in account.entries.order_by("id").values_list(
            "amount_cents", "balance_after_cents"
        ):
            running += amount
            assert after == running
        assert running == balance(account)


def test_an_account_named_twice_in_one_transfer_gets_a_running_balance_per_entry():
    person = UserFactory()
    deposit_directly(person, 1_000, "deposit:1")
    hold = ledger.user_account(person, Kind.WITHDRAWAL_HOLD)

    transfer = ledger.post_transfer(
        key="split",
        kind=Transfer.Kind.WITHDRAW,
        legs=[(available(person), -300), (available(person), -200), (hold, 500)],
    )

    assert list(transfer.entries.order_by("id").values_list("amount_cents", "balance_after_cents")) == [
        (-300, 700),
        (-200, 500),
        (500, 500),
    ]
    assert (balance(available(person)), balance(hold)) == (500, 500)


def test_a_user_balance_never_goes_below_zero_and_a_refusal_writes_nothing():
    person, other = UserFactory(), UserFactory()
    deposit_directly(person, 1_000, "deposit:1")
    paying, paid = available(person), available(other)
    before = ledger_snapshot()

    with pytest.raises(InsufficientFunds):
        ledger.post_transfer(
            key="too-much", kind=Transfer.Kind.WITHDRAW, legs=[(paying, -1_001), (paid, 1_001)]
        )

    assert ledger_snapshot() == before
    assert not Transfer.objects.filter(idempotency_key="too-much").exists()
    # The whole balance, to the cent, is allowed.
    ledger.post_transfer(
        key="all-of-it",
        kind=Transfer.Kind.WITHDRAW,
        legs=[(available(person), -1_000), (available(other), 1_000)],
    )
    assert (balance(available(person)), balance(available(other))) == (0, 1_000)


def test_an_escrow_balance_never_goes_below_zero():
    contract = hired_contract(amount_cents=10_000)
    escrow, client_available = ledger.escrow_account(contract), available(contract.client)
    before = ledger_snapshot()

    with pytest.raises(InsufficientFunds):
        services.refund_escrow(contract=contract, milestone=contract.current_milestone, actor=contract.client)

    assert ledger_snapshot() == before
    assert (balance(escrow), balance(client_available)) == (0, 0)


def test_platform_revenue_never_goes_below_zero_either():
    revenue, person = ledger.system_account(Kind.PLATFORM_REVENUE), available(UserFactory())
    before = ledger_snapshot()

    with pytest.raises(InsufficientFunds):
        ledger.post_transfer(key="take-revenue", kind=Transfer.Kind.REFUND, legs=[(revenue, -1), (person, 1)])

    assert ledger_snapshot() == before


def test_the_gateway_and_payouts_system_accounts_may_go_below_zero():
    person = UserFactory()
    deposit_directly(person, 3_000, "deposit:1")
    payouts = ledger.system_account(Kind.PAYOUTS)

    ledger.post_transfer(
        key="odd-correction",
        kind=Transfer.Kind.PAYOUT,
        legs=[(payouts, -700), (ledger.system_account(Kind.GATEWAY), 700)],
    )

    assert balance(payouts) == -700
    assert system_balance(Kind.GATEWAY) == -2_300
    assert ledger.audit().is_clean


# --- Idempotency ----------------------------------------------------------------------------------


def test_the_same_key_and_legs_return_the_first_transfer_and_write_nothing():
    person, other = UserFactory(), UserFactory()
    deposit_directly(person, 1_000, "deposit:1")
    legs = [(available(person), -400), (available(other), 400)]
    first = ledger.post_transfer(key="pay:1", kind=Transfer.Kind.WITHDRAW, legs=legs)
    before = ledger_snapshot()

    replay = ledger.post_transfer(key="pay:1", kind=Transfer.Kind.WITHDRAW, legs=legs)
    in_other_order = ledger.post_transfer(key="pay:1", kind=Transfer.Kind.WITHDRAW, legs=legs[::-1])

    assert replay.pk == in_other_order.pk == first.pk
    assert ledger_snapshot() == before
    assert (balance(available(person)), balance(available(other))) == (600, 400)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"amount": 401}, id="other-amount"),
        pytest.param({"to_third_person": True}, id="other-account"),
        pytest.param({"kind": Transfer.Kind.REFUND}, id="other-kind"),
    ],
)
def test_the_same_key_with_other_legs_or_kind_is_refused(changes):
    person, other, third = UserFactory(), UserFactory(), UserFactory()
    deposit_directly(person, 1_000, "deposit:1")
    ledger.post_transfer(
        key="pay:1", kind=Transfer.Kind.WITHDRAW, legs=[(available(person), -400), (available(other), 400)]
    )
    amount = changes.get("amount", 400)
    target = available(third) if changes.get("to_third_person") else available(other)
    before = ledger_snapshot()

    with pytest.raises(IdempotencyConflict):
        ledger.post_transfer(
            key="pay:1",
            kind=changes.get("kind", Transfer.Kind.WITHDRAW),
            legs=[(available(person), -amount), (target, amount)],
        )

    assert ledger_snapshot() == before


def test_funding_the_same_escrow_twice_moves_the_money_once():
    contract = funded_contract(amount_cents=10_000)
    before = ledger_snapshot()

    milestone = contract.milestones.get()
    again = services.fund_escrow(contract=contract, milestone=milestone, client=contract.client)

    assert again == Transfer.objects.get(idempotency_key=f"fund:m{milestone.pk}")
    assert ledger_snapshot() == before


def test_a_withdrawal_requested_twice_with_the_same_key_is_one_withdrawal():
    person = UserFactory()
    verify_identity(person)
    give_available_funds(person, 5_000)

    first = request_paypal_withdrawal(person, 2_000, key="withdraw-key-1")
    replay = request_paypal_withdrawal(person, 2_000, key="withdraw-key-1")

    assert services.balances(person)["available"] == 3_000
    assert services.balances(person)["withdrawal_hold"] == 2_000
    assert replay.pk == first.pk
    assert Withdrawal.objects.filter(user=person).count() == 1
    assert Transfer.objects.filter(kind=Transfer.Kind.WITHDRAW).count() == 1


@pytest.mark.parametrize(
    "other",
    [
        pytest.param({"amount_cents": 3_000}, id="other-amount"),
        pytest.param({"paypal_email": "someone.else@example.com"}, id="other-paypal-address"),
    ],
)
def test_the_same_withdrawal_key_with_other_details_is_refused_and_changes_nothing(other):
    person = UserFactory()
    verify_identity(person)
    give_available_funds(person, 5_000)
    first = request_paypal_withdrawal(person, 2_000, key="withdraw-key-1")
    before = ledger_snapshot()

    with pytest.raises(DomainError):
        services.request_withdrawal(
            **{
                "user": person,
                "amount_cents": 2_000,
                "method": "paypal",
                "paypal_email": person.email,
                "key": "withdraw-key-1",
                **other,
            }
        )

    assert ledger_snapshot() == before
    assert list(Withdrawal.objects.filter(user=person)) == [first]
    assert services.balances(person)["available"] == 3_000


def test_two_people_may_use_the_same_withdrawal_key():
    person, other = UserFactory(), UserFactory()
    for someone in (person, other):
        verify_identity(someone)
        give_available_funds(someone, 5_000)

    mine = request_paypal_withdrawal(person, 2_000, key="withdraw-key-1")
    theirs = request_paypal_withdrawal(other, 2_000, key="withdraw-key-1")

    assert mine.pk != theirs.pk and theirs.user == other
    assert services.balances(other)["withdrawal_hold"] == 2_000


# --- Locks and database guards --------------------------------------------------------------------


@only_on_postgresql
def test_posting_locks_every_account_it_touches_in_ascending_id_order():
    person, other = UserFactory(), UserFactory()
    deposit_directly(person, 1_000, "deposit:1")
    paying, paid = available(person), available(other)
    # The legs name the accounts in descending id order; the lock must still go in ascending order.
    legs = sorted([(paying, -250), (paid, 250)], key=lambda leg: leg[0].pk, reverse=True)
    accounts = [account for account, _amount in legs]

    with CaptureQueriesContext(connection) as captured:
        ledger.post_transfer(key="locked", kind=Transfer.Kind.WITHDRAW, legs=legs)

    statements = [query["sql"] for query in captured.captured_queries]
    locking = [sql for sql in statements if "FOR UPDATE" in sql and '"wallet_ledgeraccount"' in sql]
    assert len(locking) == 1
    assert "ORDER BY id ASC" in locking[0]
    for account in accounts:
        assert str(account.pk) in locking[0]
    # The lock is taken before anything is written.
    first_write = next(index for index, sql in enumerate(statements) if sql.startswith(("INSERT", "UPDATE")))
    assert statements.index(locking[0]) < first_write


@pytest.mark.parametrize("kind", [Kind.AVAILABLE, Kind.PENDING, Kind.WITHDRAWAL_HOLD])
def test_the_database_refuses_a_negative_user_balance_even_written_directly(kind):
    account = ledger.user_account(UserFactory(), kind)

    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerAccount.objects.filter(pk=account.pk).update(balance_cents=-1)

    assert balance(account) == 0


def test_the_database_refuses_a_negative_escrow_or_revenue_balance_but_not_the_gateways():
    escrow = ledger.escrow_account(hired_contract())
    revenue = ledger.system_account(Kind.PLATFORM_REVENUE)
    for account in (escrow, revenue):
        with pytest.raises(IntegrityError), transaction.atomic():
            LedgerAccount.objects.filter(pk=account.pk).update(balance_cents=-1)
        assert balance(account) == 0

    gateway = ledger.system_account(Kind.GATEWAY)
    LedgerAccount.objects.filter(pk=gateway.pk).update(balance_cents=-1)
    assert balance(gateway) == -1


# --- History is appended, never edited ------------------------------------------------------------


@only_on_postgresql
def test_an_entry_cannot_be_updated_or_deleted():
    deposit = add_funds(UserFactory(), 2_500)
    entry = deposit.transfer.entries.order_by("id").first()

    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(amount_cents=entry.amount_cents + 1)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).delete()

    unchanged = Entry.objects.get(pk=entry.pk)
    assert (unchanged.amount_cents, unchanged.balance_after_cents) == (
        entry.amount_cents,
        entry.balance_after_cents,
    )


@only_on_postgresql
def test_a_transfer_cannot_be_updated_or_deleted():
    deposit = add_funds(UserFactory(), 2_500)
    transfer = deposit.transfer

    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        Transfer.objects.filter(pk=transfer.pk).update(memo="edited")
    # A queryset delete would stop at the PROTECT of its entries before any SQL: ask the database.
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM wallet_transfer WHERE id = %s", [transfer.pk])

    unchanged = Transfer.objects.get(pk=transfer.pk)
    assert (unchanged.memo, unchanged.idempotency_key) == (transfer.memo, transfer.idempotency_key)
    assert unchanged.entries.count() == 2


# --- Release and commission -----------------------------------------------------------------------


def test_accepting_a_100_dollar_delivery_pays_80_pending_and_20_to_the_platform():
    contract = delivered_contract(amount_cents=10_000)

    contract_services.accept_delivery(client=contract.client, contract=contract)

    assert services.balances(contract.freelancer)["pending"] == 8_000
    assert services.balances(contract.freelancer)["available"] == 0
    assert system_balance(Kind.PLATFORM_REVENUE) == 2_000
    assert balance(ledger.escrow_account(contract)) == 0
    assert services.balances(contract.client) == {
        Kind.AVAILABLE: 0,
        Kind.PENDING: 0,
        Kind.WITHDRAWAL_HOLD: 0,
        "escrow": 0,
    }
    release = Transfer.objects.get(idempotency_key=f"release:m{contract.milestones.get().pk}")
    assert (release.kind, release.contract_id, release.actor_id) == (
        Transfer.Kind.RELEASE,
        contract.pk,
        contract.client_id,
    )
    earning = PendingEarning.objects.get(release=release)
    assert (earning.freelancer_id, earning.amount_cents) == (contract.freelancer_id, 8_000)
    expected_clearance = timezone.now() + datetime.timedelta(days=settings.CLEARANCE_DAYS)
    assert abs((earning.clears_at - expected_clearance).total_seconds()) < 60
    assert ledger.audit().is_clean


@pytest.mark.parametrize(
    ("amount", "commission"),
    [
        (2_500, 500),
        (2_503, 501),  # 500.6 rounds up
        (2_502, 500),  # 500.4 rounds down
        (2_507, 501),  # 501.4
        (2_509, 502),  # 501.8
        (123_457, 24_691),  # 24,691.4
    ],
)
def test_commission_is_rounded_to_the_nearest_cent(amount, commission):
    contract = completed_contract(amount_cents=amount)

    assert system_balance(Kind.PLATFORM_REVENUE) == commission
    assert services.balances(contract.freelancer)["pending"] == amount - commission


@pytest.mark.parametrize(("amount", "commission"), [(2_505, 251), (2_515, 252), (2_504, 250), (2_506, 251)])
def test_half_a_cent_of_commission_rounds_up(settings, amount, commission):
    # At 20% a whole number of cents never ends in exactly half a cent; at 10% it does.
    settings.COMMISSION_PERCENT = 10

    contract = completed_contract(amount_cents=amount)

    assert system_balance(Kind.PLATFORM_REVENUE) == commission
    assert services.balances(contract.freelancer)["pending"] == amount - commission


def test_earnings_clear_to_available_after_the_clearance_period_once():
    contract = completed_contract(amount_cents=10_000)

    assert services.clear_due_earnings(now=timezone.now()) == 0
    assert clear_everything_due() == 1
    assert clear_everything_due() == 0

    figures = services.balances(contract.freelancer)
    assert (figures["pending"], figures["available"]) == (0, 8_000)
    assert PendingEarning.objects.get(contract=contract).clearance.kind == Transfer.Kind.CLEAR
    assert ledger.audit().is_clean


def test_cancelling_by_agreement_refunds_the_escrow_to_the_client():
    contract = funded_contract(amount_cents=7_777)
    contract_services.propose_cancellation(
        user=contract.freelancer, contract=contract, reason="لا أستطيع إكمال العمل في الوقت المحدد."
    )

    contract_services.answer_cancellation(user=contract.client, contract=contract, accept=True)

    contract.refresh_from_db()
    assert contract.status == Contract.Status.CANCELLED
    assert services.balances(contract.client)[Kind.AVAILABLE] == 7_777
    assert services.balances(contract.client)["escrow"] == 0
    assert services.balances(contract.freelancer)[Kind.PENDING] == 0
    assert system_balance(Kind.PLATFORM_REVENUE) == 0
    assert ledger.audit().is_clean


# --- Disputes: commission on the freelancer's share only ------------------------------------------


def dispute(contract: Contract) -> None:
    contract_services.open_dispute(
        user=contract.client, contract=contract, reason="العمل المسلم لا يطابق ما اتفقنا عليه في العرض."
    )


@pytest.mark.parametrize("share", [1, 3, 2_503, 5_000, 9_999])
def test_a_dispute_pays_the_share_less_its_commission_and_refunds_the_rest(share):
    contract = delivered_contract(amount_cents=10_000)
    dispute(contract)
    commission = (share * 20 + 50) // 100  # half up, computed here independently of the code

    contract_services.resolve_dispute(
        moderator=moderator(), contract=contract, freelancer_share_cents=share, decision="سلم جزءاً من العمل."
    )

    assert services.balances(contract.freelancer)[Kind.PENDING] == share - commission
    assert system_balance(Kind.PLATFORM_REVENUE) == commission
    assert services.balances(contract.client)[Kind.AVAILABLE] == 10_000 - share
    assert balance(ledger.escrow_account(contract)) == 0
    contract.refresh_from_db()
    assert contract.status == Contract.Status.COMPLETED
    assert Project.objects.get(pk=contract.project_id).status == Project.Status.COMPLETED
    assert ledger.audit().is_clean


def test_a_dispute_decided_with_nothing_for_the_freelancer_refunds_all_and_cancels():
    contract = funded_contract(amount_cents=10_000)
    dispute(contract)

    contract_services.resolve_dispute(
        moderator=moderator(), contract=contract, freelancer_share_cents=0, decision="لم يسلم أي شيء."
    )

    assert services.balances(contract.client)[Kind.AVAILABLE] == 10_000
    assert services.balances(contract.freelancer)[Kind.PENDING] == 0
    assert system_balance(Kind.PLATFORM_REVENUE) == 0
    assert not PendingEarning.objects.filter(contract=contract).exists()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.CANCELLED
    assert Project.objects.get(pk=contract.project_id).status == Project.Status.CANCELLED
    assert ledger.audit().is_clean


def test_a_dispute_decided_with_everything_for_the_freelancer_completes_it():
    contract = delivered_contract(amount_cents=10_000)
    dispute(contract)

    contract_services.resolve_dispute(
        moderator=moderator(), contract=contract, freelancer_share_cents=10_000, decision="العمل سليم وكامل."
    )

    assert services.balances(contract.freelancer)[Kind.PENDING] == 8_000
    assert system_balance(Kind.PLATFORM_REVENUE) == 2_000
    assert services.balances(contract.client)[Kind.AVAILABLE] == 0
    contract.refresh_from_db()
    assert contract.status == Contract.Status.COMPLETED
    assert Project.objects.get(pk=contract.project_id).status == Project.Status.COMPLETED


@pytest.mark.parametrize("share", [-1, 10_001])
def test_a_share_outside_the_escrow_is_refused_and_changes_nothing(share):
    contract = funded_contract(amount_cents=10_000)
    dispute(contract)
    before = ledger_snapshot()

    with pytest.raises(DomainError):
        contract_services.resolve_dispute(
            moderator=moderator(), contract=contract, freelancer_share_cents=share, decision="قرار غير ممكن."
        )

    assert ledger_snapshot() == before
    contract.refresh_from_db()
    assert contract.status == Contract.Status.DISPUTED


# --- Withdrawals ----------------------------------------------------------------------------------


def test_a_withdrawal_is_held_then_paid_out():
    person = UserFactory()
    verify_identity(person)
    give_available_funds(person, 5_000)

    withdrawal = request_paypal_withdrawal(person, 3_000)
    assert services.balances(person) == {
        Kind.AVAILABLE: 2_000,
        Kind.PENDING: 0,
        Kind.WITHDRAWAL_HOLD: 3_000,
        "escrow": 0,
    }
    services.mark_withdrawal_paid(staff=finance_staff(), withdrawal=withdrawal)

    assert services.balances(person)[Kind.WITHDRAWAL_HOLD] == 0
    assert services.balances(person)[Kind.AVAILABLE] == 2_000
    assert system_balance(Kind.PAYOUTS) == 3_000
    assert system_balance(Kind.GATEWAY) == -5_000
    assert ledger.audit().is_clean


def test_a_refused_withdrawal_goes_back_to_available():
    person = UserFactory()
    verify_identity(person)
    give_available_funds(person, 5_000)
    withdrawal = request_paypal_withdrawal(person, 5_000)

    services.refuse_withdrawal(staff=finance_staff(), withdrawal=withdrawal, reason="الحساب غير مطابق للاسم.")

    assert services.balances(person)[Kind.AVAILABLE] == 5_000
    assert services.balances(person)[Kind.WITHDRAWAL_HOLD] == 0
    assert system_balance(Kind.PAYOUTS) == 0


def test_a_withdrawal_beyond_the_available_balance_is_refused_and_changes_nothing():
    person = UserFactory()
    verify_identity(person)
    give_available_funds(person, 5_000)
    before = ledger_snapshot()

    with pytest.raises(InsufficientFunds):
        request_paypal_withdrawal(person, 5_001)

    assert ledger_snapshot() == before
    assert not Withdrawal.objects.exists()


def test_earnings_can_be_withdrawn_only_once_cleared():
    contract = completed_contract(amount_cents=10_000)
    verify_identity(contract.freelancer)
    before = ledger_snapshot()

    with pytest.raises(InsufficientFunds):
        request_paypal_withdrawal(contract.freelancer, 8_000)
    assert ledger_snapshot() == before

    clear_everything_due()
    request_paypal_withdrawal(contract.freelancer, 8_000)
    assert services.balances(contract.freelancer)[Kind.WITHDRAWAL_HOLD] == 8_000

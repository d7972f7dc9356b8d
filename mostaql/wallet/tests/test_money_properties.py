"""Random lives of a small marketplace, with every ledger invariant checked after every step.

A hypothesis state machine plays three clients and three freelancers through deposits (the sandbox
gateway's signed webhook), hires, fundings, deliveries, acceptances, change requests, cancellations,
disputes, clearances and withdrawals, in any order, with replays of them all and attempts by the wrong
side. Beside the database it keeps its own model of where every cent should be, computed here and not
by the code under test, and after each step it checks:

- the ledger audit is clean (each transfer sums to zero, each cached balance equals its entries, all
  balances sum to zero, finished contracts hold no escrow);
- every user, escrow and revenue balance is the model's, and none is negative;
- the money in the system (users + escrow + platform revenue) equals the confirmed deposits less the
  paid withdrawals: the gateway account is minus the confirmed deposits, payouts plus the paid
  withdrawals, and all balances sum to zero;
- every contract and its project are in the state the model expects.

A refused action (a DomainError) must change nothing: the model is left as it was, so the checks
above fail on any cent or transfer that a refusal left behind.

MOSTAQL_HYPOTHESIS_EXAMPLES sets the number of examples (200 by default), for a longer run.
"""

import os
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from mostaql.accounts.models import User
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.contracts.services import NeedsFunds
from mostaql.core.exceptions import DomainError
from mostaql.core.uploads import clean_file
from mostaql.projects import services as project_services
from mostaql.projects.models import Project
from mostaql.projects.tests.factories import (
    OFFER_TEXT,
    client_user,
    freelancer_user,
    moderator,
    project_fields,
)
from mostaql.wallet import ledger, services, webhooks
from mostaql.wallet.gateways.sandbox import DECLINED_CARD, SUCCEEDING_CARD
from mostaql.wallet.ledger import IdempotencyConflict
from mostaql.wallet.models import Deposit, Entry, LedgerAccount, Transfer, Withdrawal
from mostaql.wallet.tests.factories import (
    DELIVERY_MESSAGE,
    FAR_FUTURE,
    finance_staff,
    identity_document,
    sandbox_webhook,
)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("MOSTAQL_HYPOTHESIS_EXAMPLES", "200"))
Kind = LedgerAccount.Kind
S = Contract.Status
CLIENTS, FREELANCERS = range(0, 3), range(3, 6)
REASON = "لم نعد نحتاج إلى هذا العمل بعد تغيير الخطة."
DISPUTE_REASON = "العمل المسلم لا يطابق ما اتفقنا عليه في العرض."


def commission(amount_cents: int) -> int:
    """COMMISSION_PERCENT of the amount, half a cent up: the model's own arithmetic."""
    return (amount_cents * django_settings.COMMISSION_PERCENT + 50) // 100


def nonzero(figures: dict) -> dict:
    return {key: value for key, value in figures.items() if value}


@dataclass
class ContractModel:
    pk: int
    client: User
    freelancer: User
    amount: int
    status: str = S.AWAITING_FUNDING
    proposed_by: User | None = None  # an open cancellation proposal, and whose


@dataclass
class WithdrawalModel:
    pk: int
    user: User
    amount: int
    status: str = Withdrawal.Status.REQUESTED


class MoneyMachine(RuleBasedStateMachine):
    # Created once by the test, outside the examples' transactions (see test_…_money below).
    people: ClassVar[list[User]] = []
    moderator: ClassVar[User]
    finance: ClassVar[User]

    def __init__(self):
        super().__init__()
        # Each example runs in a savepoint that teardown rolls back: every one starts on an empty ledger.
        self._example = transaction.atomic()
        self._example.__enter__()
        self.available: Counter[int] = Counter()
        self.pending: Counter[int] = Counter()
        self.hold: Counter[int] = Counter()
        self.escrow: Counter[int] = Counter()
        self.revenue = 0
        self.deposited = 0
        self.paid_out = 0
        self.transfers = 0
        self.uncleared_earnings = 0
        self.contracts: list[ContractModel] = []
        self.withdrawals: list[WithdrawalModel] = []
        self.identity: dict[int, str] = {}
        self.replays: list = []

    def teardown(self):
        transaction.set_rollback(True)
        self._example.__exit__(None, None, None)

    # --- Helpers ----------------------------------------------------------------------------------

    def person(self, index: int) -> User:
        return self.people[index]

    def in_state(self, *statuses: str) -> list[ContractModel]:
        return [contract for contract in self.contracts if contract.status in statuses]

    def contract(self, model: ContractModel) -> Contract:
        return Contract.objects.get(pk=model.pk)

    def deposit(self, user: User, amount: int, card: str = SUCCEEDING_CARD) -> bool:
        """Add funds as a person does: start a deposit, pay on the sandbox, the signed webhook credits."""
        deposit = services.start_deposit(user=user, amount_cents=amount)
        body, signature = sandbox_webhook(deposit, card)
        assert webhooks.handle(gateway_name="sandbox", body=body, signature=signature) == "processed"
        deposit.refresh_from_db()
        self.replays.append(("webhook", body, signature))
        if card != SUCCEEDING_CARD:
            assert deposit.status == Deposit.Status.FAILED
            return False
        assert deposit.status == Deposit.Status.SUCCEEDED
        self.replays.append(("second-event", deposit.pk))
        self.available[user.pk] += amount
        self.deposited += amount
        self.transfers += 1
        return True

    def release(self, model: ContractModel, share: int) -> None:
        """The model of escrow going out: the share less commission pending, commission to revenue,
        the rest back to the client."""
        fee = commission(share)
        self.escrow[model.pk] -= model.amount
        self.pending[model.freelancer.pk] += share - fee
        self.revenue += fee
        self.available[model.client.pk] += model.amount - share
        self.transfers += 1
        if share - fee > 0:
            self.uncleared_earnings += 1
        model.proposed_by = None

    # --- Adding funds -----------------------------------------------------------------------------

    @initialize(
        verified=st.lists(st.booleans(), min_size=6, max_size=6),
        deposits=st.lists(st.one_of(st.just(0), st.integers(100, 60_000)), min_size=6, max_size=6),
    )
    def start(self, verified, deposits):
        """Some people start with money, and some with an identity already verified."""
        for index, (is_verified, amount) in enumerate(zip(verified, deposits, strict=True)):
            if is_verified:
                self.verify_identity(index, approve=True)
            if amount:
                self.deposit(self.person(index), amount)

    @rule(
        index=st.integers(0, 5),
        amount=st.one_of(
            st.integers(100, 60_000),
            st.sampled_from([100, 2_503, 10_000, services.MAX_DEPOSIT_CENTS]),
            st.sampled_from([0, 99, services.MAX_DEPOSIT_CENTS + 1]),
        ),
        card=st.sampled_from([SUCCEEDING_CARD, SUCCEEDING_CARD, SUCCEEDING_CARD, DECLINED_CARD]),
    )
    def add_funds(self, index, amount, card):
        if not 100 <= amount <= services.MAX_DEPOSIT_CENTS:
            with pytest.raises(DomainError):
                services.start_deposit(user=self.person(index), amount_cents=amount)
            return
        self.deposit(self.person(index), amount, card)

    # --- Hiring -----------------------------------------------------------------------------------

    @rule(
        client=st.sampled_from(CLIENTS),
        freelancer=st.sampled_from(FREELANCERS),
        amount=st.integers(2_500, 60_000),
        and_fund=st.booleans(),
    )
    def hire(self, client, freelancer, amount, and_fund):
        owner, worker = self.person(client), self.person(freelancer)
        project = project_services.post_project(owner=owner, **project_fields())
        assert project.status == Project.Status.OPEN  # PROJECT_AUTO_APPROVE is on
        offer = project_services.place_offer(
            freelancer=worker, project=project, amount_cents=amount, duration_days=7, text=OFFER_TEXT
        )
        contract = contract_services.hire(owner=owner, project=project, offer=offer)
        self.contracts.append(ContractModel(pk=contract.pk, client=owner, freelancer=worker, amount=amount))
        if and_fund:
            self.the_ledger_holds()
            self.fund(self.contracts[-1], top_up=True)

    LIVE: ClassVar = (S.AWAITING_FUNDING, S.ACTIVE, S.DELIVERED, S.DISPUTED)

    @precondition(lambda self: self.in_state(*self.LIVE))
    @rule(data=st.data(), steps=st.integers(1, 3))
    def advance(self, data, steps):
        """The next step of live contracts, one to three times: fund, deliver, accept or ask for
        changes, decide a dispute. The invariants are checked after each of them too."""
        for step in range(steps):
            if step:
                self.the_ledger_holds()
            statuses = sorted({model.status for model in self.in_state(*self.LIVE)})
            if not statuses:
                return
            # A state first, then a contract in it: contracts further along are not crowded out.
            model = data.draw(st.sampled_from(self.in_state(data.draw(st.sampled_from(statuses)))))
            if model.status == S.AWAITING_FUNDING:
                self.fund(model, top_up=data.draw(st.sampled_from([True, True, True, False])))
            elif model.status == S.ACTIVE:
                self.deliver(model)
            elif model.status == S.DELIVERED:
                if data.draw(st.sampled_from(["accept", "accept", "changes"])) == "accept":
                    self.accept(model)
                else:
                    self.request_changes(model)
            else:
                self.resolve_dispute(model, data)

    @precondition(lambda self: self.in_state(S.AWAITING_FUNDING, S.ACTIVE, S.DELIVERED))
    @rule(data=st.data())
    def trouble(self, data):
        """Things go otherwise: a hire declined or withdrawn, a cancellation proposed or answered,
        a dispute opened."""
        choices = []
        if self.in_state(S.AWAITING_FUNDING):
            choices.append(self.end_the_hire)
        if self.in_state(S.ACTIVE, S.DELIVERED):
            choices += [self.propose_cancellation, self.open_dispute]
        if any(model.proposed_by for model in self.contracts):
            choices += [self.answer_cancellation, self.answer_cancellation]
        data.draw(st.sampled_from(choices))(data)

    def fund(self, model: ContractModel, *, top_up: bool) -> None:
        client = model.client
        has_enough = self.available[client.pk] >= model.amount
        try:
            contract_services.fund_contract(client=client, contract=self.contract(model))
        except NeedsFunds as short:
            assert not has_enough
            assert short.shortfall_cents == model.amount - self.available[client.pk]
            if not top_up:
                return
            # Sent to add the difference, and brought back to fund.
            self.deposit(client, max(short.shortfall_cents, 100))
            contract_services.fund_contract(client=client, contract=self.contract(model))
        else:
            assert has_enough
        self.available[client.pk] -= model.amount
        self.escrow[model.pk] += model.amount
        self.transfers += 1
        model.status = S.ACTIVE
        self.replays.append(("fund_contract", model))
        self.replays.append(("fund_escrow", model))

    def end_the_hire(self, data) -> None:
        model = data.draw(st.sampled_from(self.in_state(S.AWAITING_FUNDING)))
        if data.draw(st.booleans()):
            contract_services.decline_hire(freelancer=model.freelancer, contract=self.contract(model))
            model.status = S.DECLINED
        else:
            contract_services.withdraw_hire(client=model.client, contract=self.contract(model))
            model.status = S.WITHDRAWN

    # --- Delivery and acceptance ------------------------------------------------------------------

    def deliver(self, model: ContractModel) -> None:
        contract_services.deliver(
            freelancer=model.freelancer, contract=self.contract(model), message=DELIVERY_MESSAGE
        )
        model.status = S.DELIVERED

    def accept(self, model: ContractModel) -> None:
        contract_services.accept_delivery(client=model.client, contract=self.contract(model))
        self.release(model, model.amount)
        model.status = S.COMPLETED
        self.replays.append(("accept", model))
        self.replays.append(("release_escrow", model))

    def request_changes(self, model: ContractModel) -> None:
        contract_services.request_changes(
            client=model.client,
            contract=self.contract(model),
            message="أرجو تعديل الألوان وإضافة صفحة التواصل.",
        )
        model.status = S.ACTIVE

    def sweep_overdue_deliveries(self) -> None:
        delivered = self.in_state(S.DELIVERED)
        assert contract_services.auto_accept_overdue(now=timezone.now() + FAR_FUTURE) == len(delivered)
        for model in delivered:
            self.release(model, model.amount)
            model.status = S.COMPLETED
            self.replays.append(("release_escrow", model))

    # --- Cancellation by agreement ----------------------------------------------------------------

    def propose_cancellation(self, data) -> None:
        model = data.draw(st.sampled_from(self.in_state(S.ACTIVE, S.DELIVERED)))
        proposer = model.client if data.draw(st.booleans()) else model.freelancer
        try:
            contract_services.propose_cancellation(
                user=proposer, contract=self.contract(model), reason=REASON
            )
        except DomainError:
            assert model.proposed_by is not None  # only one proposal waits at a time
        else:
            assert model.proposed_by is None
            model.proposed_by = proposer
            if data.draw(st.booleans()):
                self.the_ledger_holds()
                self.answer_cancellation(data, model)

    def answer_cancellation(self, data, model: ContractModel | None = None) -> None:
        if model is None:
            model = data.draw(st.sampled_from([model for model in self.contracts if model.proposed_by]))
        accept = data.draw(st.booleans())
        answerer = model.freelancer if model.proposed_by == model.client else model.client
        contract_services.answer_cancellation(user=answerer, contract=self.contract(model), accept=accept)
        model.proposed_by = None
        if accept:
            self.escrow[model.pk] -= model.amount
            self.available[model.client.pk] += model.amount
            self.transfers += 1
            model.status = S.CANCELLED
            self.replays.append(("answer_cancellation", model, answerer))
            self.replays.append(("refund_escrow", model))

    # --- Disputes ---------------------------------------------------------------------------------

    def open_dispute(self, data) -> None:
        model = data.draw(st.sampled_from(self.in_state(S.ACTIVE, S.DELIVERED)))
        opener = model.client if data.draw(st.booleans()) else model.freelancer
        contract_services.open_dispute(user=opener, contract=self.contract(model), reason=DISPUTE_REASON)
        model.status = S.DISPUTED
        model.proposed_by = None  # an open proposal is refused by the dispute
        if data.draw(st.booleans()):
            self.the_ledger_holds()
            self.resolve_dispute(model, data)

    def resolve_dispute(self, model: ContractModel, data) -> None:
        share = data.draw(
            st.one_of(st.just(0), st.just(model.amount), st.integers(0, model.amount), st.integers(-5, -1))
            | st.integers(model.amount + 1, model.amount + 5)
        )
        if not 0 <= share <= model.amount:
            with pytest.raises(DomainError):
                self.decide(model, share)
            return
        self.decide(model, share)
        self.release(model, share)
        model.status = S.COMPLETED if share > 0 else S.CANCELLED
        self.replays.append(("resolve_dispute", model, share))
        self.replays.append(("split_escrow", model, share))

    def decide(self, model: ContractModel, share: int) -> None:
        contract_services.resolve_dispute(
            moderator=self.moderator,
            contract=self.contract(model),
            freelancer_share_cents=share,
            decision="قررنا توزيع المبلغ بحسب ما سُلّم فعلاً.",
        )

    # --- Clearance and withdrawals ----------------------------------------------------------------

    @rule(what=st.sampled_from(["sweep", "clear", "both"]))
    def time_passes(self, what):
        """Far into the future: overdue deliveries are accepted, due earnings clear. Running the
        sweeps again finds nothing more to do."""
        if what in ("sweep", "both"):
            self.sweep_overdue_deliveries()
        if what in ("clear", "both"):
            self.clear_earnings()

    def clear_earnings(self) -> None:
        assert services.clear_due_earnings(now=timezone.now() + FAR_FUTURE) == self.uncleared_earnings
        self.transfers += self.uncleared_earnings
        self.uncleared_earnings = 0
        for user_pk, amount in list(self.pending.items()):
            self.available[user_pk] += amount
            self.pending[user_pk] = 0

    @rule(index=st.integers(0, 5), approve=st.booleans())
    def verify_identity(self, index, approve):
        """The person sends an ID document and a moderator approves or rejects it."""
        user = self.person(index)
        document = clean_file(identity_document(), kinds={"image", "pdf"})
        if self.identity.get(user.pk) == "approved":
            with pytest.raises(DomainError):
                services.submit_identity_document(user=user, document=document)
            return
        verification = services.submit_identity_document(user=user, document=document)
        services.review_identity(
            moderator=self.moderator,
            verification=verification,
            approve=approve,
            reason="" if approve else "الصورة غير واضحة.",
        )
        self.identity[user.pk] = "approved" if approve else "rejected"

    @rule(data=st.data())
    def withdraw(self, data):
        """Someone asks to withdraw: usually someone with enough, sometimes anyone, any amount."""
        minimum = django_settings.MIN_WITHDRAWAL_CENTS
        able = [index for index in range(6) if self.available[self.person(index).pk] >= minimum]
        index = data.draw(st.sampled_from(able) | st.integers(0, 5) if able else st.integers(0, 5))
        user = self.person(index)
        balance = self.available[user.pk]
        within = st.integers(minimum, max(balance, minimum))
        amount = data.draw(
            st.one_of(within, within, st.just(balance), st.sampled_from([balance + 1, minimum - 1])).filter(
                lambda amount: amount > 0
            )
        )
        allowed = (
            self.identity.get(user.pk) == "approved"
            and django_settings.MIN_WITHDRAWAL_CENTS <= amount <= balance
        )
        try:
            withdrawal = services.request_withdrawal(
                user=user, amount_cents=amount, method=Withdrawal.Method.PAYPAL, paypal_email=user.email
            )
        except DomainError:
            assert not allowed
            return
        assert allowed
        self.available[user.pk] -= amount
        self.hold[user.pk] += amount
        self.transfers += 1
        self.withdrawals.append(WithdrawalModel(pk=withdrawal.pk, user=user, amount=amount))
        if data.draw(st.booleans()):
            self.the_ledger_holds()
            self.process_withdrawal(data, self.withdrawals[-1])

    @precondition(lambda self: any(w.status == Withdrawal.Status.REQUESTED for w in self.withdrawals))
    @rule(data=st.data())
    def process_withdrawal(self, data, model: WithdrawalModel | None = None):
        """Finance staff pay a waiting withdrawal, or refuse it with a reason."""
        if model is None:
            model = data.draw(
                st.sampled_from([w for w in self.withdrawals if w.status == Withdrawal.Status.REQUESTED])
            )
        pay = data.draw(st.booleans())
        withdrawal = Withdrawal.objects.get(pk=model.pk)
        if pay:
            services.mark_withdrawal_paid(staff=self.finance, withdrawal=withdrawal)
            self.paid_out += model.amount
            model.status = Withdrawal.Status.PAID
        else:
            services.refuse_withdrawal(
                staff=self.finance, withdrawal=withdrawal, reason="البيانات غير مطابقة."
            )
            self.available[model.user.pk] += model.amount
            model.status = Withdrawal.Status.REFUSED
        self.hold[model.user.pk] -= model.amount
        self.transfers += 1
        self.replays.append(("process_withdrawal", model, pay))

    # --- Replays and the wrong side: nothing may change -------------------------------------------

    @precondition(lambda self: self.replays)
    @rule(data=st.data())
    def replay(self, data):
        """Deliver again, act again, post again: whatever comes back, not a cent or a transfer moves."""
        if self.transfers and data.draw(st.integers(0, 3)) == 0:
            self.post_a_transfer_again(data)
            return
        what, *args = data.draw(st.sampled_from(self.replays))
        if what == "webhook":
            body, signature = args
            assert webhooks.handle(gateway_name="sandbox", body=body, signature=signature) == "duplicate"
        elif what == "second-event":
            # The processor sends a new event id for a payment already credited.
            body, signature = sandbox_webhook(Deposit.objects.get(pk=args[0]))
            assert webhooks.handle(gateway_name="sandbox", body=body, signature=signature) == "processed"
        elif what == "fund_escrow":
            (model,) = args
            contract = self.contract(model)
            milestone = contract.milestones.get()
            replayed = services.fund_escrow(contract=contract, milestone=milestone, client=model.client)
            assert replayed.idempotency_key == f"fund:m{milestone.pk}"
        elif what == "release_escrow":
            (model,) = args
            contract = self.contract(model)
            services.release_escrow(
                contract=contract, milestone=contract.milestones.get(), actor=model.client
            )
        elif what == "refund_escrow":
            (model,) = args
            contract = self.contract(model)
            services.refund_escrow(contract=contract, milestone=contract.milestones.get(), actor=model.client)
        elif what == "split_escrow":
            model, share = args
            contract = self.contract(model)
            services.split_escrow(
                contract=contract,
                milestone=contract.milestones.get(),
                freelancer_share_cents=share,
                actor=self.moderator,
            )
        else:
            with pytest.raises(DomainError):
                self.act_again(what, *args)

    def act_again(self, what, model, *args):
        if what == "process_withdrawal":  # `model` is the withdrawal here, not a contract
            withdrawal = Withdrawal.objects.get(pk=model.pk)
            if args[0]:
                services.mark_withdrawal_paid(staff=self.finance, withdrawal=withdrawal)
            else:
                services.refuse_withdrawal(
                    staff=self.finance, withdrawal=withdrawal, reason="مرة أخرى للتجربة."
                )
            return
        contract = self.contract(model)
        if what == "fund_contract":
            contract_services.fund_contract(client=model.client, contract=contract)
        elif what == "accept":
            contract_services.accept_delivery(client=model.client, contract=contract)
        elif what == "answer_cancellation":
            contract_services.answer_cancellation(user=args[0], contract=contract, accept=True)
        elif what == "resolve_dispute":
            self.decide(model, args[0])
        else:  # pragma: no cover
            raise AssertionError(what)

    def post_a_transfer_again(self, data) -> None:
        """The ledger's own idempotency: the same key and legs return the first transfer; other legs
        or another kind under the same key are refused."""
        keys = list(Transfer.objects.order_by("pk").values_list("idempotency_key", flat=True))
        transfer = Transfer.objects.get(idempotency_key=data.draw(st.sampled_from(keys)))
        change = data.draw(st.sampled_from(["same", "amount", "kind"]))
        legs = [(entry.account, entry.amount_cents) for entry in transfer.entries.select_related("account")]
        kind = transfer.kind
        if change == "amount":
            legs = [(account, amount * 2) for account, amount in legs]
        elif change == "kind":
            kind = Transfer.Kind.REFUND if kind != Transfer.Kind.REFUND else Transfer.Kind.FUND
        if change == "same":
            assert ledger.post_transfer(key=transfer.idempotency_key, kind=kind, legs=legs[::-1]) == transfer
        else:
            with pytest.raises(IdempotencyConflict):
                ledger.post_transfer(key=transfer.idempotency_key, kind=kind, legs=legs)

    @precondition(lambda self: self.contracts)
    @rule(data=st.data())
    def the_wrong_person_acts(self, data):
        """Each move tried by someone the transition table does not allow, in whatever state: refused."""
        model = data.draw(st.sampled_from(self.contracts))
        contract = self.contract(model)
        outsider = next(person for person in self.people if person not in (model.client, model.freelancer))
        attempt = data.draw(
            st.sampled_from(
                [
                    lambda: contract_services.fund_contract(client=model.freelancer, contract=contract),
                    lambda: contract_services.fund_contract(client=outsider, contract=contract),
                    lambda: contract_services.fund_contract(client=self.moderator, contract=contract),
                    lambda: contract_services.deliver(
                        freelancer=model.client, contract=contract, message=DELIVERY_MESSAGE
                    ),
                    lambda: contract_services.deliver(
                        freelancer=outsider, contract=contract, message=DELIVERY_MESSAGE
                    ),
                    lambda: contract_services.accept_delivery(client=model.freelancer, contract=contract),
                    lambda: contract_services.accept_delivery(client=outsider, contract=contract),
                    lambda: contract_services.accept_delivery(client=self.moderator, contract=contract),
                    lambda: contract_services.request_changes(
                        client=model.freelancer, contract=contract, message="تعديل غير مسموح به هنا."
                    ),
                    lambda: contract_services.propose_cancellation(
                        user=outsider, contract=contract, reason=REASON
                    ),
                    lambda: contract_services.answer_cancellation(
                        user=outsider, contract=contract, accept=True
                    ),
                    lambda: contract_services.answer_cancellation(
                        user=self.moderator, contract=contract, accept=True
                    ),
                    lambda: contract_services.open_dispute(
                        user=outsider, contract=contract, reason=DISPUTE_REASON
                    ),
                    lambda: contract_services.resolve_dispute(
                        moderator=model.client,
                        contract=contract,
                        freelancer_share_cents=0,
                        decision="أريد مالي كاملاً.",
                    ),
                    lambda: contract_services.decline_hire(freelancer=model.client, contract=contract),
                    lambda: contract_services.withdraw_hire(client=model.freelancer, contract=contract),
                    lambda: services.split_escrow(
                        contract=contract,
                        milestone=contract.milestones.get(),
                        freelancer_share_cents=model.amount + 1,
                        actor=self.moderator,
                    ),
                ]
            )
        )
        # In a transaction, as a request would be: what the service wrote before refusing goes too.
        with pytest.raises(DomainError), transaction.atomic():
            attempt()

    # --- After every step -------------------------------------------------------------------------

    @invariant()
    def the_ledger_holds(self):
        report = ledger.audit()
        assert report.is_clean, report.problems
        assert report.transfers == self.transfers

        balances = {"user": Counter(), "escrow": Counter(), "system": Counter()}
        for kind, owner_id, contract_id, balance in LedgerAccount.objects.values_list(
            "kind", "owner_id", "contract_id", "balance_cents"
        ):
            if kind not in (Kind.GATEWAY, Kind.PAYOUTS):
                assert balance >= 0, (kind, owner_id, contract_id, balance)
            if owner_id:
                balances["user"][(owner_id, kind)] = balance
            elif contract_id:
                balances["escrow"][contract_id] = balance
            else:
                balances["system"][kind] = balance

        expected_user = Counter()
        for kind, figures in (
            (Kind.AVAILABLE, self.available),
            (Kind.PENDING, self.pending),
            (Kind.WITHDRAWAL_HOLD, self.hold),
        ):
            for user_pk, amount in figures.items():
                expected_user[(user_pk, kind)] = amount
        assert nonzero(balances["user"]) == nonzero(expected_user)
        assert nonzero(balances["escrow"]) == nonzero(self.escrow)
        system = balances["system"]
        assert system[Kind.PLATFORM_REVENUE] == self.revenue
        assert system[Kind.GATEWAY] == -self.deposited
        assert system[Kind.PAYOUTS] == self.paid_out

        in_the_system = (
            sum(balances["user"].values()) + sum(balances["escrow"].values()) + system[Kind.PLATFORM_REVENUE]
        )
        confirmed = (
            Deposit.objects.filter(status=Deposit.Status.SUCCEEDED).aggregate(total=Sum("amount_cents"))[
                "total"
            ]
            or 0
        )
        paid = (
            Withdrawal.objects.filter(status=Withdrawal.Status.PAID).aggregate(total=Sum("amount_cents"))[
                "total"
            ]
            or 0
        )
        assert confirmed == self.deposited
        assert paid == self.paid_out
        assert in_the_system == confirmed - paid == -system[Kind.GATEWAY] - system[Kind.PAYOUTS]

        project_status = {
            S.AWAITING_FUNDING: Project.Status.HIRING,
            S.ACTIVE: Project.Status.IN_PROGRESS,
            S.DELIVERED: Project.Status.IN_PROGRESS,
            S.DISPUTED: Project.Status.IN_PROGRESS,
            S.COMPLETED: Project.Status.COMPLETED,
            S.CANCELLED: Project.Status.CANCELLED,
            S.DECLINED: Project.Status.OPEN,
            S.WITHDRAWN: Project.Status.OPEN,
        }
        actual = {
            pk: (status, project)
            for pk, status, project in Contract.objects.values_list("pk", "status", "project__status")
        }
        assert actual == {model.pk: (model.status, project_status[model.status]) for model in self.contracts}


@pytest.fixture
def marketplace(settings):
    settings.PROJECT_AUTO_APPROVE = True
    settings.SANDBOX_GATEWAY_ENABLED = True
    settings.OFFERS_PER_MONTH = 10_000
    MoneyMachine.people = [client_user(f"عميل {number}") for number in range(3)] + [
        freelancer_user(f"مستقل {number}") for number in range(3)
    ]
    MoneyMachine.moderator = moderator()
    MoneyMachine.finance = finance_staff()
    yield MoneyMachine
    MoneyMachine.people = []


def test_every_ledger_invariant_holds_after_every_step_of_random_money(marketplace):
    run_state_machine_as_test(
        marketplace,
        settings=hypothesis_settings(
            max_examples=EXAMPLES,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[
                HealthCheck.too_slow,
                HealthCheck.function_scoped_fixture,
                HealthCheck.filter_too_much,
            ],
        ),
    )


def test_the_machine_starts_from_an_empty_ledger(marketplace):
    """Each example's savepoint leaves nothing behind for the next one."""
    machine = marketplace()
    machine.deposit(machine.person(0), 5_000)
    machine.the_ledger_holds()
    machine.teardown()

    assert not Transfer.objects.exists()
    assert not Entry.objects.exists()
    assert not Deposit.objects.exists()

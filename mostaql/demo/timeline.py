"""The demo's money, moved in the order it moved across all projects, each move dated then.

A statement shows each entry's balance after it, computed when the entry is written, and the ledger's
history is append-only: so the moves of every project's contract and of every wallet are gathered on
one Timeline and run in date order. Before each moment the clearance sweep runs, as the real one would.
"""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

from django.apps import apps
from django.db import models
from django.utils import timezone

from mostaql.accounts.models import User
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.demo.data.people import MODERATOR
from mostaql.demo.data.projects import Step
from mostaql.demo.data.wallets import PAYOUTS, MoneyStep
from mostaql.demo.images import attachment, identity_document
from mostaql.projects.models import Offer
from mostaql.wallet import services as wallet
from mostaql.wallet import webhooks
from mostaql.wallet.gateways.sandbox import DECLINED_CARD, SUCCEEDING_CARD, SandboxGateway
from mostaql.wallet.models import Deposit, Entry, IdentityVerification, PendingEarning, Transfer, Withdrawal

TOP_UP_BEFORE = datetime.timedelta(minutes=12)

Move = Callable[["Timeline", datetime.datetime], None]


# The ledger's history is append-only (on PostgreSQL a trigger refuses any UPDATE): its rows are
# written at their moment, by the `now=` the services pass down to ledger.post_transfer.
APPEND_ONLY = (Transfer, Entry)


@cache
def _self_stamped_fields() -> list[tuple[type[models.Model], str]]:
    """Every timestamp that a row of the site stamps itself with the clock when it is saved (auto_now,
    auto_now_add), but the ledger's."""
    return [
        (model, field.name)
        for model in apps.get_models()
        if model.__module__.startswith("mostaql.") and model not in APPEND_ONLY
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add)
    ]


@contextmanager
def dated(moment: datetime.datetime) -> Iterator[None]:
    """Date what the block's services write at `moment`, which the block passes to them as `now=`.

    What a service dates itself (funded_at, a transfer, an earning's clearance date, a message) follows
    its `now`; the timestamps that rows stamp themselves with the clock as they are saved (an event's
    created_at, a row's updated_at) are set to `moment` afterwards, as the demo does for its projects.
    """
    written_from = timezone.now()
    yield
    for model, name in _self_stamped_fields():
        model.objects.filter(**{f"{name}__gte": written_from}).update(**{name: moment})


class Timeline:
    """The demo's money moves, run in the order they happened across all projects, each dated then.

    A statement shows each entry's balance after it, computed when the entry is written: so entries are
    written in date order. Before each moment the clearance sweep runs up to it, as the periodic task
    would have, and each earning clears on the day it fell due.
    """

    def __init__(self, now: datetime.datetime):
        self.now = now
        self.moves: list[tuple[datetime.datetime, int, Move]] = []
        self.last: datetime.datetime | None = None

    def add(self, age: float, move: Move) -> None:
        self.moves.append((self.now - datetime.timedelta(days=age), len(self.moves), move))

    def run(self) -> None:
        for moment, _order, move in sorted(self.moves, key=lambda item: item[:2]):
            move(self, moment)
        self.sweep(self.now)

    @contextmanager
    def at(self, moment: datetime.datetime) -> Iterator[None]:
        """Run the block's services at `moment` (which the block passes them as `now=`)."""
        if not moment < self.now or (self.last is not None and moment < self.last):
            raise ValueError(f"The demo's money moves are out of order at {moment}.")
        self.sweep(moment)
        self.last = moment
        with dated(moment):
            yield

    def sweep(self, until: datetime.datetime) -> None:
        due = PendingEarning.objects.filter(clearance__isnull=True, clears_at__lte=until)
        for clears_at in sorted(set(due.values_list("clears_at", flat=True))):
            with dated(clears_at):
                wallet.clear_due_earnings(now=clears_at)


def contract_move(step: Step, contract: Contract, moderator: User) -> Move:
    client, freelancer = contract.client, contract.freelancer
    side = {"client": client, "freelancer": freelancer}

    def move(timeline: Timeline, moment: datetime.datetime) -> None:
        if step.action == "fund":
            _fund(timeline, moment, contract)
            return
        with timeline.at(moment):
            if step.action == "deliver":
                files = [attachment(name) for name in step.files]
                contract_services.deliver(
                    freelancer=freelancer, contract=contract, message=step.text, files=files, now=moment
                )
            elif step.action == "request_changes":
                contract_services.request_changes(client=client, contract=contract, message=step.text)
            elif step.action == "accept":
                contract_services.accept_delivery(client=client, contract=contract, now=moment)
            elif step.action == "propose_cancel":
                contract_services.propose_cancellation(
                    user=side[step.by], contract=contract, reason=step.text
                )
            elif step.action == "accept_cancel":
                contract_services.answer_cancellation(
                    user=side[step.by], contract=contract, accept=True, now=moment
                )
            elif step.action == "open_dispute":
                contract_services.open_dispute(
                    user=side[step.by], contract=contract, reason=step.text, now=moment
                )
            elif step.action == "decide":
                contract_services.resolve_dispute(
                    moderator=moderator,
                    contract=contract,
                    freelancer_share_cents=step.share * 100,
                    decision=step.text,
                    now=moment,
                )
            else:
                raise ValueError(f"Unknown step {step.action!r}.")

    return move


def _fund(timeline: Timeline, moment: datetime.datetime, contract: Contract) -> None:
    client = contract.client
    shortfall = contract.amount_cents - wallet.balances(client)["available"]
    if shortfall > 0:  # the client adds the difference (in whole hundreds) from the contract's page
        with timeline.at(moment - TOP_UP_BEFORE):
            deposit(
                client,
                -(-shortfall // 100_00) * 100_00,
                now=moment - TOP_UP_BEFORE,
                return_to=contract.get_absolute_url(),
            )
    with timeline.at(moment):
        contract_services.fund_contract(client=client, contract=contract, now=moment)
    Offer.objects.filter(project_id=contract.project_id, status=Offer.Status.NOT_HIRED).update(
        updated_at=moment
    )


def deposit(
    user: User,
    amount_cents: int,
    *,
    now: datetime.datetime,
    card: str = SUCCEEDING_CARD,
    return_to: str = "",
) -> None:
    """The way money comes in: a deposit, paid on the sandbox's checkout, confirmed by its webhook."""
    started = wallet.start_deposit(user=user, amount_cents=amount_cents, return_to=return_to)
    body, signature = SandboxGateway().charge(started, card)
    webhooks.handle(gateway_name=SandboxGateway.name, body=body, signature=signature, now=now)
    started.refresh_from_db()
    expected = Deposit.Status.SUCCEEDED if card == SUCCEEDING_CARD else Deposit.Status.FAILED
    if started.status != expected:
        raise RuntimeError(f"The demo's deposit {started.pk} is {started.status}, not {expected}.")


def wallet_move(step: MoneyStep, people: dict) -> Move:
    person, moderator = people[step.email], people[MODERATOR]

    def move(timeline: Timeline, moment: datetime.datetime) -> None:
        with timeline.at(moment):
            if step.action in ("deposit", "declined_deposit"):
                card = SUCCEEDING_CARD if step.action == "deposit" else DECLINED_CARD
                deposit(person, step.dollars * 100, now=moment, card=card)
            elif step.action == "identity":
                wallet.submit_identity_document(user=person, document=identity_document(person))
            elif step.action in ("approve_identity", "reject_identity"):
                wallet.review_identity(
                    moderator=moderator,
                    verification=person.identity_checks.get(status=IdentityVerification.Status.PENDING),
                    approve=step.action == "approve_identity",
                    reason=step.note,
                    now=moment,
                )
            elif step.action == "withdraw":
                if wallet.balances(person)["available"] < step.dollars * 100:
                    return  # an earning of theirs is missing: their hire fell to the offer quota (the loader)
                details = PAYOUTS[step.email]
                if step.method == Withdrawal.Method.PAYPAL:
                    details = {"paypal_email": details["paypal_email"]}
                else:
                    details = {key: value for key, value in details.items() if key.startswith("bank_")}
                wallet.request_withdrawal(
                    user=person, amount_cents=step.dollars * 100, method=step.method, now=moment, **details
                )
            elif step.action == "pay":
                waiting = person.withdrawals.filter(status=Withdrawal.Status.REQUESTED).order_by("created_at")
                if waiting:
                    wallet.mark_withdrawal_paid(staff=moderator, withdrawal=waiting[0], now=moment)
            else:
                raise ValueError(f"Unknown wallet step {step.action!r}.")

    return move

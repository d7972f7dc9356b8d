"""Reputation counters: moved with the facts, rebuilt from the facts.

A profile shows figures from one Reputation row per person instead of counting every contract, review
and message on each view. Each counter moves with an F() increment inside the transaction that
changes the fact it counts, so a rolled-back change leaves no trace and two changes at once both count:

- `record_published_review(review)`  — called by reviews.services when a review becomes public;
- `record_delivery(contract)`         — after the freelancer's delivery (only the first one counts);
- `record_contract_end(contract)`     — after a contract completes or is cancelled (refunds included);
- `record_message(message)`           — after a message (a person's first reply in a conversation).

The last three follow the services that change those facts (contracts, messaging), through the hooks
that ReviewsConfig.ready registers them on (contracts and messaging sit below reviews); each is
safe to call twice for the same fact, because ContractTally and ResponseTally remember what has been
counted. `recount(user)` rebuilds a person's row from the rows themselves (`manage.py
recount_reputation`), and `counted_from_rows(user)` says what it should hold.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, F, Min, Q, Sum
from django.utils import timezone

from mostaql.accounts.models import User
from mostaql.contracts.models import Contract, Delivery, Milestone
from mostaql.messaging.models import Conversation, Message
from mostaql.reviews.models import (
    CLIENT_CRITERIA,
    FREELANCER_CRITERIA,
    ContractTally,
    Direction,
    Reputation,
    ResponseTally,
    Review,
)

COMPLETED, CANCELLED = Contract.Status.COMPLETED, Contract.Status.CANCELLED
ENDED = (COMPLETED, CANCELLED)

# The counters a recount rebuilds: every Reputation field but the key and the timestamp.
COUNTERS = tuple(
    field.name for field in Reputation._meta.concrete_fields if field.name not in ("user", "updated_at")
)


def _role_of(direction: str) -> tuple[str, tuple]:
    if direction == Direction.CLIENT_TO_FREELANCER:
        return "freelancer", FREELANCER_CRITERIA
    return "client", CLIENT_CRITERIA


def _ensure_rows(user_ids) -> None:
    """A Reputation row for each person; created on first need, never twice (even at the same time)."""
    Reputation.objects.bulk_create(
        [Reputation(user_id=user_id) for user_id in sorted(set(user_ids))], ignore_conflicts=True
    )


def _increment(user_id: int, **amounts: int) -> None:
    changes = {field: F(field) + amount for field, amount in amounts.items() if amount}
    if changes:
        Reputation.objects.filter(user_id=user_id).update(**changes, updated_at=timezone.now())


def _lock_contract(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


def _tally(contract: Contract) -> ContractTally:
    """The contract's tally row; the caller holds the contract's row lock, so it is made only once."""
    tally, _created = ContractTally.objects.get_or_create(
        contract_id=contract.pk,
        defaults={"client_id": contract.client_id, "freelancer_id": contract.freelancer_id},
    )
    return tally


def _is_on_time(milestone: Milestone, first_delivered_at: datetime.datetime) -> bool:
    """Delivered by the agreed date: the milestone's start (its funding, or an order's requirements)
    plus its days and the extensions both sides agreed to."""
    due = milestone.due_at
    return due is None or first_delivered_at <= due


# --- Moving the counters with the facts ----------------------------------------------------------


def record_published_review(review: Review) -> None:
    """The subject's review count and criterion sums, as the review becomes public (same transaction)."""
    role, criteria = _role_of(review.direction)
    _ensure_rows([review.subject_id])
    _increment(
        review.subject_id,
        **{f"{role}_review_count": 1},
        **{f"{role}_{criterion.field}_sum": getattr(review, criterion.field) for criterion in criteria},
    )


@transaction.atomic
def record_delivery(contract: Contract) -> bool:
    """Count the contract's first delivery, on time or late, once. Takes the contract's row lock.

    Called through `contracts.hooks.delivered` after contracts.services.deliver has created the
    Delivery, in its transaction; a later delivery (after a request for changes) changes nothing.
    True when something was counted.
    """
    contract = _lock_contract(contract)
    first = (
        Delivery.objects.filter(contract=contract)
        .select_related("milestone")
        .order_by("created_at", "pk")
        .first()
    )
    if first is None or contract.funded_at is None:
        return False
    first_delivered_at = first.created_at
    tally = _tally(contract)
    if tally.first_delivered_at is not None:
        return False
    tally.first_delivered_at = first_delivered_at
    tally.was_on_time = _is_on_time(first.milestone, first_delivered_at)
    tally.save(update_fields=["first_delivered_at", "was_on_time"])
    _ensure_rows([contract.freelancer_id])
    _increment(
        contract.freelancer_id,
        freelancer_delivered_count=1,
        freelancer_on_time_count=int(tally.was_on_time),
    )
    return True


@transaction.atomic
def record_contract_end(contract: Contract) -> bool:
    """Count a completed or cancelled contract once, for both sides. Takes row locks: the contract's,
    then both people's Reputation rows in ascending id order (the rehire count reads, then writes).

    Called through `contracts.hooks.ended` after the contract reached `completed` or `cancelled`, in
    the same transaction (accept,
    auto-accept, agreed cancellation, a decided dispute either way). Other states change nothing.
    True when something was counted.
    """
    contract = _lock_contract(contract)
    if contract.status not in ENDED:
        return False
    people = sorted({contract.client_id, contract.freelancer_id})
    _ensure_rows(people)
    list(Reputation.objects.select_for_update().filter(user_id__in=people).order_by("user_id"))
    record_delivery(contract)  # a first delivery that was not counted yet still counts, once
    tally = _tally(contract)
    if tally.ended_status:
        return False
    tally.ended_status = contract.status
    tally.save(update_fields=["ended_status"])
    if contract.status == CANCELLED:
        _increment(contract.freelancer_id, freelancer_ended_count=1)
        return True
    earlier_with_this_client = (
        ContractTally.objects.filter(
            freelancer_id=contract.freelancer_id, client_id=contract.client_id, ended_status=COMPLETED
        )
        .exclude(contract_id=contract.pk)
        .count()
    )
    is_order = int(contract.is_order)
    _increment(
        contract.freelancer_id,
        freelancer_completed_count=1,
        freelancer_completed_order_count=is_order,
        freelancer_ended_count=1,
        freelancer_client_count=int(earlier_with_this_client == 0),
        freelancer_repeat_client_count=int(earlier_with_this_client == 1),
    )
    _increment(contract.client_id, client_completed_count=1, client_completed_order_count=is_order)
    return True


@transaction.atomic
def record_message(message: Message) -> bool:
    """Count a person's first reply in a conversation that the other side opened, once. Takes the
    sender's Reputation row lock (before the tally, in the same order as `recount`).

    The response time is from the conversation's first message (by the other side) to this one. Called
    through `messaging.hooks.message_sent` after send_message created the message, in its
    transaction. True when counted.
    """
    earlier = Message.objects.filter(conversation_id=message.conversation_id).filter(
        Q(created_at__lt=message.created_at) | Q(created_at=message.created_at, pk__lt=message.pk)
    )
    if earlier.filter(sender_id=message.sender_id).exists():
        return False  # not this person's first message here
    opening = earlier.order_by("created_at", "pk").values_list("created_at", flat=True).first()
    if opening is None:
        return False  # this person opened the conversation: there was nothing to answer
    seconds = int((message.created_at - opening).total_seconds())
    _ensure_rows([message.sender_id])
    list(Reputation.objects.select_for_update().filter(user_id=message.sender_id))
    tally, created = ResponseTally.objects.get_or_create(
        conversation_id=message.conversation_id, responder_id=message.sender_id, defaults={"seconds": seconds}
    )
    if created:
        _increment(message.sender_id, response_count=1, response_seconds_sum=seconds)
        return True
    if seconds < tally.seconds:
        # Two replies sent at once: the later one committed first and was counted. The first reply is
        # the one that counts (as in `recount`), so count its time instead.
        ResponseTally.objects.filter(pk=tally.pk).update(seconds=seconds)
        _increment(message.sender_id, response_seconds_sum=seconds - tally.seconds)
        return True
    return False


# --- Rebuilding from the facts -------------------------------------------------------------------


def _review_totals(user) -> dict[str, int]:
    totals = {}
    for direction in Direction.values:
        role, criteria = _role_of(direction)
        figures = Review.objects.filter(
            subject=user, direction=direction, published_at__isnull=False
        ).aggregate(count=Count("pk"), **{criterion.field: Sum(criterion.field) for criterion in criteria})
        totals[f"{role}_review_count"] = figures["count"]
        for criterion in criteria:
            totals[f"{role}_{criterion.field}_sum"] = figures[criterion.field] or 0
    return totals


def _first_deliveries(user) -> list[tuple[Contract, datetime.datetime, Milestone]]:
    """Each funded contract of `user` as freelancer that has a delivery: the first delivery's time and
    the milestone it delivered (whose agreed date says whether it was on time). One query."""
    deliveries = (
        Delivery.objects.filter(contract__freelancer=user, contract__funded_at__isnull=False)
        .select_related("milestone", "contract")
        .order_by("contract_id", "created_at", "pk")
    )
    firsts: dict[int, tuple[Contract, datetime.datetime, Milestone]] = {}
    for delivery in deliveries:
        firsts.setdefault(delivery.contract_id, (delivery.contract, delivery.created_at, delivery.milestone))
    return list(firsts.values())


def _contract_totals(user) -> dict[str, int]:
    deliveries = _first_deliveries(user)
    completed_per_client = (
        Contract.objects.filter(freelancer=user, status=COMPLETED)
        .values("client_id")
        .annotate(completed=Count("pk"))
        .values_list("completed", flat=True)
    )
    completed_per_client = list(completed_per_client)
    return {
        "freelancer_completed_count": sum(completed_per_client),
        "freelancer_ended_count": Contract.objects.filter(freelancer=user, status__in=ENDED).count(),
        "freelancer_delivered_count": len(deliveries),
        "freelancer_on_time_count": sum(
            _is_on_time(milestone, first) for _contract, first, milestone in deliveries
        ),
        "freelancer_client_count": len(completed_per_client),
        "freelancer_repeat_client_count": sum(1 for completed in completed_per_client if completed > 1),
        "client_completed_count": Contract.objects.filter(client=user, status=COMPLETED).count(),
        "freelancer_completed_order_count": Contract.objects.filter(
            freelancer=user, status=COMPLETED, origin=Contract.Origin.ORDER
        ).count(),
        "client_completed_order_count": Contract.objects.filter(
            client=user, status=COMPLETED, origin=Contract.Origin.ORDER
        ).count(),
    }


def _first_replies(user) -> dict[int, int]:
    """{conversation id: seconds} for each conversation opened by the other side that `user` answered."""
    conversations = Conversation.objects.filter(Q(client=user) | Q(freelancer=user)).values("pk")
    firsts = defaultdict(dict)
    for row in (
        Message.objects.filter(conversation__in=conversations)
        .values("conversation_id", "sender_id")
        .annotate(first=Min("created_at"))
    ):
        firsts[row["conversation_id"]][row["sender_id"]] = row["first"]
    replies = {}
    for conversation_id, first_by_sender in firsts.items():
        mine = first_by_sender.get(user.pk)
        others = [moment for sender, moment in first_by_sender.items() if sender != user.pk]
        if mine is None or not others or min(others) > mine:
            continue
        if min(others) == mine and _first_sender_at(conversation_id, mine) == user.pk:
            continue  # written in the same instant, but this person's came first (as record_message sees it)
        replies[conversation_id] = int((mine - min(others)).total_seconds())
    return replies


def _first_sender_at(conversation_id: int, moment: datetime.datetime) -> int:
    """Who wrote first among messages of the same instant: the lower id, as in record_message."""
    return (
        Message.objects.filter(conversation_id=conversation_id, created_at=moment)
        .order_by("pk")
        .values_list("sender_id", flat=True)
        .first()
    )


def counted_from_rows(user: User) -> dict[str, int]:
    """Every counter of `user`'s Reputation as the rows say it should be (reads every row: slow)."""
    return _counted(user, _first_replies(user))


def _counted(user, replies: dict[int, int]) -> dict[str, int]:
    return {
        **_review_totals(user),
        **_contract_totals(user),
        "response_count": len(replies),
        "response_seconds_sum": sum(replies.values()),
    }


def _sync_tallies(user, replies: dict[int, int]) -> None:
    """Mark as counted every fact the recount just counted, so a later record_* call skips it."""
    for contract, first, milestone in _first_deliveries(user):
        tally = _tally(contract)
        if tally.first_delivered_at is None:
            tally.first_delivered_at, tally.was_on_time = first, _is_on_time(milestone, first)
            tally.save(update_fields=["first_delivered_at", "was_on_time"])
    for contract in Contract.objects.filter(freelancer=user, status__in=ENDED).only(
        "pk", "client_id", "freelancer_id", "status"
    ):
        tally = _tally(contract)
        if tally.ended_status != contract.status:
            tally.ended_status = contract.status
            tally.save(update_fields=["ended_status"])
    for conversation_id, seconds in replies.items():
        ResponseTally.objects.get_or_create(
            conversation_id=conversation_id, responder=user, defaults={"seconds": seconds}
        )


@transaction.atomic
def recount(user: User) -> Reputation:
    """Rebuild `user`'s counters from the rows. Takes row locks in the order the record_* functions
    take them: the person's contracts (ascending ids), then their Reputation row. An increment running
    at the same time either waits for the recount, or is already in the rows it reads."""
    list(
        Contract.objects.select_for_update()
        .filter(Q(client=user) | Q(freelancer=user))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    _ensure_rows([user.pk])
    reputation = Reputation.objects.select_for_update().get(user_id=user.pk)
    replies = _first_replies(user)
    for field, value in _counted(user, replies).items():
        setattr(reputation, field, value)
    reputation.save()
    _sync_tallies(user, replies)
    return reputation


def counters_of(reputation: Reputation) -> dict[str, int]:
    return {field: getattr(reputation, field) for field in COUNTERS}

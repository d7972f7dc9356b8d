"""The contract's state machine, as data: every allowed move, who may make it, where it leads, and
for which agreements (a hire or a direct rehire, or a service order).

Services apply moves through `next_status`; templates and the API ask `actions_for` what to offer,
so a button is shown exactly when the move would be accepted.

The sides are the two people of the contract, a moderator (staff), the sweeps (system, acting as
nobody), and the platform: moderation acting on its own account, as when a suspension sends running
contracts to the dispute queue. The platform side is never offered on a page; only a service that
has checked the moderator names it (`next_status(..., side=PLATFORM)`).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mostaql.accounts.models import User
from mostaql.contracts.models import CancellationRequest, Contract, Milestone
from mostaql.core.exceptions import DomainError

S = Contract.Status
CLIENT, FREELANCER, STAFF, SYSTEM, PLATFORM = "client", "freelancer", "staff", "system", "platform"
PARTIES = (CLIENT, FREELANCER)
HIRES = frozenset({Contract.Origin.HIRE, Contract.Origin.REHIRE})
ORDERS = frozenset({Contract.Origin.ORDER})
EVERY_ORIGIN = HIRES | ORDERS


@dataclass(frozen=True)
class Move:
    action: str
    source: str
    target: str
    side: str
    label: object
    origins: frozenset = EVERY_ORIGIN  # which agreements the move exists for


def _both(action: str, sources: dict, label: object, sides=PARTIES) -> list[Move]:
    """The same move for several sides, from each source (source → (target, origins))."""
    return [
        Move(action, source, target, side, label, origins)
        for source, (target, origins) in sources.items()
        for side in sides
    ]


# Where an agreement may be cancelled by agreement, and where a dispute may be opened (money in escrow).
_CANCELLABLE = {
    S.ACTIVE: (S.ACTIVE, EVERY_ORIGIN),
    S.DELIVERED: (S.DELIVERED, EVERY_ORIGIN),
    S.AWAITING_MILESTONE: (S.AWAITING_MILESTONE, HIRES),
    S.AWAITING_REQUIREMENTS: (S.AWAITING_REQUIREMENTS, ORDERS),
}
_IN_ESCROW = {
    S.ACTIVE: (S.DISPUTED, EVERY_ORIGIN),
    S.DELIVERED: (S.DISPUTED, EVERY_ORIGIN),
    S.AWAITING_REQUIREMENTS: (S.DISPUTED, ORDERS),
}

MOVES = [
    # A direct rehire starts as a proposal the freelancer answers.
    Move(
        "accept_rehire",
        S.PROPOSED,
        S.AWAITING_FUNDING,
        FREELANCER,
        gettext_lazy("Accept the contract"),
        HIRES,
    ),
    Move("decline", S.PROPOSED, S.DECLINED, FREELANCER, gettext_lazy("Decline the contract"), HIRES),
    Move("withdraw_hire", S.PROPOSED, S.WITHDRAWN, CLIENT, gettext_lazy("Withdraw the offer"), HIRES),
    Move("fund", S.AWAITING_FUNDING, S.ACTIVE, CLIENT, gettext_lazy("Fund the contract"), HIRES),
    Move("fund", S.AWAITING_MILESTONE, S.ACTIVE, CLIENT, gettext_lazy("Fund the next milestone"), HIRES),
    Move("withdraw_hire", S.AWAITING_FUNDING, S.WITHDRAWN, CLIENT, gettext_lazy("Withdraw the hire"), HIRES),
    Move("decline", S.AWAITING_FUNDING, S.DECLINED, FREELANCER, gettext_lazy("Decline the hire"), HIRES),
    # An order is paid when it is placed: the buyer's requirements start the clock.
    Move(
        "submit_requirements",
        S.AWAITING_REQUIREMENTS,
        S.ACTIVE,
        CLIENT,
        gettext_lazy("Send the requirements"),
        ORDERS,
    ),
    Move(
        "decline_order",
        S.AWAITING_REQUIREMENTS,
        S.DECLINED,
        FREELANCER,
        gettext_lazy("Decline the order"),
        ORDERS,
    ),
    Move("decline_order", S.ACTIVE, S.DECLINED, FREELANCER, gettext_lazy("Decline the order"), ORDERS),
    # Only once the deadline has passed with no delivery (offered_actions checks the clock).
    Move("cancel_late", S.ACTIVE, S.CANCELLED, CLIENT, gettext_lazy("Cancel: the delivery is late"), ORDERS),
    Move("deliver", S.ACTIVE, S.DELIVERED, FREELANCER, gettext_lazy("Deliver the work")),
    # Accepting the last milestone completes the contract; an earlier one waits for the next funding.
    Move("accept", S.DELIVERED, S.COMPLETED, CLIENT, gettext_lazy("Accept the delivery")),
    Move(
        "accept_milestone",
        S.DELIVERED,
        S.AWAITING_MILESTONE,
        CLIENT,
        gettext_lazy("Accept this milestone"),
        HIRES,
    ),
    Move("request_changes", S.DELIVERED, S.ACTIVE, CLIENT, gettext_lazy("Ask for changes")),
    Move("auto_accept", S.DELIVERED, S.COMPLETED, SYSTEM, gettext_lazy("Accepted automatically")),
    Move(
        "auto_accept_milestone",
        S.DELIVERED,
        S.AWAITING_MILESTONE,
        SYSTEM,
        gettext_lazy("Accepted automatically"),
        HIRES,
    ),
    # Proposing keeps the state; the other side's acceptance ("cancel") ends the contract.
    *_both("propose_cancel", _CANCELLABLE, gettext_lazy("Propose to cancel")),
    *_both(
        "cancel",
        {source: (S.CANCELLED, origins) for source, (_same, origins) in _CANCELLABLE.items()},
        gettext_lazy("Accept the cancellation"),
    ),
    *_both("refuse_cancel", _CANCELLABLE, gettext_lazy("Refuse the cancellation")),
    # Moderation opens a dispute for the platform (an account suspended), not in a person's name.
    *_both("open_dispute", _IN_ESCROW, gettext_lazy("Open a dispute"), sides=(*PARTIES, PLATFORM)),
    # Moderation ends a contract between two milestones (nothing in escrow) when a side is suspended.
    Move("end", S.AWAITING_MILESTONE, S.CANCELLED, PLATFORM, gettext_lazy("End the contract"), HIRES),
    Move("resolve_dispute", S.DISPUTED, S.COMPLETED, STAFF, gettext_lazy("Decide the dispute")),
    Move("refund_dispute", S.DISPUTED, S.CANCELLED, STAFF, gettext_lazy("Decide the dispute")),
]
_BY_KEY = {(move.action, move.source, move.side, origin): move for move in MOVES for origin in move.origins}


def side_of(contract: Contract, user: User | None) -> str | None:
    if user is None:
        return SYSTEM
    if user.pk == contract.client_id:
        return CLIENT
    if user.pk == contract.freelancer_id:
        return FREELANCER
    if user.is_staff:
        return STAFF
    return None


def next_status(contract: Contract, action: str, user: User | None, *, side: str | None = None) -> str:
    """Where `action` by `user` takes the contract now, or a DomainError saying why it may not.

    `side` names the side outright instead of deriving it from `user`: only for PLATFORM, by a
    service that has already checked that `user` is a moderator.
    """
    move = _BY_KEY.get((action, contract.status, side or side_of(contract, user), contract.origin))
    if move is None:
        raise DomainError(
            _("This action is not possible on a contract that is “%(status)s”.")
            % {"status": contract.get_status_display()}
        )
    return move.target


def actions_for(contract: Contract, user: User | None) -> list[Move]:
    side = side_of(contract, user)
    return [
        move
        for move in MOVES
        if move.source == contract.status and move.side == side and contract.origin in move.origins
    ]


_UNREAD = object()


def is_last_milestone_in_play(contract: Contract) -> bool:
    """Whether accepting the milestone in play completes the contract (no milestone waits after it)."""
    return not any(m.status == Milestone.Status.PENDING for m in contract.milestones_list)


def is_late(contract: Contract, now: datetime.datetime | None = None) -> bool:
    """The deadline of the work in play has passed with no delivery."""
    due = contract.due_at
    return contract.status == S.ACTIVE and due is not None and due < (now or timezone.now())


def offered_actions(
    contract: Contract,
    user: User,
    *,
    proposal: CancellationRequest | object | None = _UNREAD,
    now: datetime.datetime | None = None,
) -> set[str]:
    """What the contract page and the API offer this person now: the table's moves, narrowed by the
    open cancellation proposal (only its other side answers it; none can be proposed meanwhile), by
    whether the milestone in play is the last one, and by the clock (a late order may be cancelled).

    Pass `proposal` (the one waiting for an answer, or None) when it was read already: no query then.
    """
    actions = {move.action for move in actions_for(contract, user)}
    if actions & {"accept", "accept_milestone"}:
        actions.discard("accept_milestone" if is_last_milestone_in_play(contract) else "accept")
    if "cancel_late" in actions and not is_late(contract, now):
        actions.discard("cancel_late")
    if proposal is _UNREAD:
        proposal = contract.cancellations.filter(status=CancellationRequest.Status.PROPOSED).first()
    if proposal is None:
        actions -= {"cancel", "refuse_cancel"}
    else:
        actions.discard("propose_cancel")
        if proposal.requested_by_id == user.pk:
            actions -= {"cancel", "refuse_cancel"}
    return actions

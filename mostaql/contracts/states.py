"""The contract's state machine, as data: every allowed move, who may make it, and where it leads.

Services apply moves through `next_status`; templates and the API ask `actions_for` what to offer,
so a button is shown exactly when the move would be accepted.

The sides are the two people of the contract, a moderator (staff), the sweeps (system, acting as
nobody), and the platform: moderation acting on its own account, as when a suspension sends running
contracts to the dispute queue. The platform side is never offered on a page; only a service that
has checked the moderator names it (`next_status(..., side=PLATFORM)`).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mostaql.accounts.models import User
from mostaql.contracts.models import CancellationRequest, Contract
from mostaql.core.exceptions import DomainError

S = Contract.Status
CLIENT, FREELANCER, STAFF, SYSTEM, PLATFORM = "client", "freelancer", "staff", "system", "platform"


@dataclass(frozen=True)
class Move:
    action: str
    source: str
    target: str
    side: str
    label: object


MOVES = [
    Move("fund", S.AWAITING_FUNDING, S.ACTIVE, CLIENT, gettext_lazy("Fund the contract")),
    Move("withdraw_hire", S.AWAITING_FUNDING, S.WITHDRAWN, CLIENT, gettext_lazy("Withdraw the hire")),
    Move("decline", S.AWAITING_FUNDING, S.DECLINED, FREELANCER, gettext_lazy("Decline the hire")),
    Move("deliver", S.ACTIVE, S.DELIVERED, FREELANCER, gettext_lazy("Deliver the work")),
    Move("accept", S.DELIVERED, S.COMPLETED, CLIENT, gettext_lazy("Accept the delivery")),
    Move("request_changes", S.DELIVERED, S.ACTIVE, CLIENT, gettext_lazy("Ask for changes")),
    Move("auto_accept", S.DELIVERED, S.COMPLETED, SYSTEM, gettext_lazy("Accepted automatically")),
    # Proposing keeps the state; the other side's acceptance ("cancel") ends the contract.
    Move("propose_cancel", S.ACTIVE, S.ACTIVE, CLIENT, gettext_lazy("Propose to cancel")),
    Move("propose_cancel", S.ACTIVE, S.ACTIVE, FREELANCER, gettext_lazy("Propose to cancel")),
    Move("propose_cancel", S.DELIVERED, S.DELIVERED, CLIENT, gettext_lazy("Propose to cancel")),
    Move("propose_cancel", S.DELIVERED, S.DELIVERED, FREELANCER, gettext_lazy("Propose to cancel")),
    Move("cancel", S.ACTIVE, S.CANCELLED, CLIENT, gettext_lazy("Accept the cancellation")),
    Move("cancel", S.ACTIVE, S.CANCELLED, FREELANCER, gettext_lazy("Accept the cancellation")),
    Move("cancel", S.DELIVERED, S.CANCELLED, CLIENT, gettext_lazy("Accept the cancellation")),
    Move("cancel", S.DELIVERED, S.CANCELLED, FREELANCER, gettext_lazy("Accept the cancellation")),
    Move("refuse_cancel", S.ACTIVE, S.ACTIVE, CLIENT, gettext_lazy("Refuse the cancellation")),
    Move("refuse_cancel", S.ACTIVE, S.ACTIVE, FREELANCER, gettext_lazy("Refuse the cancellation")),
    Move("refuse_cancel", S.DELIVERED, S.DELIVERED, CLIENT, gettext_lazy("Refuse the cancellation")),
    Move("refuse_cancel", S.DELIVERED, S.DELIVERED, FREELANCER, gettext_lazy("Refuse the cancellation")),
    Move("open_dispute", S.ACTIVE, S.DISPUTED, CLIENT, gettext_lazy("Open a dispute")),
    Move("open_dispute", S.ACTIVE, S.DISPUTED, FREELANCER, gettext_lazy("Open a dispute")),
    Move("open_dispute", S.DELIVERED, S.DISPUTED, CLIENT, gettext_lazy("Open a dispute")),
    Move("open_dispute", S.DELIVERED, S.DISPUTED, FREELANCER, gettext_lazy("Open a dispute")),
    # Moderation opens a dispute for the platform (an account suspended), not in a person's name.
    Move("open_dispute", S.ACTIVE, S.DISPUTED, PLATFORM, gettext_lazy("Open a dispute")),
    Move("open_dispute", S.DELIVERED, S.DISPUTED, PLATFORM, gettext_lazy("Open a dispute")),
    Move("resolve_dispute", S.DISPUTED, S.COMPLETED, STAFF, gettext_lazy("Decide the dispute")),
    Move("refund_dispute", S.DISPUTED, S.CANCELLED, STAFF, gettext_lazy("Decide the dispute")),
]
_BY_KEY = {(move.action, move.source, move.side): move for move in MOVES}


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
    move = _BY_KEY.get((action, contract.status, side or side_of(contract, user)))
    if move is None:
        raise DomainError(
            _("This action is not possible on a contract that is “%(status)s”.")
            % {"status": contract.get_status_display()}
        )
    return move.target


def actions_for(contract: Contract, user: User | None) -> list[Move]:
    side = side_of(contract, user)
    return [move for move in MOVES if move.source == contract.status and move.side == side]


_UNREAD = object()


def offered_actions(
    contract: Contract, user: User, *, proposal: CancellationRequest | object | None = _UNREAD
) -> set[str]:
    """What the contract page and the API offer this person now: the table's moves, narrowed by the
    open cancellation proposal (only its other side answers it; none can be proposed meanwhile).

    Pass `proposal` (the one waiting for an answer, or None) when it was read already: no query then.
    """
    actions = {move.action for move in actions_for(contract, user)}
    if proposal is _UNREAD:
        proposal = contract.cancellations.filter(status=CancellationRequest.Status.PROPOSED).first()
    if proposal is None:
        actions -= {"cancel", "refuse_cancel"}
    else:
        actions.discard("propose_cancel")
        if proposal.requested_by_id == user.pk:
            actions -= {"cancel", "refuse_cancel"}
    return actions

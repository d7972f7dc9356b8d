"""The project's life, as data: each action, the states it may start from, and where it leads."""

from django.utils.translation import gettext as _

from mostaql.core.exceptions import DomainError
from mostaql.projects.models import Project

S = Project.Status

TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({S.PENDING_REVIEW}), S.OPEN),
    "reject": (frozenset({S.PENDING_REVIEW}), S.REJECTED),
    "close": (frozenset({S.PENDING_REVIEW, S.OPEN}), S.CLOSED),
    "hire": (frozenset({S.OPEN}), S.HIRING),
    "reopen": (frozenset({S.HIRING}), S.OPEN),  # the hire was declined or withdrawn
    "start": (frozenset({S.HIRING}), S.IN_PROGRESS),  # the contract was funded
    "complete": (frozenset({S.IN_PROGRESS}), S.COMPLETED),
    "cancel": (frozenset({S.IN_PROGRESS}), S.CANCELLED),
}

# States in which the owner may still change what the project asks for.
EDITABLE = frozenset({S.PENDING_REVIEW, S.OPEN})
# States in which freelancers may send offers (and change or withdraw theirs).
TAKING_OFFERS = frozenset({S.OPEN})


def can(project: Project, action: str) -> bool:
    sources, _target = TRANSITIONS[action]
    return project.status in sources


def transition(project: Project, action: str) -> str:
    """The project's next status for `action`, or a DomainError in words a person understands."""
    sources, target = TRANSITIONS[action]
    if project.status not in sources:
        raise DomainError(
            _("This is not possible while the project is “%(status)s”.")
            % {"status": project.get_status_display()}
        )
    return target


def offered_actions(project: Project, *, is_owner: bool, has_bid: bool) -> set[str]:
    """What the project page and the API offer the viewer now, from the table above: "bid" (not the
    owner, no offer sent yet, and the project takes offers; a visitor is offered it too, and asked to
    log in), "edit" (the owner, while editable and before any offer), "close" and "hire" (the owner,
    when the table allows the move)."""
    actions = set()
    if not is_owner and not has_bid and project.status in TAKING_OFFERS:
        actions.add("bid")
    if is_owner:
        if project.status in EDITABLE and not project.offer_count:
            actions.add("edit")
        actions.update(action for action in ("close", "hire") if can(project, action))
    return actions

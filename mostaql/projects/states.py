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

"""The project's life is one table: each action, the states it starts from, where it leads."""

import pytest
from django.utils import translation

from mostaql.core.exceptions import DomainError
from mostaql.projects import states
from mostaql.projects.models import Project

S = Project.Status

# Every (action, from) pair the table allows, and where it leads: the design's state diagram.
ALLOWED = {
    ("approve", S.PENDING_REVIEW): S.OPEN,
    ("reject", S.PENDING_REVIEW): S.REJECTED,
    ("close", S.PENDING_REVIEW): S.CLOSED,
    ("close", S.OPEN): S.CLOSED,
    ("hire", S.OPEN): S.HIRING,
    ("reopen", S.HIRING): S.OPEN,
    ("start", S.HIRING): S.IN_PROGRESS,
    ("complete", S.IN_PROGRESS): S.COMPLETED,
    ("cancel", S.IN_PROGRESS): S.CANCELLED,
}
EVERY_MOVE = [(action, status) for action in states.TRANSITIONS for status in S.values]


@pytest.mark.parametrize(("action", "status"), [move for move in EVERY_MOVE if move in ALLOWED])
def test_an_allowed_move_leads_where_the_design_says(action, status):
    project = Project(status=status)

    assert states.can(project, action)
    assert states.transition(project, action) == ALLOWED[(action, status)]


@pytest.mark.parametrize(("action", "status"), [move for move in EVERY_MOVE if move not in ALLOWED])
def test_any_other_move_is_a_domain_error_and_leaves_the_status(action, status):
    project = Project(status=status)

    assert not states.can(project, action)
    with translation.override("en"), pytest.raises(DomainError, match="not possible while the project"):
        states.transition(project, action)
    assert project.status == status


def test_the_refusal_names_the_status_in_words():
    with translation.override("en"), pytest.raises(DomainError) as refusal:
        states.transition(Project(status=S.CLOSED), "hire")

    assert "Closed" in refusal.value.message


def test_the_owner_edits_only_while_the_project_asks_for_offers():
    assert {S.PENDING_REVIEW, S.OPEN} == states.EDITABLE

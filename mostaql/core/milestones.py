"""The rules of a plan of milestones, shared by the offer that proposes it (projects) and the
contract that carries it (contracts): both sit above core, so the one rule lives here."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from mostaql.core.exceptions import DomainError
from mostaql.core.money import format_money

MAX_TITLE_LENGTH = 120


@dataclass(frozen=True)
class MilestoneTerms:
    """One stage as agreed: what it is, what it pays, how many days it takes."""

    title: str
    amount_cents: int
    days: int


def check_milestone_terms(terms: list[MilestoneTerms], *, total_cents: int | None = None) -> None:
    """The rules of a plan of milestones, before anything is written: 1 to CONTRACT_MAX_MILESTONES
    stages, each with a title, an amount above zero and at least a day; together they make the total."""
    if not 1 <= len(terms) <= settings.CONTRACT_MAX_MILESTONES:
        raise DomainError(
            _("A contract has from 1 to %(count)s milestones.") % {"count": settings.CONTRACT_MAX_MILESTONES},
            field="milestones",
        )
    for term in terms:
        check_one_milestone(term)
    if total_cents is not None and sum(term.amount_cents for term in terms) != total_cents:
        raise DomainError(
            _("The milestones must add up to %(total)s.") % {"total": format_money(total_cents)},
            field="milestones",
        )


def check_one_milestone(term: MilestoneTerms) -> None:
    if not term.title.strip():
        raise DomainError(_("Give each milestone a title."), field="milestones")
    if len(term.title) > MAX_TITLE_LENGTH:
        raise DomainError(
            _("A milestone's title has at most %(count)s characters.") % {"count": MAX_TITLE_LENGTH},
            field="milestones",
        )
    if term.amount_cents <= 0:
        raise DomainError(_("Each milestone's amount must be above zero."), field="milestones")
    if not 1 <= term.days <= 365:
        raise DomainError(_("Each milestone takes from 1 to 365 days."), field="milestones")

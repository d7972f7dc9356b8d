"""The kinds of thing a person may keep in their list (/saved/): for each, which of a set of ids the
public may see now (through that app's own public selector), and the card that shows one.

A new kind is one entry here and one choice in Favourite.Kind."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from mostaql.accounts.selectors import freelancer_directory
from mostaql.gigs.selectors import listed_services
from mostaql.projects.selectors import open_projects


@dataclass(frozen=True)
class FavouriteKind:
    kind: str
    label: object
    visible: Callable[[Sequence[int]], dict[int, object]]  # id → the object, ready for its card
    card_template: str
    context_name: str  # the name the card template expects


def _projects(ids: Sequence[int]) -> dict[int, object]:
    return {project.pk: project for project in open_projects().filter(pk__in=list(ids))}


def _services(ids: Sequence[int]) -> dict[int, object]:
    """The published services among `ids` (a paused one, or a suspended seller's, is not)."""
    return {service.pk: service for service in listed_services().filter(pk__in=list(ids))}


def _freelancers(ids: Sequence[int]) -> dict[int, object]:
    return {profile.user_id: profile for profile in freelancer_directory().filter(user_id__in=list(ids))}


KINDS: dict[str, FavouriteKind] = {
    "project": FavouriteKind(
        "project", _("Projects"), _projects, "projects/partials/project_card.html", "project"
    ),
    "service": FavouriteKind(
        "service", _("Services"), _services, "gigs/partials/service_card.html", "service"
    ),
    "freelancer": FavouriteKind(
        "freelancer", _("Freelancers"), _freelancers, "accounts/partials/freelancer_card.html", "profile"
    ),
}

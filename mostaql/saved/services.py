"""Every change to saved searches, their alerts and favourites."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mostaql.accounts.models import User
from mostaql.briefs.models import Brief
from mostaql.catalog.models import Category, Skill
from mostaql.core.exceptions import DomainError
from mostaql.projects.models import Project
from mostaql.saved import tasks
from mostaql.saved.favourites import KINDS
from mostaql.saved.lists import searchable_list
from mostaql.saved.models import Favourite, SavedSearch, SkillsAlertOffer

F = SavedSearch.Frequency


# --- Saved searches ---------------------------------------------------------------------------


def _default_name(query: str, filters: dict, label: str) -> str:
    """The query, then the category's and skills' names in the person's language."""
    parts = [query] if query else []
    if filters.get("category"):
        category = Category.objects.filter(slug=filters["category"]).first()
        parts.append(category.name if category else filters["category"])
    if filters.get("skills"):
        parts += [
            skill.name for skill in Skill.objects.filter(slug__in=filters["skills"]).order_by("name_ar")
        ]
    if filters.get("skill"):
        skill = Skill.objects.filter(slug=filters["skill"]).first()
        parts.append(skill.name if skill else filters["skill"])
    return (" · ".join(parts) or label)[:80]


def _check_frequency(frequency: str) -> None:
    if frequency not in F.values:
        raise DomainError(_("Choose how often to be alerted."), field="frequency")


@transaction.atomic
def save_search(
    *,
    user: User,
    list_name: str,
    query: str,
    filters: dict,
    frequency: str = F.DAILY,
    name: str = "",
    now: datetime.datetime | None = None,
) -> SavedSearch:
    """Keep a list's search; its filters are cleaned strictly (an unknown one is refused).

    Locks the user's row (the count per person is checked, then a row written)."""
    entry = searchable_list(list_name)
    cleaned = entry.clean_strict(query, filters)
    _check_frequency(frequency)
    name = " ".join((name or "").split())[:80] or _default_name(
        cleaned.query, cleaned.filters, _("All projects") if list_name == "projects" else str(entry.label)
    )
    User.objects.select_for_update().filter(pk=user.pk).exists()
    if SavedSearch.objects.filter(user=user).count() >= settings.SAVED_SEARCHES_PER_USER:
        raise DomainError(
            _("You can keep at most %(count)s saved searches: delete one first.")
            % {"count": settings.SAVED_SEARCHES_PER_USER}
        )
    if SavedSearch.objects.filter(user=user, list_name=list_name, shape=cleaned.shape).exists():
        raise DomainError(_("You have saved this search already."), code="duplicate")
    return SavedSearch.objects.create(
        user=user,
        list_name=list_name,
        name=name,
        query=cleaned.query,
        filters=cleaned.filters,
        shape=cleaned.shape,
        frequency=frequency,
    )


@transaction.atomic
def change_search(
    *, user: User, saved_search: SavedSearch, frequency: str | None = None, name: str | None = None
) -> SavedSearch:
    """Rename a saved search or change how often it alerts. Its query and filters stay (save another)."""
    if saved_search.user_id != user.pk:
        raise DomainError(_("This saved search is not yours."), status=404, code="not_found")
    if frequency is not None:
        _check_frequency(frequency)
        saved_search.frequency = frequency
    if name is not None:
        name = " ".join(name.split())[:80]
        if not name:
            raise DomainError(_("Give the search a name."), field="name")
        saved_search.name = name
    saved_search.save(update_fields=["frequency", "name"])
    return saved_search


@transaction.atomic
def delete_search(*, user: User, saved_search: SavedSearch) -> None:
    if saved_search.user_id != user.pk:
        raise DomainError(_("This saved search is not yours."), status=404, code="not_found")
    saved_search.delete()


@transaction.atomic
def answer_skills_offer(
    *, user: User, accept: bool, now: datetime.datetime | None = None
) -> list[SavedSearch]:
    """The dashboard's offer to a new freelancer: a daily alert for each skill of their profile (the
    list's skill filter wants every skill it names, so one search per skill finds any of them).
    Asked once: a second answer changes nothing."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            SkillsAlertOffer.objects.create(user=user, accepted=accept, answered_at=now)
    except IntegrityError:
        return []
    if not accept:
        return []
    created = []
    for skill in user.profile.skills.order_by("name_ar"):
        try:
            created.append(
                save_search(
                    user=user,
                    list_name="projects",
                    query="",
                    filters={"skills": [skill.slug]},
                    frequency=F.DAILY,
                    name=skill.name,
                )
            )
        except DomainError:  # saved already, or the person's limit is reached
            continue
    return created


# --- Matching and alerts ----------------------------------------------------------------------


def project_published(*, project: Project) -> None:
    """projects.hooks.published: match the project once its publication is committed."""
    transaction.on_commit(lambda: tasks.match_new_items.delay("projects", [project.pk]), robust=True)


def request_published(*, brief: Brief) -> None:
    """briefs.hooks.published: match the buyer request once its approval is committed."""
    transaction.on_commit(lambda: tasks.match_new_items.delay("requests", [brief.pk]), robust=True)


# --- Favourites -------------------------------------------------------------------------------


def _check_can_keep(*, kind: str, object_id: int) -> None:
    if kind not in KINDS:
        raise DomainError(_("There is no such kind of thing to save."), field="kind")
    if object_id not in KINDS[kind].visible([object_id]):
        raise DomainError(_("Not found."), status=404, code="not_found")


@transaction.atomic
def add_favourite(*, user: User, kind: str, object_id: int) -> Favourite:
    """Keep what the public list shows (an open project, an active freelancer); saved twice is once."""
    _check_can_keep(kind=kind, object_id=object_id)
    favourite, _created = Favourite.objects.get_or_create(user=user, kind=kind, object_id=object_id)
    return favourite


@transaction.atomic
def remove_favourite(*, user: User, kind: str, object_id: int) -> bool:
    """Whether it was there. Something no longer public can still be removed."""
    deleted, _rows = Favourite.objects.filter(user=user, kind=kind, object_id=object_id).delete()
    return bool(deleted)


@transaction.atomic
def toggle_favourite(*, user: User, kind: str, object_id: int) -> bool:
    """Save it, or take it off the list if it was there; whether it is saved now."""
    if remove_favourite(user=user, kind=kind, object_id=object_id):
        return False
    add_favourite(user=user, kind=kind, object_id=object_id)
    return True

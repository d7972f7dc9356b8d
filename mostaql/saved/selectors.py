"""Reads behind /saved/, the saved searches page, the cards' toggles and the dashboard's offer."""

from django.db.models import QuerySet

from mostaql.accounts.models import User
from mostaql.catalog.models import Category, Skill
from mostaql.projects.models import Budget
from mostaql.projects.selectors import POSTED_WITHIN
from mostaql.saved.favourites import KINDS
from mostaql.saved.models import Favourite, SavedSearch, SkillsAlertOffer

# A person's favourites read for the cards' toggles at most: a list longer than this is paged on /saved/.
TOGGLE_KEYS_LIMIT = 2000
POSTED_LABELS = {"day": "24h", "week": "7d", "month": "30d"}


def searches_of(user: User) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user).order_by("-created_at", "-pk")


def described(searches: list[SavedSearch]) -> list[SavedSearch]:
    """Each search with `described_filters`: its filters' names in the page's language (two queries)."""
    categories = {slug for search in searches for slug in [search.filters.get("category")] if slug}
    skills = {slug for search in searches for slug in search.filters.get("skills", [])}
    skills |= {search.filters["skill"] for search in searches if search.filters.get("skill")}
    category_names = {c.slug: c.name for c in Category.objects.filter(slug__in=categories)}
    skill_names = {s.slug: s.name for s in Skill.objects.filter(slug__in=skills)}
    budgets = dict(Budget.choices)
    for search in searches:
        parts = []
        if "category" in search.filters:
            parts.append(category_names.get(search.filters["category"], search.filters["category"]))
        parts += [skill_names.get(slug, slug) for slug in search.filters.get("skills", [])]
        if search.filters.get("skill"):
            parts.append(skill_names.get(search.filters["skill"], search.filters["skill"]))
        for low, high in (("min_price", "max_price"), ("min_budget", "max_budget")):
            if search.filters.get(low) or search.filters.get(high):
                parts.append(f"${search.filters.get(low) or 0}–{search.filters.get(high) or '…'}")
        if "budget" in search.filters:
            parts.append(budgets.get(search.filters["budget"], search.filters["budget"]))
        if search.filters.get("posted") in POSTED_WITHIN:
            parts.append(POSTED_LABELS[search.filters["posted"]])
        search.described_filters = parts
    return searches


def favourites_of(user: User) -> QuerySet[Favourite]:
    """The person's favourites as rows (kind and id), newest first: the API's list."""
    return Favourite.objects.filter(user=user).order_by("-created_at", "-pk")


def favourite_keys(user: User) -> frozenset[str]:
    """ "kind:id" of what the person keeps: the cards' toggles ask it (one query per page)."""
    if not user.is_authenticated:
        return frozenset()
    rows = Favourite.objects.filter(user=user).order_by("-created_at").values_list("kind", "object_id")
    return frozenset(f"{kind}:{object_id}" for kind, object_id in rows[:TOGGLE_KEYS_LIMIT])


def favourites_page(user: User) -> list[dict]:
    """Per kind, the favourites the public may still see, newest first, and how many are gone
    (closed, hidden): one query for the list and one per kind that has any."""
    rows = list(Favourite.objects.filter(user=user).order_by("-created_at", "-pk"))
    sections = []
    for kind, entry in KINDS.items():
        ids = [row.object_id for row in rows if row.kind == kind]
        visible = entry.visible(ids) if ids else {}
        sections.append(
            {
                "kind": kind,
                "label": entry.label,
                "template": entry.card_template,
                "context_name": entry.context_name,
                "objects": [visible[pk] for pk in ids if pk in visible],
                "gone": len([pk for pk in ids if pk not in visible]),
            }
        )
    return sections


def skills_alert_offer(user: User) -> list[Skill]:
    """The skills a freelancer who has no saved search and never answered may be offered alerts for."""
    if not user.is_authenticated or user.primary_role != User.Role.FREELANCER:
        return []
    if SkillsAlertOffer.objects.filter(user=user).exists() or SavedSearch.objects.filter(user=user).exists():
        return []
    return list(user.profile.skills.order_by("name_ar")[:5])

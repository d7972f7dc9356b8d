"""The searchable lists a person may save a search of, keyed by name: each says which filters it
knows and how to clean them, which selector shows it, and how its new items are read for matching.

A new list plugs in with one entry in LISTS, built from that app's own selector, plus one
`hooks.published.register(...)` line in SavedConfig.ready() (projects and buyer requests do; services
are saved lists without alerts, see SERVICES). What tokens cannot say, a range of amounts, `keeps` asks
of each new item.

Matching reads a new item as a set of *tokens* (its stems and facets such as "category:3"), and a
saved search as groups of tokens, of which the item must hold one in every group (saved.matching):
the text's groups are the words of the query as the list's search engine expands them
(core.search.engine), the filters' groups are what `requirements` says. What the list's selector
filters in SQL, `requirements` filters in tokens; the tests hold the two equal, search by search.
"""

import datetime
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mostaql.briefs import selectors as brief_selectors
from mostaql.catalog.selectors import ids_by_slug
from mostaql.core.exceptions import DomainError
from mostaql.core.numbers import parse_money_cents
from mostaql.gigs import selectors as gig_selectors
from mostaql.projects import selectors as project_selectors
from mostaql.projects.models import Budget, Project

MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class Cleaned:
    """A list's query and filters as the list understands them, and what was dropped to get there."""

    query: str
    filters: dict
    dropped: list[str] = field(default_factory=list)  # messages: a filter that was left out

    @property
    def shape(self) -> str:
        return json.dumps({"q": self.query, **self.filters}, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class NewItem:
    """What matching reads of a new item: its id, its stems and facets (tokens), when it was published."""

    pk: int
    tokens: frozenset[str]
    published_at: datetime.datetime
    amount_cents: int | None = None  # a request's budget: what a range filter (`keeps`) reads


@dataclass(frozen=True)
class SearchableList:
    name: str
    label: object
    url_name: str  # the list page; its query string is the saved search's
    filter_names: tuple[str, ...]  # the query string's filter names (besides "q"), in order
    ignored_names: tuple[str, ...]  # known to the page but not part of a search (sort, page)
    clean_filter: Callable[[str, list[str]], object]  # one filter's values → its clean value (or raises)
    results: Callable[..., QuerySet]  # the list's own selector: results(query=..., **filters)
    new_items: Callable[[Sequence[int]], list[NewItem]]  # the ids the public list shows, read for matching
    requirements: Callable[[dict], list[frozenset[str]] | None]  # token groups; None: never matches
    since: Callable[[dict, datetime.datetime], datetime.datetime | None]  # oldest publication kept
    published_since: Callable[[datetime.datetime], list[int]]  # the public list's items since then
    # What tokens cannot say (a range of amounts): whether a search's filters keep an item; None: all.
    keeps: Callable[[dict, NewItem], bool] | None = None

    def clean(self, query: str, params: Mapping[str, list[str]]) -> Cleaned:
        """A query and a query string's filters (name → values), cleaned for the web: unknown names
        and unknown values are dropped with a message; a query too long or unreadable is refused."""
        query = clean_query(query)
        filters, dropped = {}, []
        unknown = sorted(
            name for name in params if name not in (*self.filter_names, *self.ignored_names, "q")
        )
        if unknown:
            dropped.append(
                _("Unknown filters were left out: %(names)s.") % {"names": ", ".join(unknown)[:200]}
            )
        for name in self.filter_names:
            values = [value for value in params.get(name, []) if value]
            if not values:
                continue
            try:
                value = self.clean_filter(name, values)
            except DomainError as error:
                dropped.append(error.message)
                continue
            if value:
                filters[name] = value
        return Cleaned(query=query, filters=filters, dropped=dropped)

    def clean_strict(self, query: str, filters: Mapping[str, object]) -> Cleaned:
        """The same for the API and the services: anything unknown or wrong is refused, naming it."""
        query = clean_query(query)
        clean = {}
        for name, value in filters.items():
            if name not in self.filter_names:
                raise DomainError(_("Unknown filter: %(name)s.") % {"name": str(name)[:40]}, field="filters")
            values = value if isinstance(value, list) else [value]
            if not all(isinstance(one, str) for one in values):
                raise DomainError(_("A filter's values are text."), field=name)
            values = [one for one in values if one]
            if values:
                clean_value = self.clean_filter(name, values)
                if clean_value:
                    clean[name] = clean_value
        return Cleaned(query=query, filters=clean)


def clean_query(query: str) -> str:
    query = " ".join((query or "").split())
    if "\x00" in query:
        raise DomainError(_("The search words hold a character that cannot be searched."), field="query")
    if len(query) > MAX_QUERY_LENGTH:
        raise DomainError(
            _("The search words may be at most %(count)s characters long.") % {"count": MAX_QUERY_LENGTH},
            field="query",
        )
    return query


# --- Projects ---------------------------------------------------------------------------------


def _clean_project_filter(name: str, values: list[str]) -> object:
    catalog = ids_by_slug()
    if name == "category":
        if values[0] not in catalog["categories"]:
            raise DomainError(_("There is no such category: it was left out."), field="category")
        return values[0]
    if name == "skills":
        unknown = [value for value in values if value not in catalog["skills"]]
        if unknown:
            raise DomainError(_("There is no such skill: the skills were left out."), field="skills")
        skills = list(dict.fromkeys(values))
        if len(skills) > settings.PROJECT_MAX_SKILLS:
            raise DomainError(
                _("At most %(count)s skills: the skills were left out.")
                % {"count": settings.PROJECT_MAX_SKILLS},
                field="skills",
            )
        return sorted(skills)
    if name == "budget":
        if values[0] not in Budget.values:
            raise DomainError(_("There is no such budget: it was left out."), field="budget")
        return values[0]
    if name == "posted":
        if values[0] not in project_selectors.POSTED_WITHIN:
            raise DomainError(_("There is no such date filter: it was left out."), field="posted")
        return values[0]
    raise DomainError(_("Unknown filter: %(name)s.") % {"name": name}, field="filters")


def _project_results(*, query="", **filters) -> QuerySet:
    return project_selectors.open_projects(query=query, sort="newest", **filters)


def _new_projects(ids: Sequence[int]) -> list[NewItem]:
    """The projects among `ids` that the public list shows (the list's own selector decides: hidden,
    closed or private projects are not among them), with their stems, category, skills and budget."""
    rows = list(
        project_selectors.open_projects()
        .filter(pk__in=list(ids))
        .values_list("pk", "category_id", "budget", "published_at", "search_stems")
    )
    skills: dict[int, list[int]] = {}
    for project_id, skill_id in Project.skills.through.objects.filter(
        project_id__in=[row[0] for row in rows]
    ).values_list("project_id", "skill_id"):
        skills.setdefault(project_id, []).append(skill_id)
    return [
        NewItem(
            pk=pk,
            tokens=frozenset(
                [
                    *stems.split(),
                    f"category:{category_id}",
                    f"budget:{budget}",
                    *(f"skill:{skill_id}" for skill_id in skills.get(pk, [])),
                ]
            ),
            published_at=published_at,
        )
        for pk, category_id, budget, published_at, stems in rows
    ]


def _project_requirements(filters: dict) -> list[frozenset[str]] | None:
    """open_projects()'s filters as token groups (`posted` is `since`); None for an unknown slug,
    where the selector answers none()."""
    catalog = ids_by_slug()
    groups = []
    if "category" in filters:
        if filters["category"] not in catalog["categories"]:
            return None
        groups.append(frozenset([f"category:{catalog['categories'][filters['category']]}"]))
    for slug in filters.get("skills", []):
        if slug not in catalog["skills"]:
            return None
        groups.append(frozenset([f"skill:{catalog['skills'][slug]}"]))
    if filters.get("budget"):
        groups.append(frozenset([f"budget:{filters['budget']}"]))
    return groups


def posted_since(filters: dict, now: datetime.datetime) -> datetime.datetime | None:
    """The oldest publication a `posted` filter keeps (open_projects' own arithmetic), or None."""
    days = project_selectors.POSTED_WITHIN.get(filters.get("posted", ""))
    return now - datetime.timedelta(days=days) if days else None


PROJECTS = SearchableList(
    name="projects",
    label=gettext_lazy("Projects"),
    url_name="projects:list",
    filter_names=("category", "skills", "budget", "posted"),
    ignored_names=("sort", "page"),
    clean_filter=_clean_project_filter,
    results=_project_results,
    new_items=_new_projects,
    requirements=_project_requirements,
    since=posted_since,
    published_since=lambda since: list(
        project_selectors.open_projects().filter(published_at__gte=since).values_list("pk", flat=True)
    ),
)


# --- Services (gigs) and buyer requests (briefs) ----------------------------------------------
# Their filters as their list pages read them (gigs.views.list_filters, briefs.views.list_filters):
# amounts are dollars as typed, kept as text so that the saved search's query string is the page's.

_AMOUNT_NAMES = {"min_price", "max_price", "min_budget", "max_budget"}


def cents(value: str | None) -> int | None:
    """An amount filter's dollars in cents, as the list pages read it (None: none or unreadable)."""
    if not value:
        return None
    try:
        amount = parse_money_cents(value[:12])
    except ValueError:
        return None
    return amount if 0 <= amount < 10**9 else None


def _clean_market_filter(name: str, values: list[str]) -> object:
    value = values[0].strip()
    if name == "category":
        if value not in ids_by_slug()["categories"]:
            raise DomainError(_("There is no such category: it was left out."), field="category")
        return value
    if name == "skill":
        if value not in ids_by_slug()["skills"]:
            raise DomainError(_("There is no such skill: the skills were left out."), field="skill")
        return value
    if name in _AMOUNT_NAMES:
        if cents(value) is None:
            raise DomainError(_("An amount could not be read: it was left out."), field=name)
        return value[:12]
    if name == "delivery":
        if value not in gig_selectors.DELIVERY_WITHIN:
            raise DomainError(_("There is no such delivery time: it was left out."), field=name)
        return value
    if name == "rating":
        if value not in gig_selectors.RATING_AT_LEAST:
            raise DomainError(_("There is no such rating: it was left out."), field=name)
        return value
    raise DomainError(_("Unknown filter: %(name)s.") % {"name": name}, field="filters")


def _service_results(*, query="", **filters) -> QuerySet:
    return gig_selectors.listed_services(
        query=query,
        category=filters.get("category", ""),
        skill=filters.get("skill", ""),
        min_price_cents=cents(filters.get("min_price")),
        max_price_cents=cents(filters.get("max_price")),
        delivery=filters.get("delivery", ""),
        rating=filters.get("rating", ""),
        sort="newest",
    )


# Services are not matched as they are published (a seller's rating moves after publication, so a
# service's tokens would not stay what the list filters): their saved searches are saved lists,
# without alerts, and the sweep reads none of them.
SERVICES = SearchableList(
    name="services",
    label=gettext_lazy("Services"),
    url_name="gigs:list",
    filter_names=("category", "skill", "min_price", "max_price", "delivery", "rating"),
    ignored_names=("sort", "page"),
    clean_filter=_clean_market_filter,
    results=_service_results,
    new_items=lambda ids: [],
    requirements=lambda filters: None,
    since=lambda filters, now: None,
    published_since=lambda since: [],
)


def _request_results(*, query="", **filters) -> QuerySet:
    return brief_selectors.listed_briefs(
        query=query,
        category=filters.get("category", ""),
        min_budget_cents=cents(filters.get("min_budget")),
        max_budget_cents=cents(filters.get("max_budget")),
    )


def _new_requests(ids: Sequence[int]) -> list[NewItem]:
    """The requests among `ids` that the public list shows, with their stems, category and budget."""
    rows = (
        brief_selectors.listed_briefs()
        .filter(pk__in=list(ids))
        .values_list("pk", "category_id", "budget_cents", "published_at", "search_stems")
    )
    return [
        NewItem(
            pk=pk,
            tokens=frozenset([*stems.split(), f"category:{category_id}"]),
            published_at=published_at,
            amount_cents=budget_cents,
        )
        for pk, category_id, budget_cents, published_at, stems in rows
    ]


def _request_requirements(filters: dict) -> list[frozenset[str]] | None:
    categories = ids_by_slug()["categories"]
    if "category" in filters:
        if filters["category"] not in categories:
            return None
        return [frozenset([f"category:{categories[filters['category']]}"])]
    return []


def _request_keeps(filters: dict, item: NewItem) -> bool:
    """listed_briefs()' budget range, asked of one request."""
    low, high = cents(filters.get("min_budget")), cents(filters.get("max_budget"))
    amount = item.amount_cents or 0
    return (low is None or amount >= low) and (high is None or amount <= high)


REQUESTS = SearchableList(
    name="requests",
    label=gettext_lazy("Buyer requests"),
    url_name="briefs:list",
    filter_names=("category", "min_budget", "max_budget"),
    ignored_names=("page",),
    clean_filter=_clean_market_filter,
    results=_request_results,
    new_items=_new_requests,
    requirements=_request_requirements,
    since=lambda filters, now: None,
    published_since=lambda since: list(
        brief_selectors.listed_briefs().filter(published_at__gte=since).values_list("pk", flat=True)
    ),
    keeps=_request_keeps,
)

LISTS: dict[str, SearchableList] = {entry.name: entry for entry in (PROJECTS, SERVICES, REQUESTS)}


def searchable_list(name: str) -> SearchableList:
    if name not in LISTS:
        raise DomainError(_("There is no such list."), field="list_name")
    return LISTS[name]

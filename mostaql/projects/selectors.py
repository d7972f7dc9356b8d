"""Reads behind the project pages; each costs a fixed number of queries, whatever the number of rows."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from mostaql.accounts.models import User
from mostaql.catalog.models import Skill
from mostaql.catalog.selectors import ids_by_slug
from mostaql.core.search import suggest
from mostaql.core.search.engine import Query, RankedResults, expand, parse, search
from mostaql.core.visibility import is_hidden, item_is_hidden
from mostaql.projects.models import Invitation, Offer, Project

S = Project.Status

POSTED_WITHIN = {"day": 1, "week": 7, "month": 30}
SORTS = {
    "relevance": (),  # with a query only: core.search.engine.RankedResults, then the newest
    "newest": ("-published_at", "-pk"),
    "fewest_offers": ("offer_count", "-published_at", "-pk"),
}


def project_search(text: str) -> Query:
    """A search box's text, parsed and with its typos looked up (one query when it has words)."""
    return expand(parse(text))


def chosen_sort(sort: str, query: Query | str) -> str:
    """The sort asked for; without one, the most relevant first when there is a query, else the newest.
    Relevance means nothing without a query."""
    if sort not in SORTS or (sort == "relevance" and not query):
        return "relevance" if query else "newest"
    return sort


def public_projects() -> QuerySet[Project]:
    """THE rule of what may be listed publicly: open, not hidden by the moderators, not private.

    Every public list starts here — the project list and its search, the public API list, the home
    page, the sitemap, the feeds and saved-search alerts — so a private project is never listed
    anywhere. Who may open one project's page is `can_view_project`, below.
    """
    return Project.objects.filter(~is_hidden("project"), status=S.OPEN, is_private=False)


def open_projects(
    *,
    query: Query | str = "",
    category: str = "",
    skills: list[str] = (),
    budget: str = "",
    posted: str = "",
    sort: str = "",
) -> QuerySet[Project] | RankedResults:
    """Open projects for the public list, filtered and sorted as the list's form asks."""
    projects = public_projects()
    catalog = ids_by_slug() if category or skills else {}
    if category:
        if category not in catalog["categories"]:
            return Project.objects.none()
        projects = projects.filter(category_id=catalog["categories"][category])
    links = Project.skills.through.objects
    for slug in skills:
        if slug not in catalog["skills"]:
            return Project.objects.none()
        projects = projects.filter(
            Exists(links.filter(project_id=OuterRef("pk"), skill_id=catalog["skills"][slug]))
        )
    if budget:
        projects = projects.filter(budget=budget)
    if posted in POSTED_WITHIN:
        projects = projects.filter(
            published_at__gte=timezone.now() - datetime.timedelta(days=POSTED_WITHIN[posted])
        )
    if isinstance(query, str):
        query = project_search(query)
    sort = chosen_sort(sort, query)
    # The owners come by prefetch, for the 25 rows of the page only: joined, they were looked up for
    # every match before the sort (3,700 rows for a common search word). The nine categories join
    # for nothing.
    projects = (
        projects.select_related("category")
        .only(
            "pk",
            "title",
            "description",
            "budget",
            "offer_count",
            "published_at",
            "status",
            "owner",
            "category__name_ar",
            "category__name_en",
        )
        .prefetch_related(Prefetch("owner", queryset=User.objects.only("pk", "name")))
    )
    if sort == "relevance":
        return RankedResults(projects, query, SORTS["newest"])
    return search(projects, query).order_by(*SORTS[sort])


def search_suggestions(query: Query, filters: dict) -> dict:
    """For a search that found nothing: a spelling of the query that finds open projects with the
    same filters, and the catalogue skills nearest it. A few queries, on that page only."""
    spelling = suggest.spelling(query) if query else ""
    if spelling and not open_projects(**{**filters, "query": spelling}).exists():
        spelling = ""
    skills = list(Skill.objects.only("slug", "name_ar", "name_en"))
    names = {skill.slug: [skill.name_ar, skill.name_en] for skill in skills}
    nearest = suggest.nearest_names(query, names) if query else []
    by_slug = {skill.slug: skill for skill in skills}
    return {"spelling": spelling, "skills": [by_slug[slug] for slug in nearest]}


def project_for_page(*, pk: int) -> Project:
    return (
        Project.objects.select_related("owner__profile", "category")
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("name_ar")), "attachments")
        .annotate(is_hidden=is_hidden("project"))
        .get(pk=pk)
    )


def is_invited(project: Project, user: User | AnonymousUser) -> bool:
    """Whether the project's owner invited this person: one query for a signed-in person, asked once
    per project object (the page asks it after can_view_project did)."""
    if not user.is_authenticated:
        return False
    answers = project.__dict__.setdefault("_invited_answers", {})
    if user.pk not in answers:
        answers[user.pk] = Invitation.objects.filter(project=project, freelancer=user).exists()
    return answers[user.pk]


def can_view_project(project: Project, user: User | AnonymousUser) -> bool:
    """Who may open a project's page (and its API detail, files and offer form); everyone else gets
    a 404. Pending, rejected and hidden projects: their owner and moderators only. A private project:
    its owner, staff and the freelancers it invited (one query for them), whatever its status."""
    is_owner_or_staff = user.is_authenticated and (user.pk == project.owner_id or user.is_staff)
    if project.status in (S.PENDING_REVIEW, S.REJECTED) or item_is_hidden(project, "project"):
        return is_owner_or_staff
    if project.is_private:
        return is_owner_or_staff or is_invited(project, user)
    return True


def offer_summary(project: Project) -> dict:
    """What everyone may know of the offers: how many, and their average amount."""
    summary = project.offers.exclude(status=Offer.Status.WITHDRAWN).aggregate(
        count=Count("pk"), average_cents=Avg("amount_cents")
    )
    if summary["average_cents"] is not None:
        summary["average_cents"] = round(summary["average_cents"])
    return summary


def bidders(project: Project) -> QuerySet[Offer]:
    """The offers with their authors' public cards, for the project page (amounts shown per viewer).

    Offers the moderators hid, and those of suspended accounts, are not shown.
    """
    return (
        project.offers.exclude(status=Offer.Status.WITHDRAWN)
        .filter(~is_hidden("offer"), freelancer__is_active=True)
        .select_related("freelancer__profile", "freelancer__reputation")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def client_card(owner: User) -> dict:
    """Projects posted, open now and in progress, and hire rate (projects that hired ÷ projects closed
    or hired), in one query."""
    hired_states = [S.HIRING, S.IN_PROGRESS, S.COMPLETED, S.CANCELLED]
    # Only projects that were published count: one closed while waiting for review hired nobody
    # because nobody saw it.
    figures = Project.objects.filter(owner=owner, published_at__isnull=False).aggregate(
        posted=Count("pk"),
        hired=Count("pk", filter=Q(status__in=hired_states)),
        closed=Count("pk", filter=Q(status=S.CLOSED)),
        open=Count("pk", filter=Q(status=S.OPEN)),
        in_progress=Count("pk", filter=Q(status__in=[S.HIRING, S.IN_PROGRESS])),
    )
    decided = figures["hired"] + figures["closed"]
    figures["hire_rate"] = round(100 * figures["hired"] / decided) if decided else None
    return figures


def pending_review() -> QuerySet[Project]:
    return (
        Project.objects.filter(status=S.PENDING_REVIEW)
        .select_related("owner", "category")
        .prefetch_related("skills", "attachments")
        .order_by("created_at")
    )


def offers_of(freelancer: User) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(freelancer=freelancer)
        .select_related("project", "contract")
        .order_by("-created_at")
    )


def invitations_with_answer() -> QuerySet[Invitation]:
    """Invitations, each with `has_offered` (whether the freelancer answered with an offer)."""
    return Invitation.objects.annotate(
        has_offered=Exists(
            Offer.objects.filter(project_id=OuterRef("project_id"), freelancer_id=OuterRef("freelancer_id"))
        )
    )


def invitations_of_project(project: Project) -> QuerySet[Invitation]:
    """Who a project's owner invited, newest first: one query a page."""
    return (
        invitations_with_answer()
        .filter(project=project)
        .select_related("project__owner", "freelancer__profile")
        .order_by("-created_at", "-pk")
    )


def invitations_of(freelancer: User) -> QuerySet[Invitation]:
    """The invitations a freelancer received, newest first, each with its project, the project's
    owner and whether an offer was sent on it: one query a page."""
    return (
        invitations_with_answer()
        .filter(freelancer=freelancer)
        .select_related("project__owner__profile", "project__category")
        .order_by("-created_at", "-pk")
    )


def open_invitations(freelancer: User) -> QuerySet[Invitation]:
    """Invitations to projects still taking offers that the freelancer has not answered with an offer
    (the dashboard's list): one query."""
    return invitations_of(freelancer).filter(project__status=S.OPEN, has_offered=False)


def open_projects_of(owner: User) -> QuerySet[Project]:
    """The owner's projects that may take invitations: open ones, newest first."""
    return (
        Project.objects.filter(owner=owner, status=S.OPEN)
        .only("pk", "title", "is_private")
        .order_by("-published_at", "-pk")
    )

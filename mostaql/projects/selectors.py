"""Reads behind the project pages; each costs a fixed number of queries, whatever the number of rows."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from mostaql.accounts.models import User
from mostaql.catalog.models import Skill
from mostaql.catalog.selectors import ids_by_slug
from mostaql.core.visibility import is_hidden, item_is_hidden
from mostaql.projects.models import Offer, Project
from mostaql.projects.search import search_projects

S = Project.Status

POSTED_WITHIN = {"day": 1, "week": 7, "month": 30}
SORTS = {"newest": ("-published_at", "-pk"), "fewest_offers": ("offer_count", "-published_at", "-pk")}


def open_projects(
    *,
    query: str = "",
    category: str = "",
    skills: list[str] = (),
    budget: str = "",
    posted: str = "",
    sort: str = "newest",
) -> QuerySet[Project]:
    """Open projects for the public list, filtered and sorted as the list's form asks."""
    projects = Project.objects.filter(~is_hidden("project"), status=S.OPEN)
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
    projects = search_projects(projects, query)
    # The owners come by prefetch, for the 25 rows of the page only: joined, they were looked up for
    # every match before the sort (3,700 rows for a common search word). The nine categories join
    # for nothing.
    return (
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
        .order_by(*SORTS.get(sort, SORTS["newest"]))
    )


def project_for_page(*, pk: int) -> Project:
    return (
        Project.objects.select_related("owner__profile", "category")
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("name_ar")), "attachments")
        .annotate(is_hidden=is_hidden("project"))
        .get(pk=pk)
    )


def can_view_project(project: Project, user: User | AnonymousUser) -> bool:
    """Pending, rejected and hidden projects are seen by their owner and moderators only."""
    if project.status in (S.PENDING_REVIEW, S.REJECTED) or item_is_hidden(project, "project"):
        return user.is_authenticated and (user.pk == project.owner_id or user.is_staff)
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
    """Member since, projects posted and hire rate (projects that hired ÷ projects closed or hired)."""
    hired_states = [S.HIRING, S.IN_PROGRESS, S.COMPLETED, S.CANCELLED]
    # Only projects that were published count: one closed while waiting for review hired nobody
    # because nobody saw it.
    figures = Project.objects.filter(owner=owner, published_at__isnull=False).aggregate(
        posted=Count("pk"),
        hired=Count("pk", filter=Q(status__in=hired_states)),
        closed=Count("pk", filter=Q(status=S.CLOSED)),
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

"""Reads behind the request pages and API; each costs a fixed number of queries, whatever the rows."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from mostaql.accounts.models import User
from mostaql.briefs.models import Answer, Brief
from mostaql.catalog.selectors import ids_by_slug
from mostaql.core.search.engine import Query, RankedResults, expand, parse, search
from mostaql.gigs.models import Service, ServiceImage

B = Brief.Status
NEWEST = ("-published_at", "-pk")


def brief_search(text: str) -> Query:
    return expand(parse(text))


def listed_briefs(
    *,
    query: Query | str = "",
    category: str = "",
    min_budget_cents: int | None = None,
    max_budget_cents: int | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[Brief] | RankedResults:
    """Open requests not yet expired (swept or not), of active buyers: the most relevant first with a
    query, else the newest."""
    briefs = Brief.objects.filter(status=B.OPEN, expires_at__gt=now or timezone.now(), buyer__is_active=True)
    if category:
        categories = ids_by_slug()["categories"]
        if category not in categories:
            return Brief.objects.none()
        briefs = briefs.filter(category_id=categories[category])
    if min_budget_cents is not None:
        briefs = briefs.filter(budget_cents__gte=min_budget_cents)
    if max_budget_cents is not None:
        briefs = briefs.filter(budget_cents__lte=max_budget_cents)
    if isinstance(query, str):
        query = brief_search(query)
    briefs = briefs.select_related("category", "buyer__profile").defer(
        "search_title", "search_title_stems", "search_stems"
    )
    if query:
        return RankedResults(briefs, query, NEWEST)
    return search(briefs, query).order_by(*NEWEST)


def brief_for_page(*, pk: int) -> Brief:
    return Brief.objects.select_related("buyer__profile", "category", "order").get(pk=pk)


def can_view_brief(brief: Brief, user: User | AnonymousUser, now: datetime.datetime | None = None) -> bool:
    """An open request is public; a pending, rejected, expired or ordered one is its buyer's and the
    moderators' (a 404 for anyone else)."""
    listed = brief.status == B.OPEN and brief.expires_at > (now or timezone.now()) and brief.buyer.is_active
    return listed or (user.is_authenticated and (user.pk == brief.buyer_id or user.is_staff))


def answers_of(brief: Brief) -> list[Answer]:
    """The answers with their services, covers and sellers' reputations: two queries."""
    covers = Prefetch(
        "service__images",
        queryset=ServiceImage.objects.only("pk", "service", "thumbnail", "position").order_by(
            "position", "pk"
        ),
    )
    return list(
        Answer.objects.filter(brief=brief)
        .select_related("service__category", "seller__profile", "seller__reputation")
        .defer(
            "service__description",
            "service__instructions",
            "service__search_title",
            "service__search_title_stems",
            "service__search_stems",
        )
        .prefetch_related(covers)
        .order_by("created_at", "pk")
    )


def answer_of(brief: Brief, seller: User | AnonymousUser) -> Answer | None:
    if not seller.is_authenticated:
        return None
    return Answer.objects.filter(brief=brief, seller=seller).select_related("service").first()


def answerable_services(seller: User) -> QuerySet[Service]:
    """The seller's published services, to answer with."""
    return (
        Service.objects.filter(seller=seller, status=Service.Status.APPROVED)
        .only("pk", "title", "price_cents", "delivery_days")
        .order_by("-published_at", "-pk")
    )


def pending_review() -> QuerySet[Brief]:
    return (
        Brief.objects.filter(status=B.PENDING)
        .select_related("buyer", "category")
        .order_by("updated_at", "pk")
    )


def briefs_of(buyer: User) -> QuerySet[Brief]:
    """A buyer's own requests in every state, newest first."""
    return Brief.objects.filter(buyer=buyer).select_related("category").order_by("-created_at", "-pk")

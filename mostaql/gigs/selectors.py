"""Reads behind the services pages and API; each costs a fixed number of queries, whatever the rows."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Exists, F, FloatField, OuterRef, Prefetch, QuerySet, When
from django.db.models.functions import Cast

from mostaql.accounts.models import User
from mostaql.catalog.models import Skill
from mostaql.catalog.selectors import ids_by_slug
from mostaql.core.search.engine import Query, RankedResults, expand, parse, search
from mostaql.gigs.models import Order, Service, ServiceImage, Upgrade
from mostaql.reviews.models import FREELANCER_CRITERIA, Direction, Review
from mostaql.wallet.services import is_identity_verified

S = Service.Status

# The longest delivery a "delivery time" filter allows, by its value.
DELIVERY_WITHIN = {"1": 1, "3": 3, "7": 7}
RATING_AT_LEAST = {"4": 4.0, "4.5": 4.5}
SORTS = {
    "relevance": (),  # with a query only: core.search.engine.RankedResults, then the newest
    "newest": ("-published_at", "-pk"),
    "best_selling": ("-order_count", "-published_at", "-pk"),
    "best_rated": (F("seller_rating").desc(nulls_last=True), "-order_count", "-pk"),
}


def service_search(text: str) -> Query:
    """A search box's text, parsed and with its typos looked up (one query when it has words)."""
    return expand(parse(text))


def chosen_sort(sort: str, query: Query | str) -> str:
    if sort not in SORTS or (sort == "relevance" and not query):
        return "relevance" if query else "newest"
    return sort


def seller_rating():
    """The seller's rating as a freelancer (the mean of every mark clients gave), NULL without reviews:
    read from the seller's Reputation row (kept by reviews), one join."""
    prefix = "seller__reputation__freelancer_"
    total = sum(
        (F(f"{prefix}{criterion.field}_sum") for criterion in FREELANCER_CRITERIA[1:]),
        F(f"{prefix}{FREELANCER_CRITERIA[0].field}_sum"),
    )
    count = F(f"{prefix}review_count")
    return Case(
        When(
            **{f"{prefix}review_count__gt": 0},
            then=Cast(total, FloatField()) / Cast(count * len(FREELANCER_CRITERIA), FloatField()),
        ),
        default=None,
        output_field=FloatField(),
    )


def _first_image():
    return Prefetch(
        "images",
        queryset=ServiceImage.objects.only("pk", "service", "thumbnail", "position").order_by(
            "position", "pk"
        ),
    )


def listed_services(
    *,
    query: Query | str = "",
    category: str = "",
    skill: str = "",
    min_price_cents: int | None = None,
    max_price_cents: int | None = None,
    delivery: str = "",
    rating: str = "",
    sort: str = "",
) -> QuerySet[Service] | RankedResults:
    """Published services of active sellers, filtered and sorted as the list's form asks."""
    services = Service.objects.filter(status=S.APPROVED, seller__is_active=True)
    catalog = ids_by_slug() if category or skill else {}
    if category:
        if category not in catalog["categories"]:
            return Service.objects.none()
        services = services.filter(category_id=catalog["categories"][category])
    if skill:
        if skill not in catalog["skills"]:
            return Service.objects.none()
        links = Service.skills.through.objects
        services = services.filter(
            Exists(links.filter(service_id=OuterRef("pk"), skill_id=catalog["skills"][skill]))
        )
    if min_price_cents is not None:
        services = services.filter(price_cents__gte=min_price_cents)
    if max_price_cents is not None:
        services = services.filter(price_cents__lte=max_price_cents)
    if delivery in DELIVERY_WITHIN:
        services = services.filter(delivery_days__lte=DELIVERY_WITHIN[delivery])
    if isinstance(query, str):
        query = service_search(query)
    sort = chosen_sort(sort, query)
    if rating in RATING_AT_LEAST or sort == "best_rated":
        services = services.annotate(seller_rating=seller_rating())
    if rating in RATING_AT_LEAST:
        services = services.filter(seller_rating__gte=RATING_AT_LEAST[rating])
    services = (
        services.select_related("category", "seller__profile", "seller__reputation")
        .defer("description", "instructions", "search_title", "search_title_stems", "search_stems")
        .prefetch_related(_first_image())
    )
    if sort == "relevance":
        return RankedResults(services, query, SORTS["newest"])
    return search(services, query).order_by(*SORTS[sort])


def service_for_page(*, pk: int) -> Service:
    """The service with its seller, category, skills, upgrades and gallery: four queries."""
    return (
        Service.objects.select_related("seller__profile", "seller__reputation", "category")
        .prefetch_related(
            Prefetch("skills", queryset=Skill.objects.order_by("name_ar")),
            Prefetch("upgrades", queryset=Upgrade.objects.order_by("position", "pk")),
            "images",
        )
        .get(pk=pk)
    )


def can_view_service(service: Service, user: User | AnonymousUser) -> bool:
    """Pending, rejected and paused services, and those of suspended sellers, are seen by their seller
    and moderators only."""
    if service.status != S.APPROVED or not service.seller.is_active:
        return user.is_authenticated and (user.pk == service.seller_id or user.is_staff)
    return True


def seller_card(seller: User) -> dict:
    """Member since, verified identity, completed orders and contracts (reputation counts both)."""
    return {
        "member_since": seller.date_joined,
        "is_identity_verified": is_identity_verified(seller),
    }


def service_reviews(service: Service, *, limit: int = 20) -> list[Review]:
    """The published reviews of this service's orders, newest first: one query."""
    return list(
        Review.objects.filter(
            contract__service_order__service=service,
            direction=Direction.CLIENT_TO_FREELANCER,
            published_at__isnull=False,
        )
        .select_related("author__profile")
        .order_by("-published_at", "-pk")[:limit]
    )


def other_services_of(service: Service, *, limit: int = 4) -> list[Service]:
    """The seller's other published services: two queries (with their first images)."""
    return list(
        Service.objects.filter(seller_id=service.seller_id, status=S.APPROVED)
        .exclude(pk=service.pk)
        .select_related("category", "seller__profile", "seller__reputation")
        .defer("description", "instructions", "search_title", "search_title_stems", "search_stems")
        .prefetch_related(_first_image())
        .order_by("-order_count", "-pk")[:limit]
    )


def pending_review() -> QuerySet[Service]:
    return (
        Service.objects.filter(status=S.PENDING)
        .select_related("seller", "category")
        .prefetch_related("skills", "upgrades", "images")
        .order_by("updated_at", "pk")
    )


def services_of(seller: User) -> QuerySet[Service]:
    """A seller's own services in every state, newest first, with their first pictures."""
    return (
        Service.objects.filter(seller=seller)
        .select_related("category")
        .prefetch_related(_first_image())
        .order_by("-created_at", "-pk")
    )


def order_of_contract(contract_id: int) -> Order | None:
    return (
        Order.objects.select_related("service")
        .prefetch_related("upgrades")
        .filter(contract_id=contract_id)
        .first()
    )

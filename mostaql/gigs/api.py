"""The services market for API clients: the same selectors and services as the web pages."""

import datetime
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mostaql.api.auth import viewer
from mostaql.api.errors import ApiError, errors, not_found
from mostaql.api.idempotency import idempotent
from mostaql.api.pagination import paginate
from mostaql.api.params import BodyInt, Id, Slug, Text, UploadedFiles, path_id
from mostaql.catalog.api import skills_by_slug
from mostaql.catalog.models import Category
from mostaql.contracts.services import NeedsFunds
from mostaql.core.money import format_money, net_after_commission_cents
from mostaql.core.schemas import PersonOut, SkillRefOut
from mostaql.core.uploads import clean_image
from mostaql.gigs import selectors, services
from mostaql.gigs.models import Order, Service
from mostaql.projects.services import has_verified_email

router = Router(tags=["services"])

ServiceStatus = Literal[tuple(Service.Status.values)]


# --- Output ----------------------------------------------------------------------------------------


class CategoryRefOut(Schema):
    slug: str
    name: str


class UpgradeOut(Schema):
    id: int
    title: str
    price_cents: int
    extra_days: int


class ImageOut(Schema):
    id: int
    url: str
    thumbnail_url: str
    width: int
    height: int

    @staticmethod
    def resolve_url(image) -> str:
        return image.image.url

    @staticmethod
    def resolve_thumbnail_url(image) -> str:
        return image.thumbnail.url


class ServiceListItemOut(Schema):
    id: int
    title: str
    price_cents: int
    delivery_days: int
    order_count: int
    published_at: datetime.datetime | None
    seller: PersonOut
    category: CategoryRefOut
    cover_url: str | None = Field(description="The first gallery image's thumbnail.")

    @staticmethod
    def resolve_cover_url(service) -> str | None:
        images = list(service.images.all())
        return images[0].thumbnail.url if images else None


class ServiceOut(Schema):
    id: int
    title: str
    description: str
    instructions: str
    status: ServiceStatus
    rejection_reason: str
    price_cents: int
    net_cents: int = Field(description="What the seller receives of the base price after commission.")
    delivery_days: int
    max_quantity: int
    order_count: int
    published_at: datetime.datetime | None
    created_at: datetime.datetime
    seller: PersonOut
    category: CategoryRefOut
    skills: list[SkillRefOut]
    upgrades: list[UpgradeOut]
    images: list[ImageOut]
    masked_contacts: bool = False

    @staticmethod
    def resolve_net_cents(service) -> int:
        return net_after_commission_cents(service.price_cents)

    @staticmethod
    def resolve_skills(service) -> list:
        return list(service.skills.all())

    @staticmethod
    def resolve_upgrades(service) -> list:
        return list(service.upgrades.all())

    @staticmethod
    def resolve_images(service) -> list:
        return list(service.images.all())

    @staticmethod
    def resolve_masked_contacts(service) -> bool:
        return bool(getattr(service, "masked_contacts", False))


class OrderPlacedOut(Schema):
    id: int = Field(description="The order's contract id (/api/v1/contracts/{id}/).")
    order_id: int
    status: str
    total_cents: int
    days: int
    quantity: int
    service_id: int
    upgrades: list[UpgradeOut]


# --- Input -----------------------------------------------------------------------------------------


class ServiceFilters(Schema):
    q: Text(max_length=100, description="Search text, matched as on the web (Arabic normalised).") = ""
    category: Slug | None = None
    skill: Slug | None = None
    min_price_cents: int | None = Field(None, ge=0, le=10**8)
    max_price_cents: int | None = Field(None, ge=0, le=10**8)
    delivery: Literal["1", "3", "7"] | None = Field(None, description="Delivered within this many days.")
    rating: Literal["4", "4.5"] | None = Field(None, description="The seller's rating at least this.")
    sort: Literal["relevance", "newest", "best_selling", "best_rated"] | None = Field(
        None, description="The most relevant first by default when q is given, else the newest."
    )


class UpgradeIn(Schema):
    title: Text(min_length=3, max_length=100)
    price_cents: BodyInt = Field(ge=1, le=10**6, description="$5 to $50 in $5 steps (500 to 5,000).")
    extra_days: BodyInt = Field(0, ge=0, le=30)


class ServiceIn(Schema):
    title: Text(min_length=10, max_length=100, description="10 to 100 characters.")
    description: Text(min_length=30, max_length=5000)
    category: Slug
    skills: list[Slug] = Field(min_length=1, max_length=settings.SERVICE_MAX_SKILLS)
    price_cents: BodyInt = Field(ge=1, le=10**7, description="From SERVICE_MIN_PRICE_CENTS in $5 steps.")
    delivery_days: BodyInt = Field(ge=1, le=365)
    instructions: Text(min_length=10, max_length=2000)
    max_quantity: BodyInt = Field(1, ge=1, le=100)
    upgrades: list[UpgradeIn] = Field(default_factory=list, max_length=10, description="At most 4.")


class ServicePatch(Schema):
    title: Text(min_length=10, max_length=100) | None = None
    description: Text(min_length=30, max_length=5000) | None = None
    category: Slug | None = None
    skills: list[Slug] | None = Field(None, min_length=1, max_length=settings.SERVICE_MAX_SKILLS)
    price_cents: BodyInt | None = Field(None, ge=1, le=10**7)
    delivery_days: BodyInt | None = Field(None, ge=1, le=365)
    instructions: Text(min_length=10, max_length=2000) | None = None
    max_quantity: BodyInt | None = Field(None, ge=1, le=100)
    upgrades: list[UpgradeIn] | None = Field(None, max_length=10)


class OrderIn(Schema):
    upgrades: list[Id] = Field(
        default_factory=list, max_length=10, description="Upgrade ids of this service."
    )
    quantity: BodyInt = Field(1, ge=1, le=1000)


# --- Helpers ---------------------------------------------------------------------------------------


def _category(slug: str) -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise ApiError(
            422, "invalid_input", _("Choose a category."), fields={"category": _("Unknown category.")}
        )
    return category


def _require_verified(user) -> None:
    if not has_verified_email(user):
        raise ApiError(
            403, "email_not_verified", _("Verify your e-mail address first: we have sent you a link.")
        )


def _visible(request, service_id: int) -> Service:
    try:
        service = selectors.service_for_page(pk=service_id)
    except Service.DoesNotExist:
        raise not_found() from None
    if not selectors.can_view_service(service, viewer(request)):
        raise not_found()
    return service


def _out(service_id: int, masked: bool = False) -> Service:
    service = selectors.service_for_page(pk=service_id)
    service.masked_contacts = masked
    return service


def _specs(upgrades) -> list[services.UpgradeSpec]:
    return [
        services.UpgradeSpec(
            title=upgrade.title, price_cents=upgrade.price_cents, extra_days=upgrade.extra_days
        )
        for upgrade in upgrades
    ]


# --- Services --------------------------------------------------------------------------------------


@router.get("/services/", response=list[ServiceListItemOut], auth=None)
@paginate
def list_services(request, filters: Query[ServiceFilters]):
    """Published services, with the web list's filters, sorts and Arabic-normalised search."""
    viewer(request)
    return selectors.listed_services(
        query=filters.q.strip(),
        category=filters.category or "",
        skill=filters.skill or "",
        min_price_cents=filters.min_price_cents,
        max_price_cents=filters.max_price_cents,
        delivery=filters.delivery or "",
        rating=filters.rating or "",
        sort=filters.sort or "",
    )


@router.get("/services/{service_id}/", response={200: ServiceOut, **errors(404)}, auth=None)
def get_service(request, service_id: int = path_id()):
    """A service with its upgrades and gallery. Pending, rejected and paused services are seen by their
    seller and staff only (404 otherwise)."""
    return _visible(request, service_id)


@router.post("/services/", response={201: ServiceOut, **errors(403)})
def create_service(request, payload: ServiceIn):
    """Publish a service: it waits for a moderator. Add its gallery with POST /services/{id}/images/
    (a service is approved only with at least one image)."""
    _require_verified(request.auth)
    service = services.publish_service(
        seller=request.auth,
        title=payload.title,
        description=payload.description,
        category=_category(payload.category),
        skills=skills_by_slug(payload.skills),
        price_cents=payload.price_cents,
        delivery_days=payload.delivery_days,
        instructions=payload.instructions,
        max_quantity=payload.max_quantity,
        upgrades=_specs(payload.upgrades),
    )
    return Status(201, _out(service.pk, service.masked_contacts))


@router.patch("/services/{service_id}/", response={200: ServiceOut, **errors(404, 409)})
def edit_service(request, payload: ServicePatch, service_id: int = path_id()):
    """Change a service of yours (fields left out keep their value; `upgrades` replaces them all). It
    goes back to the moderators until approved again."""
    service = get_object_or_404(
        Service.objects.prefetch_related("skills", "upgrades"), pk=service_id, seller=request.auth
    )
    changes = payload.dict(exclude_unset=True)
    upgrades = (
        _specs(payload.upgrades)
        if changes.get("upgrades") is not None
        else [
            services.UpgradeSpec(
                title=upgrade.title, price_cents=upgrade.price_cents, extra_days=upgrade.extra_days
            )
            for upgrade in service.upgrades.all()
        ]
    )
    edited = services.edit_service(
        seller=request.auth,
        service=service,
        title=changes.get("title") or service.title,
        description=changes.get("description") or service.description,
        category=_category(changes["category"]) if changes.get("category") else service.category,
        skills=skills_by_slug(changes["skills"]) if changes.get("skills") else list(service.skills.all()),
        price_cents=changes.get("price_cents") or service.price_cents,
        delivery_days=changes.get("delivery_days") or service.delivery_days,
        instructions=changes.get("instructions") or service.instructions,
        max_quantity=changes.get("max_quantity") or service.max_quantity,
        upgrades=upgrades,
    )
    return _out(edited.pk, edited.masked_contacts)


@router.post("/services/{service_id}/images/", response={200: ServiceOut, **errors(404, 409)})
def add_images(request, files: UploadedFiles = (), service_id: int = path_id()):
    """Add gallery images to a service of yours (multipart `files`, JPEG, PNG, WebP or GIF, re-encoded
    as on the web); at most SERVICE_MAX_IMAGES in all. The service goes back to the moderators."""
    service = get_object_or_404(Service, pk=service_id, seller=request.auth)
    cleaned, refusals = [], []
    for upload in files or []:
        try:
            cleaned.append(clean_image(upload))
        except ValidationError as error:
            refusals.extend(error.messages)
    if refusals:
        raise ApiError(422, "invalid_input", refusals[0], fields={"files": " ".join(refusals)})
    services.add_service_images(seller=request.auth, service=service, images=cleaned)
    return _out(service.pk)


@router.get("/me/services/", response=list[ServiceListItemOut])
@paginate
def list_my_services(request):
    """Your services in every state, newest first."""
    return selectors.services_of(request.auth).select_related("seller")


@router.post("/services/{service_id}/orders/", response={201: OrderPlacedOut, **errors(404, 409)})
@idempotent
def order_service(request, payload: OrderIn, service_id: int = path_id()):
    """Order a service with upgrades of it and a quantity: the whole price leaves your balance for
    escrow at once, and the order waits for your answers to the seller's instructions. 409
    `insufficient_funds` (with the shortfall) when the balance is short; nothing is written on any
    refusal. Takes an Idempotency-Key: a retry with the same key returns the same order."""
    service = _visible(request, service_id)
    try:
        order = services.place_order(
            buyer=request.auth, service=service, upgrade_ids=payload.upgrades, quantity=payload.quantity
        )
    except NeedsFunds as short:
        raise ApiError(
            409,
            "insufficient_funds",
            _("%(message)s Add at least %(shortfall)s to your balance.")
            % {"message": short.message, "shortfall": format_money(short.shortfall_cents)},
        ) from None
    order = Order.objects.select_related("contract").prefetch_related("upgrades").get(pk=order.pk)
    return Status(
        201,
        {
            "id": order.contract_id,
            "order_id": order.pk,
            "status": order.contract.status,
            "total_cents": order.total_cents,
            "days": order.days,
            "quantity": order.quantity,
            "service_id": order.service_id,
            "upgrades": [
                {
                    "id": row.upgrade_id or 0,
                    "title": row.title,
                    "price_cents": row.price_cents,
                    "extra_days": row.extra_days,
                }
                for row in order.upgrades.all()
            ],
        },
    )

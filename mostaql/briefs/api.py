"""Buyer requests for API clients: the same selectors and services as the web pages."""

import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mostaql.api.auth import viewer
from mostaql.api.errors import ApiError, errors, not_found
from mostaql.api.idempotency import idempotent
from mostaql.api.pagination import paginate
from mostaql.api.params import BodyInt, Id, Slug, Text, path_id
from mostaql.briefs import selectors, services
from mostaql.briefs.models import Answer, Brief
from mostaql.catalog.models import Category
from mostaql.contracts.services import NeedsFunds
from mostaql.core.money import format_money
from mostaql.core.schemas import PersonOut
from mostaql.gigs.models import Service
from mostaql.projects.services import has_verified_email
from mostaql.reviews.figures import card_summary
from mostaql.reviews.selectors import reputation_of

router = Router(tags=["requests"])

BriefStatus = Literal[tuple(Brief.Status.values)]


class CategoryRefOut(Schema):
    slug: str
    name: str


class BriefOut(Schema):
    id: int
    title: str
    description: str
    status: BriefStatus
    is_open: bool = Field(description="Listed and answerable: approved and not past expires_at.")
    rejection_reason: str
    budget_cents: int
    delivery_days: int
    answer_count: int
    published_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    created_at: datetime.datetime
    buyer: PersonOut
    category: CategoryRefOut
    order_contract_id: int | None = Field(None, description="The order's contract, once the buyer ordered.")
    masked_contacts: bool = False

    @staticmethod
    def resolve_is_open(brief) -> bool:
        return services.is_listed(brief)

    @staticmethod
    def resolve_order_contract_id(brief) -> int | None:
        return brief.order.contract_id if brief.order_id else None

    @staticmethod
    def resolve_masked_contacts(brief) -> bool:
        return bool(getattr(brief, "masked_contacts", False))


class BriefListItemOut(Schema):
    id: int
    title: str
    description: str
    status: BriefStatus
    budget_cents: int
    delivery_days: int
    answer_count: int
    published_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    buyer: PersonOut
    category: CategoryRefOut


class AnswerServiceOut(Schema):
    id: int
    title: str
    price_cents: int
    delivery_days: int


class AnswerOut(Schema):
    id: int
    note: str
    created_at: datetime.datetime
    seller: PersonOut
    service: AnswerServiceOut
    seller_rating: float | None = Field(None, description="The seller's rating as a freelancer, as on cards.")
    seller_review_count: int = 0
    seller_on_time_rate: str | None = Field(None, description="As the cards show it; null below the sample.")

    @staticmethod
    def resolve_seller_rating(answer) -> float | None:
        rating = card_summary(reputation_of(answer.seller)).rating
        return None if rating is None else float(rating)

    @staticmethod
    def resolve_seller_review_count(answer) -> int:
        return card_summary(reputation_of(answer.seller)).review_count

    @staticmethod
    def resolve_seller_on_time_rate(answer) -> str | None:
        return card_summary(reputation_of(answer.seller)).on_time_rate


class OrderFromAnswerOut(Schema):
    id: int = Field(description="The order's contract id (/api/v1/contracts/{id}/).")
    order_id: int
    status: str
    total_cents: int
    days: int
    service_id: int
    request_id: int


class BriefFilters(Schema):
    q: Text(max_length=100, description="Search text, matched as on the web (Arabic normalised).") = ""
    category: Slug | None = None
    min_budget_cents: int | None = Field(None, ge=0, le=10**8)
    max_budget_cents: int | None = Field(None, ge=0, le=10**8)


class BriefIn(Schema):
    title: Text(min_length=10, max_length=100, description="10 to 100 characters.")
    description: Text(min_length=30, max_length=2000)
    category: Slug
    budget_cents: BodyInt = Field(
        ge=1, le=10**8, description="From SERVICE_MIN_PRICE_CENTS to ORDER_MAX_CENTS."
    )
    delivery_days: BodyInt = Field(ge=1, le=365)


class AnswerIn(Schema):
    service: Id = Field(description="One of your published services.")
    note: Text(min_length=10, max_length=1000)


def _visible(request, brief_id: int) -> Brief:
    try:
        brief = selectors.brief_for_page(pk=brief_id)
    except Brief.DoesNotExist:
        raise not_found() from None
    if not selectors.can_view_brief(brief, viewer(request)):
        raise not_found()
    return brief


@router.get("/requests/", response=list[BriefListItemOut], auth=None)
@paginate
def list_requests(request, filters: Query[BriefFilters]):
    """Open requests (approved, not expired), newest first or the most relevant with `q`."""
    viewer(request)
    return selectors.listed_briefs(
        query=filters.q.strip(),
        category=filters.category or "",
        min_budget_cents=filters.min_budget_cents,
        max_budget_cents=filters.max_budget_cents,
    )


@router.get("/requests/{request_id}/", response={200: BriefOut, **errors(404)}, auth=None)
def get_request(request, request_id: int = path_id()):
    """A request. Pending, rejected, expired and ordered ones are seen by their buyer and staff only."""
    return _visible(request, request_id)


@router.post("/requests/", response={201: BriefOut, **errors(403)})
def create_request(request, payload: BriefIn):
    """Post a request: it waits for a moderator, then is open for REQUEST_OPEN_DAYS."""
    if not has_verified_email(request.auth):
        raise ApiError(
            403, "email_not_verified", _("Verify your e-mail address first: we have sent you a link.")
        )
    category = Category.objects.filter(slug=payload.category).first()
    if category is None:
        raise ApiError(
            422, "invalid_input", _("Choose a category."), fields={"category": _("Unknown category.")}
        )
    brief = services.post_brief(
        buyer=request.auth,
        title=payload.title,
        description=payload.description,
        category=category,
        budget_cents=payload.budget_cents,
        delivery_days=payload.delivery_days,
    )
    out = selectors.brief_for_page(pk=brief.pk)
    out.masked_contacts = brief.masked_contacts
    return Status(201, out)


@router.get("/me/requests/", response=list[BriefListItemOut])
@paginate
def list_my_requests(request):
    """Your requests in every state, newest first."""
    return selectors.briefs_of(request.auth).select_related("buyer")


@router.get("/requests/{request_id}/answers/", response={200: list[AnswerOut], **errors(404)})
def list_answers(request, request_id: int = path_id()):
    """The answers: all of them for the request's buyer (and staff), your own for a seller."""
    brief = _visible(request, request_id)
    if request.auth.pk == brief.buyer_id or request.auth.is_staff:
        return selectors.answers_of(brief)
    return [answer for answer in selectors.answers_of(brief) if answer.seller_id == request.auth.pk]


@router.post("/requests/{request_id}/answers/", response={201: AnswerOut, **errors(404, 409)})
def answer_request(request, payload: AnswerIn, request_id: int = path_id()):
    """Answer an open request with one of your published services and a note (once per request)."""
    brief = _visible(request, request_id)
    service = Service.objects.filter(pk=payload.service).first()
    if service is None:
        raise ApiError(
            422,
            "invalid_input",
            _("Answer with one of your own services."),
            fields={"service": _("Unknown service.")},
        )
    answer = services.answer_brief(seller=request.auth, brief=brief, service=service, note=payload.note)
    return Status(201, Answer.objects.select_related("seller__reputation", "service").get(pk=answer.pk))


@router.post(
    "/requests/{request_id}/answers/{answer_id}/order/",
    response={201: OrderFromAnswerOut, **errors(404, 409)},
)
@idempotent
def order_answer(request, request_id: int = path_id(), answer_id: int = path_id("The answer's id.")):
    """Order the service of an answer to your request: the same as ordering the service (its price leaves
    your balance for escrow at once) and the request closes. 409 `insufficient_funds` when short;
    nothing is written on any refusal. Takes an Idempotency-Key."""
    brief = get_object_or_404(Brief, pk=request_id, buyer=request.auth)
    answer = get_object_or_404(Answer.objects.select_related("service__seller"), pk=answer_id, brief=brief)
    answer.brief = brief
    try:
        order = services.order_answer(buyer=request.auth, answer=answer)
    except NeedsFunds as short:
        raise ApiError(
            409,
            "insufficient_funds",
            _("%(message)s Add at least %(shortfall)s to your balance.")
            % {"message": short.message, "shortfall": format_money(short.shortfall_cents)},
        ) from None
    return Status(
        201,
        {
            "id": order.contract_id,
            "order_id": order.pk,
            "status": order.contract.status,
            "total_cents": order.total_cents,
            "days": order.days,
            "service_id": order.service_id,
            "request_id": brief.pk,
        },
    )

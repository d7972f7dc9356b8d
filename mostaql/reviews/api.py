"""Reviews for API clients: a person's public reviews, writing yours after a completed contract, and
the reviewed freelancer's one answer; the same selectors and services as the review pages."""

import datetime
from typing import Literal

from ninja import Field, Path, Router, Schema
from ninja.responses import Status

from mostaql.accounts import selectors as account_selectors
from mostaql.accounts.models import Profile
from mostaql.api.auth import viewer
from mostaql.api.errors import ApiError, errors, not_found
from mostaql.api.pagination import paginate
from mostaql.api.params import BodyInt, Text, path_id
from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError
from mostaql.core.schemas import PersonOut
from mostaql.reviews import selectors, services
from mostaql.reviews.models import OVERALL, SCORE_FIELDS, Direction, Review

router = Router(tags=["reviews"])

ScoreField = Literal[(*SCORE_FIELDS, OVERALL.field)]


class ReviewOut(Schema):
    id: int
    contract_id: int
    project_title: str = Field(description="Empty for a private project: its name is never made public.")
    direction: Literal[tuple(Direction.values)]
    author: PersonOut
    subject: PersonOut
    scores: dict[str, int] = Field(description="Each criterion of the review's direction, from 1 to 5.")
    rating: float = Field(description="The mean of the scores, to one decimal.")
    comment: str
    reply: str = Field(description="The reviewed freelancer's public answer, or empty.")
    reply_at: datetime.datetime | None
    created_at: datetime.datetime
    published_at: datetime.datetime | None = Field(
        description="Null while the review is blind: until the other side writes theirs or the window ends."
    )

    @staticmethod
    def resolve_project_title(review) -> str:
        project = review.contract.project
        return "" if project is not None and project.is_private else review.contract.title

    @staticmethod
    def resolve_scores(review) -> dict[str, int]:
        return {criterion.field: value for criterion, value in review.scores}

    @staticmethod
    def resolve_rating(review) -> float:
        return float(review.rating)


class ReviewIn(Schema):
    scores: dict[ScoreField, BodyInt] = Field(
        max_length=len(SCORE_FIELDS),
        description="1 to 5 for each criterion of your direction: the client rates professionalism, "
        "communication, quality, expertise, on_time and would_work_again; the freelancer rates "
        "professionalism, communication, clarity and would_work_again. The buyer of a service order gives "
        "one mark, `overall`.",
    )
    comment: Text(min_length=1, max_length=2000, description="10 to 2,000 characters.")


class ReplyIn(Schema):
    reply: Text(min_length=1, max_length=2000)


def _review_out(pk: int) -> Review:
    return Review.objects.select_related("author", "subject", "contract__project").get(pk=pk)


@router.get("/profiles/{slug}/reviews/", response={200: list[ReviewOut], **errors(404)}, auth=None)
@paginate
def list_reviews_of(request, slug: str = Path(..., min_length=1, max_length=90)):
    """A person's public reviews, newest first (blind reviews are not shown)."""
    viewer(request)
    try:
        profile = account_selectors.public_profile(slug=slug)
    except Profile.DoesNotExist:
        raise not_found() from None
    return selectors.public_reviews_of(profile.user)


@router.post("/contracts/{contract_id}/review/", response={201: ReviewOut, **errors(404, 409)})
def write_review(request, payload: ReviewIn, contract_id: int = path_id()):
    """Review the other side of a completed contract of yours, once, within the review window.

    It stays blind (unpublished) until the other side has written theirs or the window has closed.
    """
    try:
        contract = selectors.contract_for_review(user=request.auth, pk=contract_id)
    except Contract.DoesNotExist:
        raise not_found() from None
    return _write(request, contract, payload)


@router.post("/orders/{order_id}/review/", response={201: ReviewOut, **errors(404, 409)})
def write_order_review(request, payload: ReviewIn, order_id: int = path_id()):
    """Review the other side of a completed service order of yours, once, within the review window: the
    buyer gives `{"overall": 1–5}` and a comment, the seller rates the buyer on the client criteria."""
    try:
        contract = selectors.contract_for_review(user=request.auth, pk=order_id)
    except Contract.DoesNotExist:
        raise not_found() from None
    if not contract.is_order:
        raise not_found()
    return _write(request, contract, payload)


def _write(request, contract: Contract, payload: ReviewIn):
    try:
        review = services.write_review(
            author=request.auth, contract=contract, scores=dict(payload.scores), comment=payload.comment
        )
    except DomainError as error:
        if error.field not in (*SCORE_FIELDS, OVERALL.field):
            raise
        name = f"scores.{error.field}"
        raise ApiError(422, "invalid_input", error.message, fields={name: error.message}) from None
    return Status(201, _review_out(review.pk))


@router.post("/reviews/{review_id}/reply/", response={200: ReviewOut, **errors(404, 409)})
def reply_to_review(request, payload: ReplyIn, review_id: int = path_id()):
    """Answer, once and publicly, a client's public review of your work."""
    try:
        review = selectors.review_for_side(user=request.auth, pk=review_id)
    except Review.DoesNotExist:
        raise not_found() from None
    services.reply_to_review(user=request.auth, review=review, text=payload.reply)
    return _review_out(review.pk)

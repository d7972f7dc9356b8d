"""Every change to reviews: write one, answer one, publish them (double-blind).

A review is written privately. It becomes public when the other side has written theirs too (both
are published in the same transaction) or when the review window has closed (the sweep publishes it).
The subject is told, and the reputation counters move, only at publication: never while it is blind.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mostaql.accounts.models import User
from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError
from mostaql.core.text import strip_bidi_controls
from mostaql.notifications.services import notify
from mostaql.reviews import reputation
from mostaql.reviews.models import CRITERIA, OVERALL, Direction, Review, criteria_for

COMMENT_MIN_LENGTH, COMMENT_MAX_LENGTH = 10, 2000
REPLY_MAX_LENGTH = 2000


def window_closes_at(contract: Contract) -> datetime.datetime | None:
    """When the sides may no longer review each other, and a lone review goes public; None before
    completion."""
    if contract.status != Contract.Status.COMPLETED or contract.completed_at is None:
        return None
    return contract.completed_at + datetime.timedelta(days=settings.REVIEW_WINDOW_DAYS)


def direction_for(contract: Contract, user: User) -> str | None:
    """Which review `user` writes on this contract, or None for someone who is not one of its sides."""
    if user.pk == contract.client_id:
        return Direction.CLIENT_TO_FREELANCER
    if user.pk == contract.freelancer_id:
        return Direction.FREELANCER_TO_CLIENT
    return None


def check_can_review(*, author: User, contract: Contract, now: datetime.datetime | None = None) -> str:
    """The direction of `author`'s review, or a DomainError saying why they may not write one now."""
    direction = direction_for(contract, author) if author.is_authenticated else None
    if direction is None:
        raise DomainError(_("Only the client and the freelancer of this contract can review it."))
    closes_at = window_closes_at(contract)
    if closes_at is None:
        raise DomainError(_("Reviews open once the contract is completed."))
    if (now or timezone.now()) >= closes_at:
        raise DomainError(
            _("The review period of this contract ended on %(date)s.")
            % {"date": date_format(timezone.localtime(closes_at), "j F Y")}
        )
    if Review.objects.filter(contract=contract, author=author).exists():
        raise DomainError(_("You have already reviewed this contract."))
    return direction


def _clean_scores(direction: str, scores: dict, *, is_order: bool = False) -> dict[str, int]:
    cleaned = {}
    for criterion in criteria_for(direction, is_order=is_order):
        value = scores.get(criterion.field)
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value is None or not 1 <= value <= 5:
            raise DomainError(
                _("Rate “%(criterion)s” from 1 to 5.") % {"criterion": criterion.label}, field=criterion.field
            )
        cleaned[criterion.field] = value
    if OVERALL.field in cleaned:  # an order's one mark stands for each criterion
        overall = cleaned.pop(OVERALL.field)
        cleaned = {criterion.field: overall for criterion in CRITERIA[direction]}
    return cleaned


def _clean_comment(comment: str) -> str:
    comment = strip_bidi_controls(comment).strip()
    if not COMMENT_MIN_LENGTH <= len(comment) <= COMMENT_MAX_LENGTH:
        raise DomainError(
            _("The comment must be %(minimum)s to %(maximum)s characters long.")
            % {"minimum": COMMENT_MIN_LENGTH, "maximum": f"{COMMENT_MAX_LENGTH:,}"},
            field="comment",
        )
    return comment


def _publish(reviews: list[Review], now: datetime.datetime) -> int:
    """Make these reviews public, move their subjects' counters and tell the subjects. The caller holds
    the contract's row lock; each review is claimed with a conditional update, so none is published
    (or counted) twice. People's rows are touched in ascending id order."""
    published = 0
    for review in sorted(reviews, key=lambda review: review.subject_id):
        if not Review.objects.filter(pk=review.pk, published_at__isnull=True).update(published_at=now):
            continue
        review.published_at = now
        reputation.record_published_review(review)
        notify(
            user=review.subject,
            kind="review_received",
            context={"review": review, "contract": review.contract},
            url=reverse("reviews:write", kwargs={"pk": review.contract_id}),
        )
        published += 1
    return published


@transaction.atomic
def write_review(
    *, author: User, contract: Contract, scores: dict, comment: str, now: datetime.datetime | None = None
) -> Review:
    """One side reviews the other, once, within REVIEW_WINDOW_DAYS of completion.

    Takes the contract's row lock, so that of two reviews written at once the second sees the first:
    the second review publishes both. Scores: {criterion field: 1–5} for the author's direction; the buyer
    of a service order gives {"overall": 1–5} (models.criteria_for).
    """
    now = now or timezone.now()
    direction = check_can_review(author=author, contract=contract, now=now)
    cleaned_scores = _clean_scores(direction, scores, is_order=contract.is_order)
    comment = _clean_comment(comment)

    contract = Contract.objects.select_for_update(of=("self",)).select_related("project").get(pk=contract.pk)
    direction = check_can_review(author=author, contract=contract, now=now)  # again, under the lock
    subject_id = contract.freelancer_id if direction == Direction.CLIENT_TO_FREELANCER else contract.client_id
    review = Review.objects.create(
        contract=contract,
        author=author,
        subject_id=subject_id,
        direction=direction,
        comment=comment,
        **cleaned_scores,
    )
    other = (
        Review.objects.filter(contract=contract, published_at__isnull=True)
        .exclude(pk=review.pk)
        .select_related("author", "subject")
        .first()
    )
    if other is not None:
        review.contract = other.contract = contract
        _publish([review, other], now)
    return review


@transaction.atomic
def reply_to_review(*, user: User, review: Review, text: str, now: datetime.datetime | None = None) -> Review:
    """The freelancer answers a client's public review of their work, once, publicly. Takes the
    review's row lock."""
    if review.subject_id != user.pk or review.direction != Direction.CLIENT_TO_FREELANCER:
        raise DomainError(_("Only the freelancer who was reviewed can answer this review."))
    if review.published_at is None:
        raise DomainError(_("You can answer a review once it is public."))
    if review.reply:
        raise DomainError(_("You have already answered this review."))
    text = strip_bidi_controls(text).strip()
    if not 1 <= len(text) <= REPLY_MAX_LENGTH:
        raise DomainError(
            _("Write your answer (at most %(maximum)s characters).") % {"maximum": f"{REPLY_MAX_LENGTH:,}"},
            field="reply",
        )
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.reply:
        raise DomainError(_("You have already answered this review."))
    review.reply, review.reply_at = text, now or timezone.now()
    review.save(update_fields=["reply", "reply_at"])
    return review


def publish_due_reviews(*, now: datetime.datetime | None = None) -> int:
    """The sweep: reviews whose window has closed become public, even without the other side's.

    One transaction per contract, under its row lock; safe to run twice (a published review is not
    published again). Returns how many reviews were published.
    """
    now = now or timezone.now()
    closed_before = now - datetime.timedelta(days=settings.REVIEW_WINDOW_DAYS)
    contract_ids = (
        Review.objects.filter(published_at__isnull=True, contract__completed_at__lte=closed_before)
        .values_list("contract_id", flat=True)
        .distinct()
        .order_by("contract_id")
    )
    published = 0
    for contract_id in list(contract_ids):
        with transaction.atomic():
            contract = (
                Contract.objects.select_for_update(of=("self",)).select_related("project").get(pk=contract_id)
            )
            reviews = list(
                Review.objects.filter(contract=contract, published_at__isnull=True).select_related(
                    "author", "subject"
                )
            )
            for review in reviews:
                review.contract = contract
            published += _publish(reviews, now)
    return published

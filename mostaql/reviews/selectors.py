"""Reads behind the review pages, the profile's reviews and reputation, and the contract page's review
section; each costs a fixed number of queries, whatever the number of reviews."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from mostaql.accounts.models import User
from mostaql.contracts.models import Contract
from mostaql.projects.selectors import client_card
from mostaql.reviews import figures
from mostaql.reviews.models import CRITERIA, FREELANCER_CRITERIA, Reputation, Review
from mostaql.reviews.services import direction_for, window_closes_at
from mostaql.wallet.models import Entry, IdentityVerification, LedgerAccount, Transfer


def contract_for_review(*, user: User, pk: int) -> Contract:
    """A contract of which `user` is a side; Contract.DoesNotExist for anyone else, whatever the id."""
    if not user.is_authenticated:
        raise Contract.DoesNotExist
    return (
        Contract.objects.filter(Q(client=user) | Q(freelancer=user))
        .select_related("project", "client__profile", "freelancer__profile")
        .get(pk=pk)
    )


def review_for_side(*, user: User, pk: int) -> Review:
    """A review of a contract of which `user` is a side; Review.DoesNotExist for anyone else."""
    if not user.is_authenticated:
        raise Review.DoesNotExist
    return Review.objects.filter(Q(contract__client=user) | Q(contract__freelancer=user)).get(pk=pk)


@dataclass
class ReviewState:
    """What one side of a contract may see and do about its reviews now."""

    direction: str | None
    own: Review | None = None
    other: Review | None = None
    closes_at: datetime.datetime | None = None
    is_open: bool = False

    @property
    def can_write(self) -> bool:
        return self.is_open and self.own is None

    @property
    def other_is_visible(self) -> bool:
        """The other side's review shows its content only once it is public (double-blind)."""
        return self.other is not None and self.other.published_at is not None

    @property
    def criteria(self):
        return CRITERIA[self.direction] if self.direction else ()


def review_state(
    *, contract: Contract, user: User, now: datetime.datetime | None = None
) -> ReviewState | None:
    """The contract's reviews as `user` may see them (None for someone who is not a side): one query,
    none before completion."""
    direction = direction_for(contract, user) if user.is_authenticated else None
    if direction is None:
        return None
    closes_at = window_closes_at(contract)
    if closes_at is None:
        return ReviewState(direction=direction)
    state = ReviewState(direction=direction, closes_at=closes_at, is_open=(now or timezone.now()) < closes_at)
    for review in Review.objects.filter(contract=contract).select_related("author__profile", "subject"):
        if review.author_id == user.pk:
            state.own = review
        else:
            state.other = review
    return state


def public_reviews_of(user: User) -> QuerySet[Review]:
    """A person's public reviews, newest first, with their authors and projects: one query a page."""
    return (
        Review.objects.filter(subject=user, published_at__isnull=False)
        .select_related("author__profile", "subject", "contract__project")
        .order_by("-published_at", "-pk")
    )


def reputation_of(user: User) -> Reputation:
    """The person's counters; a fresh, empty row (not saved) for someone with no history yet.

    Free when the row came with `select_related("…reputation")`; one query otherwise.
    """
    try:
        return user.reputation
    except Reputation.DoesNotExist:
        return Reputation(user=user)


def profile_reputation(member: User) -> dict:
    """The figures of a public profile: as a freelancer and as a client (each shown when the person
    works or hires, by role or by history), and the response time. Two queries at most: the Reputation
    row (none when it came with the profile) and the client card's projects."""
    reputation = reputation_of(member)
    card = client_card(member)
    works = member.primary_role == User.Role.FREELANCER or bool(
        reputation.freelancer_ended_count or reputation.freelancer_review_count
    )
    hires = member.primary_role == User.Role.CLIENT or bool(card["posted"] or reputation.client_review_count)
    return {
        "freelancer": figures.freelancer_figures(reputation) if works else None,
        "client": figures.client_figures(reputation, card) if hires else None,
        "response_time": figures.response_time(reputation),
        "min_sample": settings.REPUTATION_MIN_SAMPLE,
    }


def rating_of(contracts: QuerySet[Contract]) -> dict:
    """The figures of a set of agreements, for a market above to show: a service's orders, say (gigs
    passes `Contract.objects.filter(service_order__service=service)`). The mean mark of their public
    reviews of the freelancer out of 5 (None without one; an order's review is one overall mark), how
    many such reviews, and how many of the agreements were completed. Two queries."""
    fields = [criterion.field for criterion in FREELANCER_CRITERIA]
    figures = Review.objects.filter(
        contract__in=contracts, direction=Review.Direction.CLIENT_TO_FREELANCER, published_at__isnull=False
    ).aggregate(count=Count("pk"), **{field: Sum(field) for field in fields})
    count = figures["count"]
    rating = None
    if count:
        total = sum(figures[field] for field in fields)
        rating = (Decimal(total) / (count * len(fields))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return {
        "rating": rating,
        "review_count": count,
        "completed_count": contracts.filter(status=Contract.Status.COMPLETED).count(),
    }


# --- Trust you can see: identity and what a client has spent -----------------------------------------
# Here, above the wallet, because the pages that show them (profiles, the directory, bidders, the
# client's card) belong to apps below it.


def verified_identity_ids(user_ids: Iterable[int]) -> set[int]:
    """Which of these people had an identity document approved (wallet.services.is_identity_verified
    for many people at once): one query, whatever their number; none for nobody."""
    user_ids = {user_id for user_id in user_ids if user_id is not None}
    if not user_ids:
        return set()
    return set(
        IdentityVerification.objects.filter(
            user_id__in=user_ids, status=IdentityVerification.Status.APPROVED
        ).values_list("user_id", flat=True)
    )


def amount_spent_cents(client: User) -> int:
    """What a client has paid freelancers: the escrow released on their contracts (each milestone
    paid) and the bonuses paid from their balance, read from the ledger; a refund is not spent.
    One query."""
    paid = Entry.objects.filter(
        Q(transfer__kind=Transfer.Kind.RELEASE, account__kind=LedgerAccount.Kind.ESCROW)
        | Q(
            transfer__kind=Transfer.Kind.BONUS,
            account__kind=LedgerAccount.Kind.AVAILABLE,
            account__owner=client,
        ),
        transfer__contract__client=client,
        amount_cents__lt=0,
    ).aggregate(total=Sum("amount_cents"))["total"]
    return -(paid or 0)

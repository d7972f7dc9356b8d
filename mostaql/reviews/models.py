from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Criterion:
    """One thing a review rates from 1 to 5: the Review column that holds it, and how it is asked."""

    field: str
    label: object
    help_text: object


class Direction(models.TextChoices):
    CLIENT_TO_FREELANCER = "client_to_freelancer", _("The client's review of the freelancer")
    FREELANCER_TO_CLIENT = "freelancer_to_client", _("The freelancer's review of the client")


# What the client rates the freelancer on, and what the freelancer rates the client on
# (docs/architecture.md, "Product figures").
FREELANCER_CRITERIA = (
    Criterion(
        "professionalism", _("Professionalism"), _("Courtesy, reliability and respect for the agreement")
    ),
    Criterion("communication", _("Communication and follow-up"), _("Answers quickly and keeps you informed")),
    Criterion("quality", _("Quality of the work"), _("The delivered work is complete and well made")),
    Criterion("expertise", _("Expertise in the field"), _("Knows the field and gives good advice")),
    Criterion("on_time", _("On-time delivery"), _("Delivered within the agreed time")),
    Criterion("would_work_again", _("Would work with again"), _("You would hire this freelancer again")),
)
CLIENT_CRITERIA = (
    Criterion(
        "professionalism", _("Professionalism"), _("Courtesy, reliability and respect for the agreement")
    ),
    Criterion("communication", _("Communication"), _("Answers questions and gives feedback in time")),
    Criterion("clarity", _("Clarity of requirements"), _("Explained clearly what was wanted")),
    Criterion("would_work_again", _("Would work with again"), _("You would work for this client again")),
)
# A service order's buyer gives one overall mark; it is stored in each of the freelancer's criteria, so
# that a person's averages count their orders and their contracts alike.
OVERALL = Criterion("overall", _("Overall rating"), _("How the order went, all in all"))
CRITERIA = {
    Direction.CLIENT_TO_FREELANCER: FREELANCER_CRITERIA,
    Direction.FREELANCER_TO_CLIENT: CLIENT_CRITERIA,
}
SCORE_FIELDS = (
    "professionalism",
    "communication",
    "quality",
    "expertise",
    "on_time",
    "clarity",
    "would_work_again",
)


def _score_field(label):
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


def _rated(fields) -> Q:
    return Q(**{f"{field}__isnull": False for field in fields})


def _unrated(fields) -> Q:
    return Q(**{f"{field}__isnull": True for field in fields})


def _fields_of(direction) -> list[str]:
    return [criterion.field for criterion in CRITERIA[direction]]


def _shape_of(direction) -> Q:
    """A review of this direction rates exactly its own criteria, and leaves the others empty."""
    rated = _fields_of(direction)
    return Q(direction=direction) & _rated(rated) & _unrated([f for f in SCORE_FIELDS if f not in rated])


def criteria_for(direction: str, *, is_order: bool) -> tuple[Criterion, ...]:
    """What the author rates: one overall mark for a buyer reviewing an order, the criteria otherwise."""
    if is_order and direction == Direction.CLIENT_TO_FREELANCER:
        return (OVERALL,)
    return CRITERIA[direction]


class Review(models.Model):
    """One side's review of the other after a completed contract.

    Double-blind: written privately, public (published_at set) once both sides have written theirs or
    the review window has closed. Only mostaql.reviews.services writes these rows.
    """

    Direction = Direction

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="reviews")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_written"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_received"
    )
    direction = models.CharField(_("direction"), max_length=24, choices=Direction.choices)
    professionalism = _score_field(_("professionalism"))
    communication = _score_field(_("communication"))
    quality = _score_field(_("quality of the work"))
    expertise = _score_field(_("expertise"))
    on_time = _score_field(_("on-time delivery"))
    clarity = _score_field(_("clarity of requirements"))
    would_work_again = _score_field(_("would work with again"))
    comment = models.TextField(_("comment"), max_length=2000)
    reply = models.TextField(_("reply"), max_length=2000, blank=True)
    reply_at = models.DateTimeField(_("replied"), null=True, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "author"], name="one_review_per_side"),
            models.CheckConstraint(condition=~Q(author=models.F("subject")), name="review_not_of_oneself"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__range": (1, 5)}),
                    name=f"review_{field}_1_to_5",
                )
                for field in SCORE_FIELDS
            ),
            models.CheckConstraint(
                condition=_shape_of(Direction.CLIENT_TO_FREELANCER)
                | _shape_of(Direction.FREELANCER_TO_CLIENT),
                name="review_rates_its_direction_criteria",
            ),
            models.CheckConstraint(
                condition=Q(reply="", reply_at__isnull=True) | (~Q(reply="") & Q(reply_at__isnull=False)),
                name="review_reply_has_its_date",
            ),
        ]
        indexes = [
            # The profile's list: a person's public reviews, newest first.
            models.Index(fields=["subject", "-published_at", "-id"], name="review_subject_public"),
            # The sweep: reviews still waiting to be published.
            models.Index(
                fields=["contract"], condition=Q(published_at__isnull=True), name="review_unpublished"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} → {self.subject} (#{self.contract_id})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return CRITERIA[self.direction]

    @property
    def scores(self) -> list[tuple[Criterion, int]]:
        return [(criterion, getattr(self, criterion.field)) for criterion in self.criteria]

    @property
    def rating(self) -> Decimal:
        """The review's overall mark: the mean of its criteria, to one decimal (halves rounded up)."""
        values = [value for _criterion, value in self.scores]
        return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class Reputation(models.Model):
    """Running totals behind a person's public figures, kept by mostaql.reviews.reputation.

    Each counter moves with an F() increment in the transaction that changes the fact it counts (a
    review published, a first delivery, a contract ended, a first reply), so a profile reads one row
    instead of every contract; `reputation.recount(user)` rebuilds the row from the facts.

    `freelancer_*` counts this person's work as a freelancer; `client_*` as a client.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="reputation"
    )
    # Published reviews of this person's work, and the sum of each criterion's marks.
    freelancer_review_count = models.PositiveIntegerField(default=0)
    freelancer_professionalism_sum = models.PositiveIntegerField(default=0)
    freelancer_communication_sum = models.PositiveIntegerField(default=0)
    freelancer_quality_sum = models.PositiveIntegerField(default=0)
    freelancer_expertise_sum = models.PositiveIntegerField(default=0)
    freelancer_on_time_sum = models.PositiveIntegerField(default=0)
    freelancer_would_work_again_sum = models.PositiveIntegerField(default=0)
    # Contracts worked: completed; ended (completed or cancelled, refunded disputes included); with a
    # first delivery, and how many of those were on time; distinct clients with a completed contract,
    # and how many of them completed more than one.
    freelancer_completed_count = models.PositiveIntegerField(default=0)
    # Of the completed ones, how many were service orders (the rest came from projects or rehires).
    freelancer_completed_order_count = models.PositiveIntegerField(default=0)
    freelancer_ended_count = models.PositiveIntegerField(default=0)
    freelancer_delivered_count = models.PositiveIntegerField(default=0)
    freelancer_on_time_count = models.PositiveIntegerField(default=0)
    freelancer_client_count = models.PositiveIntegerField(default=0)
    freelancer_repeat_client_count = models.PositiveIntegerField(default=0)
    # Published reviews of this person as a client.
    client_review_count = models.PositiveIntegerField(default=0)
    client_professionalism_sum = models.PositiveIntegerField(default=0)
    client_communication_sum = models.PositiveIntegerField(default=0)
    client_clarity_sum = models.PositiveIntegerField(default=0)
    client_would_work_again_sum = models.PositiveIntegerField(default=0)
    client_completed_count = models.PositiveIntegerField(default=0)
    client_completed_order_count = models.PositiveIntegerField(default=0)
    # Conversations this person was written to first and answered, and the seconds it took in all.
    response_count = models.PositiveIntegerField(default=0)
    response_seconds_sum = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reputation")
        verbose_name_plural = _("reputations")
        constraints = [
            models.CheckConstraint(
                condition=Q(freelancer_completed_count__lte=models.F("freelancer_ended_count")),
                name="reputation_completed_within_ended",
            ),
            models.CheckConstraint(
                condition=Q(freelancer_on_time_count__lte=models.F("freelancer_delivered_count")),
                name="reputation_on_time_within_delivered",
            ),
            models.CheckConstraint(
                condition=Q(freelancer_repeat_client_count__lte=models.F("freelancer_client_count")),
                name="reputation_repeat_within_clients",
            ),
        ]

    def __str__(self) -> str:
        return f"reputation of {self.user_id}"


class ContractTally(models.Model):
    """What one contract has already added to its two sides' reputations, so each fact counts once."""

    contract = models.OneToOneField(
        "contracts.Contract", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    first_delivered_at = models.DateTimeField(null=True, blank=True)
    was_on_time = models.BooleanField(null=True)
    ended_status = models.CharField(max_length=20, blank=True)
    # Copied so that the rehire count (per client and freelancer) needs no join.
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    freelancer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["freelancer", "client", "ended_status"], name="tally_pair_ended")]

    def __str__(self) -> str:
        return f"tally of {self.contract_id}"


class ResponseTally(models.Model):
    """A first reply in a conversation, counted once into the responder's average response time."""

    conversation = models.ForeignKey("messaging.Conversation", on_delete=models.CASCADE, related_name="+")
    responder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seconds = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "responder"], name="one_first_reply_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.responder_id} answered in {self.seconds}s"

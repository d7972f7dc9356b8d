from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mostaql.catalog.models import Category, Skill
from mostaql.core.models import SearchIndexed, TimeStampedModel
from mostaql.core.storage import private_storage


class Budget(models.TextChoices):
    """The budget brackets a client picks from, in whole dollars; value "min-max".

    Labels are wrapped in left-to-right isolates (U+2066 … U+2069) so that "$100 – $250" reads the
    same in an Arabic <select> as in English.
    """

    B25_50 = "25-50", "\u2066$25 – $50\u2069"
    B50_100 = "50-100", "\u2066$50 – $100\u2069"
    B100_250 = "100-250", "\u2066$100 – $250\u2069"
    B250_500 = "250-500", "\u2066$250 – $500\u2069"
    B500_1000 = "500-1000", "\u2066$500 – $1,000\u2069"
    B1000_2500 = "1000-2500", "\u2066$1,000 – $2,500\u2069"
    B2500_5000 = "2500-5000", "\u2066$2,500 – $5,000\u2069"
    B5000_10000 = "5000-10000", "\u2066$5,000 – $10,000\u2069"

    @classmethod
    def bounds_cents(cls, value: str) -> tuple[int, int]:
        low, high = value.split("-")
        return int(low) * 100, int(high) * 100


class Project(SearchIndexed, TimeStampedModel):
    """Searched through core.search: the title, then the description and the skills' names."""

    class Status(models.TextChoices):
        PENDING_REVIEW = "pending_review", _("Waiting for review")
        OPEN = "open", pgettext_lazy("project status", "Open")
        REJECTED = "rejected", _("Rejected")
        HIRING = "hiring", _("Hired, waiting for funding")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        CLOSED = "closed", pgettext_lazy("project status", "Closed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="projects", verbose_name=_("owner")
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=10_000)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="projects", verbose_name=_("category")
    )
    skills = models.ManyToManyField(Skill, related_name="projects", verbose_name=_("skills"))
    budget = models.CharField(_("budget"), max_length=12, choices=Budget.choices)
    duration_days = models.PositiveSmallIntegerField(_("expected duration (days)"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING_REVIEW
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Kept by the offer services, so lists sort by "fewest offers" without counting rows.
    offer_count = models.PositiveIntegerField(_("offers"), default=0)
    # Seen by its owner, staff and the freelancers the owner invited only: never listed anywhere
    # (projects.selectors.public_projects and can_view_project hold the rule).
    # db_default too: rows written outside the ORM (the benchmarks' COPY) are public unless they say so.
    is_private = models.BooleanField(
        _("private"),
        default=False,
        db_default=False,
        help_text=_("Only the freelancers you invite see it; it is not listed or searchable."),
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [
            # With the id: the list's order (newest, then id) and its count (an index-only anti-join
            # against hidden items) are both served by this index alone.
            models.Index(fields=["status", "-published_at", "-id"], name="project_status_published_id"),
            # The same for "fewest offers" (whose order is offer_count, then newest) and for the two
            # filters that narrow most.
            models.Index(
                fields=["status", "offer_count", "-published_at", "-id"], name="project_status_offers_id"
            ),
            models.Index(
                fields=["status", "category", "-published_at", "-id"], name="project_status_category_id"
            ),
            models.Index(
                fields=["status", "budget", "-published_at", "-id"], name="project_status_budget_id"
            ),
            models.Index(fields=["owner", "-created_at"], name="project_owner_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_days__gte=1, duration_days__lte=365),
                name="project_duration_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"pk": self.pk})

    @property
    def budget_bounds_cents(self) -> tuple[int, int]:
        return Budget.bounds_cents(self.budget)


class Attachment(models.Model):
    """A file checked by core.uploads, kept in private storage and served through a view."""

    file = models.FileField(storage=private_storage, upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class ProjectAttachment(Attachment):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="attachments")


class Offer(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        HIRED = "hired", _("Hired")
        NOT_HIRED = "not_hired", _("Not hired")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECLINED = "declined", _("Hire cancelled")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="offers")
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("freelancer"),
    )
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"))
    text = models.TextField(_("offer text"), max_length=5000)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    # An offer on a project that closed without a hire is given back to its author's monthly quota.
    is_returned_to_quota = models.BooleanField(default=False)
    # Sent on the project owner's invitation: it does not count against the monthly quota.
    is_invited = models.BooleanField(default=False, db_default=False)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "freelancer"], name="one_offer_per_freelancer"),
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="offer_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(duration_days__gte=1, duration_days__lte=365),
                name="offer_duration_in_range",
            ),
        ]
        indexes = [models.Index(fields=["freelancer", "-created_at"], name="offer_freelancer_created")]

    def __str__(self) -> str:
        return f"{self.freelancer} → {self.project}"


class Invitation(TimeStampedModel):
    """A project's owner asks a freelancer to send an offer (projects.services.invite_freelancer).

    The invited freelancer may see the project even when it is private, and an offer sent on the
    invitation does not count against their monthly quota.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("project")
    )
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("freelancer"),
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["project", "freelancer"], name="one_invitation_per_freelancer")
        ]
        indexes = [models.Index(fields=["freelancer", "-created_at"], name="invitation_freelancer_created")]

    def __str__(self) -> str:
        return f"{self.project_id} → {self.freelancer_id}"


class OfferAttachment(Attachment):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="attachments")


class ProjectEvent(models.Model):
    """What happened to a project, by whom: appended, never edited."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=32)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.action}"

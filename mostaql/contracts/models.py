import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mostaql.core.models import TimeStampedModel
from mostaql.core.money import net_after_commission_cents
from mostaql.core.storage import private_storage


class Contract(TimeStampedModel):
    """An agreement between a client and a freelancer, whichever market it came from: a hire of an
    offer, a direct rehire, or a service order. Its money and its clock live in its milestones; a
    one-payment contract has one."""

    class Origin(models.TextChoices):
        HIRE = "hire", _("Hire")
        REHIRE = "rehire", _("Direct contract")
        ORDER = "order", _("Service order")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for the freelancer's answer")
        AWAITING_FUNDING = "awaiting_funding", _("Waiting for funding")
        AWAITING_REQUIREMENTS = "awaiting_requirements", _("Waiting for the buyer's requirements")
        AWAITING_MILESTONE = "awaiting_milestone", _("Waiting for the next milestone's funding")
        ACTIVE = "active", _("In progress")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        DISPUTED = "disputed", _("In dispute")
        DECLINED = "declined", _("Declined by the freelancer")
        WITHDRAWN = "withdrawn", _("Hire withdrawn by the client")

    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.HIRE)
    # A hire has its project and offer; an order or a direct rehire may have neither.
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="contracts", null=True, blank=True
    )
    offer = models.OneToOneField(
        "projects.Offer", on_delete=models.PROTECT, related_name="contract", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts_as_client"
    )
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts_as_freelancer"
    )
    # The sum of the milestones and of their days (kept so by the services that change them).
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"))
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.AWAITING_FUNDING
    )
    # When the first milestone was funded, and the delivery waiting for the client's answer, if any.
    funded_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            # A project has at most one live contract; declined and withdrawn hires leave room for another.
            models.UniqueConstraint(
                fields=["project"],
                condition=~models.Q(status__in=["declined", "withdrawn"]),
                name="one_live_contract_per_project",
            ),
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(
                condition=~models.Q(client=models.F("freelancer")), name="contract_two_different_people"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", kwargs={"pk": self.pk})

    def is_party(self, user) -> bool:
        return user.is_authenticated and user.pk in (self.client_id, self.freelancer_id)

    @property
    def is_order(self) -> bool:
        return self.origin == self.Origin.ORDER

    @property
    def milestones_list(self) -> list["Milestone"]:
        """The milestones in order: no query when the selector prefetched them, a fresh read otherwise."""
        return list(self.milestones.all())

    @property
    def current_milestone(self) -> "Milestone | None":
        """The milestone in play: the one funded or delivered, else the next to fund; None when all
        are settled."""
        for milestone in self.milestones_list:
            if milestone.status in (Milestone.Status.FUNDED, Milestone.Status.DELIVERED):
                return milestone
        return next((m for m in self.milestones_list if m.status == Milestone.Status.PENDING), None)

    @property
    def due_at(self) -> datetime.datetime | None:
        """When the work in play is due: its days (and agreed extensions) count from when its clock
        started (the funding; for an order, the buyer's requirements)."""
        milestone = self.current_milestone
        return milestone.due_at if milestone else None

    @property
    def auto_accept_days(self) -> int:
        return settings.ORDER_AUTO_COMPLETE_DAYS if self.is_order else settings.AUTO_ACCEPT_DAYS

    @property
    def auto_accept_at(self) -> datetime.datetime | None:
        """When a delivery left unanswered is accepted by the sweep."""
        if self.delivered_at is None:
            return None
        return self.delivered_at + datetime.timedelta(days=self.auto_accept_days)

    @property
    def freelancer_net_cents(self) -> int:
        return net_after_commission_cents(self.amount_cents)


class Milestone(models.Model):
    """One stage of a contract, and the unit of its money: funded into escrow on its own, delivered,
    accepted or sent back, and paid on acceptance less commission."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not funded yet")
        FUNDED = "funded", _("In escrow")
        DELIVERED = "delivered", _("Delivered")
        PAID = "paid", _("Paid")
        REFUNDED = "refunded", _("Refunded")
        CANCELLED = "cancelled", _("Cancelled")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=120)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    days = models.PositiveSmallIntegerField(_("days"))
    extra_days = models.PositiveSmallIntegerField(default=0)  # extensions both sides agreed to
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    funded_at = models.DateTimeField(null=True, blank=True)
    # When its clock started: the funding, or for an order the buyer's requirements.
    started_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "position"], name="one_milestone_per_position"),
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="milestone_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id}/{self.position} {self.title}"

    @property
    def due_at(self) -> datetime.datetime | None:
        if self.started_at is None:
            return None
        return self.started_at + datetime.timedelta(days=self.days + self.extra_days)

    @property
    def freelancer_net_cents(self) -> int:
        return net_after_commission_cents(self.amount_cents)


class ContractEvent(models.Model):
    """Each transition of a contract, with who made it and why: appended, never edited."""

    class Action(models.TextChoices):
        HIRE = "hire", _("Hired")
        FUND = "fund", _("Funded")
        DECLINE = "decline", _("Hire declined")
        WITHDRAW_HIRE = "withdraw_hire", _("Hire withdrawn")
        DELIVER = "deliver", _("Delivered")
        ACCEPT = "accept", _("Delivery accepted")
        REQUEST_CHANGES = "request_changes", _("Changes requested")
        AUTO_ACCEPT = "auto_accept", _("Accepted automatically")
        CANCEL = "cancel", _("Cancelled by agreement")
        OPEN_DISPUTE = "open_dispute", _("Dispute opened")
        RESOLVE_DISPUTE = "resolve_dispute", _("Dispute decided")
        REFUND_DISPUTE = "refund_dispute", _("Dispute decided: refunded to the client")
        PROPOSE_CANCEL = "propose_cancel", _("Cancellation proposed")
        REFUSE_CANCEL = "refuse_cancel", _("Cancellation refused")
        ORDER = "order", _("Ordered and paid")
        SUBMIT_REQUIREMENTS = "submit_requirements", _("Requirements sent")
        DECLINE_ORDER = "decline_order", _("Order declined: refunded")
        CANCEL_LATE = "cancel_late", _("Cancelled for a late delivery: refunded")
        ACCEPT_MILESTONE = "accept_milestone", _("Milestone accepted")
        AUTO_ACCEPT_MILESTONE = "auto_accept_milestone", _("Milestone accepted automatically")
        OFFER_REHIRE = "offer_rehire", _("Direct contract offered")
        ACCEPT_REHIRE = "accept_rehire", _("Direct contract accepted")
        END = "end", _("Ended by the moderators")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=32, choices=Action.choices)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24)
    milestone = models.ForeignKey(
        "Milestone", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.action}"


class Delivery(models.Model):
    """What the freelancer handed over, with a message and files; a contract may have several."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="deliveries")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="deliveries")
    message = models.TextField(_("message"), max_length=5000)
    # Set by deliver (its `now`): the freelancer's reputation counts a first delivery as on time from it.
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"delivery {self.pk} of {self.contract_id}"


class ContractFile(models.Model):
    """A file one side handed over (core.uploads.clean_deliverable), kept private to the contract."""

    file = models.FileField(storage=private_storage, upload_to="deliveries/%Y/%m/")
    original_name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    # A re-encoded thumbnail beside a raster image; the file itself is kept as it was sent.
    preview = models.FileField(storage=private_storage, upload_to="deliveries/previews/%Y/%m/", blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class DeliveryAttachment(ContractFile):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attachments")


class Requirements(models.Model):
    """An order's answers to the seller's instructions: the clock starts when they are sent."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="requirements")
    text = models.TextField(_("requirements"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"requirements of {self.contract_id}"


class RequirementsAttachment(ContractFile):
    requirements = models.ForeignKey(Requirements, on_delete=models.CASCADE, related_name="attachments")


class CancellationRequest(models.Model):
    """One side proposes to cancel, with a reason; the other side accepts or refuses."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="cancellations")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract"],
                condition=models.Q(status="proposed"),
                name="one_open_cancellation_per_contract",
            )
        ]

    def __str__(self) -> str:
        return f"cancellation of {self.contract_id}: {self.status}"


class Dispute(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DECIDED = "decided", _("Decided")

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="dispute")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=5000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    freelancer_share_cents = models.PositiveIntegerField(null=True, blank=True)
    decision = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"dispute on {self.contract_id}"

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
    """The agreement a hire creates: one client, one freelancer, an amount and a duration."""

    class Status(models.TextChoices):
        AWAITING_FUNDING = "awaiting_funding", _("Waiting for funding")
        ACTIVE = "active", _("In progress")
        DELIVERED = "delivered", _("Delivered")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        DISPUTED = "disputed", _("In dispute")
        DECLINED = "declined", _("Declined by the freelancer")
        WITHDRAWN = "withdrawn", _("Hire withdrawn by the client")

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="contracts")
    offer = models.OneToOneField("projects.Offer", on_delete=models.PROTECT, related_name="contract")
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts_as_client"
    )
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts_as_freelancer"
    )
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    duration_days = models.PositiveSmallIntegerField(_("duration (days)"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_FUNDING
    )
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
        return f"#{self.pk} {self.project}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", kwargs={"pk": self.pk})

    def is_party(self, user) -> bool:
        return user.is_authenticated and user.pk in (self.client_id, self.freelancer_id)

    @property
    def due_at(self) -> datetime.datetime | None:
        """When the work is due: the duration counts from the funding (the clock starts then)."""
        return self.funded_at + datetime.timedelta(days=self.duration_days) if self.funded_at else None

    @property
    def auto_accept_at(self) -> datetime.datetime | None:
        """When a delivery left unanswered is accepted by the sweep."""
        if self.delivered_at is None:
            return None
        return self.delivered_at + datetime.timedelta(days=settings.AUTO_ACCEPT_DAYS)

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

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=32, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.action}"


class Delivery(models.Model):
    """What the freelancer handed over, with a message and files; a contract may have several."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="deliveries")
    message = models.TextField(_("message"), max_length=5000)
    # Set by deliver (its `now`): the freelancer's reputation counts a first delivery as on time from it.
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"delivery {self.pk} of {self.contract_id}"


class DeliveryAttachment(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="deliveries/%Y/%m/")
    original_name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    # A re-encoded thumbnail beside a raster image; the file itself is kept as it was sent.
    preview = models.FileField(storage=private_storage, upload_to="deliveries/previews/%Y/%m/", blank=True)

    def __str__(self) -> str:
        return self.original_name


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

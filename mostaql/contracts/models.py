from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mostaql.core.models import TimeStampedModel


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

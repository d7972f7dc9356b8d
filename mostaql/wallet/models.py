"""The ledger: double entry in integer cents. Entries are appended, never changed.

Balances cached on LedgerAccount are written by one function only (ledger.post_transfer), and a
CheckConstraint keeps user and escrow balances at zero or above in the database too.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mostaql.core.models import TimeStampedModel
from mostaql.core.storage import private_storage


class LedgerAccount(models.Model):
    class Kind(models.TextChoices):
        AVAILABLE = "available", _("Available")
        PENDING = "pending", _("Pending clearance")
        WITHDRAWAL_HOLD = "withdrawal_hold", _("Held for withdrawal")
        ESCROW = "escrow", _("Escrow")
        PLATFORM_REVENUE = "platform_revenue", _("Platform revenue")
        GATEWAY = "gateway", _("Money in from the payment gateway")
        PAYOUTS = "payouts", _("Money out to payouts")

    USER_KINDS = frozenset({Kind.AVAILABLE, Kind.PENDING, Kind.WITHDRAWAL_HOLD})
    SYSTEM_KINDS = frozenset({Kind.PLATFORM_REVENUE, Kind.GATEWAY, Kind.PAYOUTS})
    # Only the system's own accounts (money in, money out) may go below zero.
    MAY_GO_NEGATIVE_KINDS = frozenset({Kind.GATEWAY, Kind.PAYOUTS})

    kind = models.CharField(max_length=20, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
    )
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_accounts"
    )
    balance_cents = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "kind"], condition=Q(owner__isnull=False), name="one_account_per_user_kind"
            ),
            models.UniqueConstraint(
                fields=["contract", "kind"],
                condition=Q(contract__isnull=False),
                name="one_account_per_contract_kind",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(owner__isnull=True, contract__isnull=True),
                name="one_system_account_per_kind",
            ),
            # Only the system's own accounts (money in, money out) may go below zero.
            models.CheckConstraint(
                condition=Q(balance_cents__gte=0) | Q(kind__in=["gateway", "payouts"]),
                name="ledger_balance_not_negative",
            ),
        ]

    def __str__(self) -> str:
        holder = (self.owner_id and f"user {self.owner_id}") or (
            self.contract_id and f"contract {self.contract_id}"
        )
        return f"{self.get_kind_display()} ({holder or 'system'})"

    @property
    def may_go_negative(self) -> bool:
        return self.kind in self.MAY_GO_NEGATIVE_KINDS


class Transfer(models.Model):
    """One movement of money: two or more entries that sum to zero, under a unique key."""

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Funds added")
        FUND = "fund", _("Contract funded")
        RELEASE = "release", _("Payment released")
        BONUS = "bonus", _("Bonus paid")
        CLEAR = "clear", _("Earnings cleared")
        REFUND = "refund", _("Refund from escrow")
        DISPUTE = "dispute", _("Dispute decided")
        WITHDRAW = "withdraw", _("Withdrawal requested")
        PAYOUT = "payout", _("Withdrawal paid")
        WITHDRAW_REFUSED = "withdraw_refused", _("Withdrawal refused")

    idempotency_key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="transfers"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    memo = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Entry(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount_cents = models.BigIntegerField()
    # The account's balance right after this entry: the statement's running balance, for free.
    balance_after_cents = models.BigIntegerField()

    class Meta:
        verbose_name_plural = "entries"
        indexes = [models.Index(fields=["account", "-id"], name="entry_account_recent")]
        constraints = [models.CheckConstraint(condition=~Q(amount_cents=0), name="entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.amount_cents}"


class PendingEarning(models.Model):
    """Released money waiting out the clearance period: when it clears, and by which transfer."""

    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pending_earnings"
    )
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="pending_earnings"
    )
    release = models.OneToOneField(Transfer, on_delete=models.PROTECT, related_name="pending_earning")
    amount_cents = models.PositiveIntegerField()
    clears_at = models.DateTimeField(db_index=True)
    clearance = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="cleared_earning"
    )

    class Meta:
        ordering = ["clears_at", "id"]

    def __str__(self) -> str:
        return f"{self.amount_cents} for {self.freelancer_id}"


class Deposit(TimeStampedModel):
    """Money a person adds through a payment gateway; credited only by a verified webhook."""

    class Status(models.TextChoices):
        STARTED = "started", _("Waiting for payment")
        SUCCEEDED = "succeeded", _("Paid")
        FAILED = "failed", _("Declined")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deposits")
    amount_cents = models.PositiveIntegerField()
    gateway = models.CharField(max_length=20)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.STARTED)
    failure_reason = models.CharField(max_length=200, blank=True)
    # Where to send the person once paid (e.g. back to the contract they were funding).
    return_to = models.CharField(max_length=200, blank=True)
    # The contract this deposit was started to fund: once paid, the funding completes by itself.
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    transfer = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="deposit"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="deposit_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount_cents} by {self.user_id}"


class WebhookEvent(models.Model):
    """Each gateway event id is processed once, whatever the number of deliveries."""

    gateway = models.CharField(max_length=20)
    event_id = models.CharField(max_length=100)
    kind = models.CharField(max_length=50)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gateway", "event_id"], name="webhook_event_once")]

    def __str__(self) -> str:
        return f"{self.gateway}:{self.event_id}"


class IdentityVerification(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Verified")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="identity_checks"
    )
    document = models.FileField(storage=private_storage, upload_to="identity/%Y/%m/")
    document_kind = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.status}"


class Withdrawal(TimeStampedModel):
    class Method(models.TextChoices):
        PAYPAL = "paypal", _("PayPal")
        BANK = "bank", _("Bank transfer")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PAID = "paid", _("Paid")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="withdrawals")
    amount_cents = models.PositiveIntegerField()
    method = models.CharField(max_length=10, choices=Method.choices)
    paypal_email = models.EmailField(blank=True)
    bank_holder = models.CharField(max_length=100, blank=True)
    bank_iban = models.CharField(max_length=34, blank=True)
    bank_name = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    reason = models.TextField(blank=True)
    # The payment's reference in the bank or PayPal, recorded by the staff member who paid it.
    payment_reference = models.CharField(max_length=100, blank=True)
    processed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [("process_withdrawal", "Can pay or refuse withdrawals")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="withdrawal_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount_cents} to {self.user_id}"

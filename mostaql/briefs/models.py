"""Buyer requests (طلبات): a buyer describes a service they could not find; sellers answer with one of
their approved services; the buyer orders one answer, which is an ordinary order of that service
(gigs.services.place_order)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mostaql.catalog.models import Category
from mostaql.core.models import SearchIndexed, TimeStampedModel
from mostaql.gigs.models import Order, Service


class Brief(SearchIndexed, TimeStampedModel):
    """A request. Listed while OPEN and `expires_at` is in the future (the sweep only tidies the status:
    the lists never show an expired one, swept or not). Searched through core.search: the title, then
    the description."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        OPEN = "open", _("Open")
        REJECTED = "rejected", _("Rejected")
        ORDERED = "ordered", _("Ordered")
        EXPIRED = "expired", _("Expired")

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="briefs", verbose_name=_("buyer")
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=2000)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="briefs", verbose_name=_("category")
    )
    budget_cents = models.PositiveIntegerField(_("budget (cents)"))
    delivery_days = models.PositiveSmallIntegerField(_("delivery time (days)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    answer_count = models.PositiveIntegerField(_("answers"), default=0)
    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="brief", verbose_name=_("order")
    )

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="brief_status_published_id"),
            models.Index(fields=["status", "category", "-published_at"], name="brief_status_category"),
            models.Index(fields=["status", "expires_at"], name="brief_status_expires"),
            models.Index(fields=["buyer", "-created_at"], name="brief_buyer_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget_cents__gt=0), name="brief_budget_positive"),
            models.CheckConstraint(
                condition=models.Q(delivery_days__gte=1, delivery_days__lte=365),
                name="brief_delivery_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("briefs:detail", kwargs={"pk": self.pk})


class Answer(models.Model):
    """A seller's answer: one of their approved services and a short note; one per seller and request."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="answers")
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="brief_answers"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="brief_answers")
    note = models.TextField(_("note"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["brief", "seller"], name="brief_answer_once_per_seller"),
        ]

    def __str__(self) -> str:
        return f"{self.brief_id}: {self.service_id}"


class BriefEvent(models.Model):
    """What happened to a request, by whom: appended, never edited."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=32)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.brief_id}: {self.action}"

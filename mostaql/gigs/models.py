"""The services market: a seller's ready service, its paid upgrades and gallery, and the orders placed.

An order's agreement (escrow, delivery, changes, cancellation, dispute, reviews) is a
contracts.Contract of origin "order"; `Order` keeps what was bought: the service, the quantity, the
base price and the chosen upgrades as they were then.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mostaql.catalog.models import Category, Skill
from mostaql.core.models import SearchIndexed, TimeStampedModel


def service_image_path(image, filename: str) -> str:
    return f"services/{filename}"


class Service(SearchIndexed, TimeStampedModel):
    """Searched through core.search: the title, then the description and the skills' names."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Published")
        REJECTED = "rejected", _("Rejected")
        PAUSED = "paused", _("Paused")

    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="services", verbose_name=_("seller")
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=5000)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="services", verbose_name=_("category")
    )
    skills = models.ManyToManyField(Skill, related_name="services", verbose_name=_("skills"))
    price_cents = models.PositiveIntegerField(_("price (cents)"))
    delivery_days = models.PositiveSmallIntegerField(_("delivery time (days)"))
    instructions = models.TextField(_("instructions to the buyer"), max_length=2000)
    max_quantity = models.PositiveSmallIntegerField(_("most copies in one order"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Kept by gigs.services.place_order, so "best-selling" sorts without counting rows.
    order_count = models.PositiveIntegerField(_("orders"), default=0)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="service_status_published_id"),
            models.Index(fields=["status", "-order_count", "-id"], name="service_status_orders_id"),
            models.Index(
                fields=["status", "category", "-published_at", "-id"], name="service_status_category_id"
            ),
            models.Index(fields=["status", "price_cents"], name="service_status_price"),
            models.Index(fields=["seller", "-created_at"], name="service_seller_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(price_cents__gt=0), name="service_price_positive"),
            models.CheckConstraint(
                condition=models.Q(delivery_days__gte=1, delivery_days__lte=365),
                name="service_delivery_in_range",
            ),
            models.CheckConstraint(condition=models.Q(max_quantity__gte=1), name="service_quantity_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("gigs:detail", kwargs={"pk": self.pk})

    @property
    def can_be_ordered(self) -> bool:
        return self.status == self.Status.APPROVED


class Upgrade(models.Model):
    """A paid extra a buyer may tick: its price is added once per order, its days to the delivery."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="upgrades")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=100)
    price_cents = models.PositiveIntegerField(_("price (cents)"))
    extra_days = models.PositiveSmallIntegerField(_("extra days"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("upgrade")
        verbose_name_plural = _("upgrades")
        constraints = [
            models.CheckConstraint(condition=models.Q(price_cents__gt=0), name="upgrade_price_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class ServiceImage(models.Model):
    """A gallery picture, re-encoded by core.uploads with its thumbnail."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to=service_image_path)
    thumbnail = models.ImageField(upload_to=service_image_path)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("service image")
        verbose_name_plural = _("service images")

    def __str__(self) -> str:
        return f"{self.service_id} ({self.position + 1})"


class ServiceEvent(models.Model):
    """What happened to a service, by whom: appended, never edited."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(max_length=32)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.service_id}: {self.action}"


class Order(models.Model):
    """What a buyer ordered of a service; its agreement and money are `contract` (origin "order")."""

    contract = models.OneToOneField(
        "contracts.Contract", on_delete=models.PROTECT, related_name="service_order"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="orders")
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    base_price_cents = models.PositiveIntegerField(_("base price (cents)"))
    total_cents = models.PositiveIntegerField(_("total (cents)"))
    days = models.PositiveSmallIntegerField(_("delivery time (days)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [models.Index(fields=["service", "-created_at"], name="order_service_created")]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="order_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"order {self.pk} of {self.service_id}"


class OrderUpgrade(models.Model):
    """An upgrade as it was when ordered: the seller may change or remove it later."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="upgrades")
    upgrade = models.ForeignKey(Upgrade, on_delete=models.SET_NULL, null=True, related_name="+")
    title = models.CharField(max_length=100)
    price_cents = models.PositiveIntegerField()
    extra_days = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

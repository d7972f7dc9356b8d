"""Saved searches (a list's query and filters, with an alert frequency), their matches, and
favourites (projects and freelancers a person keeps in a personal list at /saved/)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedSearch(models.Model):
    """A list's search kept by a person; `list_name` is a key of saved.lists.LISTS ("projects")."""

    class Frequency(models.TextChoices):
        INSTANT = "instant", _("At once (in the app and by e-mail)")
        DAILY = "daily", _("A daily digest")
        OFF = "off", _("No alerts")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    list_name = models.CharField(_("list"), max_length=20)
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("search words"), max_length=100, blank=True)
    # Only the list's known filters, cleaned (saved.lists): {"category": "design", "skills": [...]}.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    # The query and filters as one canonical text: one saved search per person and shape.
    shape = models.CharField(max_length=400, editable=False)
    frequency = models.CharField(
        _("alerts"), max_length=8, choices=Frequency.choices, default=Frequency.DAILY
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.UniqueConstraint(fields=["user", "list_name", "shape"], name="saved_search_unique_shape"),
        ]
        indexes = [
            models.Index(fields=["list_name", "frequency"], name="saved_search_list_frequency"),
            models.Index(fields=["user", "-created_at"], name="saved_search_user_created"),
        ]

    def __str__(self) -> str:
        return self.name


class MatchedItem(models.Model):
    """An item (a project) that was matched against the saved searches: each is matched once."""

    list_name = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    matched_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["list_name", "object_id"], name="matched_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.list_name}:{self.object_id}"


class PendingAlert(models.Model):
    """What one matching run found for one person at one frequency: the items and the searches that
    found them, until an alert (instant) or the day's digest (daily) tells them (`sent_at`).

    One row per person and run, not per search and item: a run of 1,000 projects against 100,000
    searches finds millions of (search, item) pairs, and writing them cost a minute where these rows
    cost a second (the benchmark's figures are in the README)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=8, choices=SavedSearch.Frequency.choices)
    list_name = models.CharField(max_length=20)
    object_ids = models.JSONField(default=list)
    search_ids = models.JSONField(default=list)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["frequency", "user"],
                condition=models.Q(sent_at__isnull=True),
                name="pending_alert_unsent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.frequency}: {len(self.object_ids)}"


class DigestSent(models.Model):
    """One daily digest per person and day, whatever happens (a second run finds this row)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField()
    items = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class SkillsAlertOffer(models.Model):
    """A freelancer's answer to "alerts for the projects in my skills?" (the dashboard asks once)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    accepted = models.BooleanField()
    answered_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user_id}: {self.accepted}"


class Favourite(models.Model):
    """A project, a service or a freelancer kept in a person's list. A new kind is one choice here and
    one entry in saved.favourites.KINDS."""

    class Kind(models.TextChoices):
        PROJECT = "project", _("Project")
        SERVICE = "service", _("Service")
        FREELANCER = "freelancer", _("Freelancer")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "object_id"], name="favourite_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["project", "service", "freelancer"]), name="favourite_known_kind"
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="favourite_user_created")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"

"""Reports of projects, offers, messages and profiles; what moderators hid; who was suspended, and why.

A reported or hidden item is referred to by one nullable foreign key per kind, not a generic relation:
the kinds are a closed list of four, each key is a real constraint in the database (an item that goes
takes its reports with it), the staff queue loads every kind in one joined query, and the database
itself keeps "one open report per reporter per item" and "hidden once" with plain unique indexes.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mostaql.accounts.models import Profile
from mostaql.messaging.models import Message
from mostaql.projects.models import Offer, Project


class Kind(models.TextChoices):
    PROJECT = "project", _("Project")
    OFFER = "offer", _("Offer")
    MESSAGE = "message", _("Message")
    PROFILE = "profile", _("Profile")


# The model behind each kind; the foreign key to it is named after the kind.
KIND_MODELS = {Kind.PROJECT: Project, Kind.OFFER: Offer, Kind.MESSAGE: Message, Kind.PROFILE: Profile}
# What may be reported or hidden.
Item = Project | Offer | Message | Profile


def kind_of(item) -> str:
    for kind, model in KIND_MODELS.items():
        if isinstance(item, model):
            return kind
    raise TypeError(f"{type(item).__name__} cannot be reported")


def author_of(item):
    """Who answers for an item: the project's owner, the offer's or message's sender, the profile's owner."""
    kind = kind_of(item)
    if kind == Kind.PROJECT:
        return item.owner
    if kind == Kind.OFFER:
        return item.freelancer
    if kind == Kind.MESSAGE:
        return item.sender
    return item.user


def page_of(item) -> str:
    """Where an item is shown: its project page, the offer in its project's list, the message in its
    conversation, the public profile. Links in e-mails and the "back" of the report form lead here."""
    kind = kind_of(item)
    if kind == Kind.OFFER:
        return f"{item.project.get_absolute_url()}#offer-{item.pk}"
    if kind == Kind.MESSAGE:
        return f"{item.conversation.get_absolute_url()}#message-{item.pk}"
    return item.get_absolute_url()


def _exactly_its_kind() -> models.Q:
    """The key of the row's kind is set, and the three others are empty."""
    condition = models.Q()
    for kind in Kind.values:
        condition |= models.Q(kind=kind, **{f"{other}__isnull": other != kind for other in Kind.values})
    return condition


class ItemReference(models.Model):
    """One of the four kinds of item, through the foreign key named after its kind."""

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    project = models.ForeignKey(Project, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=_exactly_its_kind(), name="%(class)s_exactly_one_item"),
        ]

    @property
    def item(self):
        return getattr(self, self.kind)

    @staticmethod
    def keys_for(item) -> dict:
        """The fields that point at `item`: {"kind": "offer", "offer": item}."""
        kind = kind_of(item)
        return {"kind": kind, kind: item}

    def same_item(self) -> dict:
        """A filter for the rows about the same item as this one."""
        return {"kind": self.kind, f"{self.kind}_id": getattr(self, f"{self.kind}_id")}


class Report(ItemReference):
    """Someone tells the moderators that an item breaks the rules; a moderator decides."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a moderator")
        DISMISSED = "dismissed", _("Dismissed: no breach found")
        HIDDEN = "hidden", _("The item was hidden")
        WARNED = "warned", _("The author was warned")
        SUSPENDED = "suspended", _("The author's account was suspended")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reports_made",
        verbose_name=_("reporter"),
    )
    # Kept from the moment of the report: whom a warning or a suspension would reach.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reports_about",
        verbose_name=_("author"),
    )
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # Whether the decision (a warning or a suspension) also hid the item.
    item_hidden = models.BooleanField(_("item hidden"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # The moderators' words: the warning sent to the author, the reason for a suspension, or a note.
    decision_note = models.TextField(_("moderator's note"), blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "id"]
        constraints = [
            *ItemReference.Meta.constraints,
            *(
                models.UniqueConstraint(
                    fields=["reporter", kind],
                    condition=models.Q(status="open"),
                    name=f"one_open_report_per_{kind}",
                )
                for kind in Kind.values
            ),
            models.CheckConstraint(
                condition=~models.Q(reporter=models.F("author")), name="report_not_about_oneself"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="report_status_created"),
            models.Index(fields=["reporter", "-created_at"], name="report_reporter_created"),
        ]

    def __str__(self) -> str:
        return f"report {self.pk} on {self.kind}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class HiddenItem(ItemReference):
    """An item the moderators took off the public pages. The item itself stays, untouched."""

    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("hidden"), auto_now_add=True)

    class Meta:
        verbose_name = _("hidden item")
        verbose_name_plural = _("hidden items")
        ordering = ["-created_at", "-id"]
        constraints = [
            *ItemReference.Meta.constraints,
            *(models.UniqueConstraint(fields=[kind], name=f"hidden_once_{kind}") for kind in Kind.values),
        ]

    def __str__(self) -> str:
        return f"hidden {self.kind} {getattr(self, f'{self.kind}_id')}"


class Suspension(models.Model):
    """Who suspended whom, when and why, what it closed, and who lifted it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="suspensions",
        verbose_name=_("account"),
    )
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("suspended by")
    )
    reason = models.TextField(_("reason"), max_length=2000)
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # What the suspension did, by id: closed_projects, ended_hires and disputed_contracts.
    effects = models.JSONField(_("effects"), default=dict, blank=True)
    created_at = models.DateTimeField(_("suspended"), auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(lifted_at__isnull=True), name="one_active_suspension"
            ),
        ]

    def __str__(self) -> str:
        return f"suspension of {self.user_id}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class ModerationEvent(models.Model):
    """Each moderator's action, on whom and why: appended, never edited."""

    class Action(models.TextChoices):
        DISMISSED = "dismissed", _("Report dismissed")
        HIDDEN = "hidden", _("Item hidden")
        SHOWN = "shown", _("Item shown again")
        WARNED = "warned", _("Author warned")
        SUSPENDED = "suspended", _("Account suspended")
        UNSUSPENDED = "unsuspended", _("Suspension lifted")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["subject", "action"], name="moderation_subject_action")]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id}"

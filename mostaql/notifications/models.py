from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mostaql.notifications.kinds import KINDS

KIND_CHOICES = [(name, kind.label) for name, kind in KINDS.items()]


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=KIND_CHOICES)
    title = models.CharField(max_length=200)  # in the recipient's language, as the e-mail was written
    # The title in every language of the site, so that the list shows it in the language of the page.
    titles = models.JSONField(default=dict, blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=200, blank=True)
    is_read = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The bell counts a person's unread rows; the list pages through them newest first.
            models.Index(fields=["user", "is_read", "-id"], name="notification_user_unread"),
            models.Index(fields=["user", "-created_at", "-id"], name="notification_user_newest"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title_for_page(self) -> str:
        """The title in the language the person reads the page in (older rows: the one stored)."""
        return self.titles.get(translation.get_language() or "", "") or self.title


class EmailPreference(models.Model):
    """A kind of notification a person does not want by e-mail (the bell still shows it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_email_kinds"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=KIND_CHOICES)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} mutes {self.kind}"


class NotificationSettings(models.Model):
    """The language a person's notifications and e-mails are written in (the site's, Arabic, if none)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    language = models.CharField(_("language"), max_length=8)

    def __str__(self) -> str:
        return f"{self.user_id} reads {self.language}"

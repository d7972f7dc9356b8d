from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from mostaql.core.storage import private_storage


class Conversation(models.Model):
    """Between a project's owner and one freelancer (opened by the owner's first message or by a hire),
    or between the two sides of an agreement that has no project (a service order, a direct contract)."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="conversations", null=True, blank=True
    )
    contract = models.OneToOneField(
        "contracts.Contract", on_delete=models.CASCADE, related_name="conversation", null=True, blank=True
    )
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    freelancer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)
    client_read_at = models.DateTimeField(null=True, blank=True)
    freelancer_read_at = models.DateTimeField(null=True, blank=True)
    # One e-mail per conversation and recipient per quiet period (settings.MESSAGE_EMAIL_QUIET_MINUTES).
    client_emailed_at = models.DateTimeField(null=True, blank=True)
    freelancer_emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "freelancer"], name="one_conversation_per_bidder"),
        ]
        indexes = [
            models.Index(fields=["client", "-last_message_at"], name="conversation_client_recent"),
            models.Index(fields=["freelancer", "-last_message_at"], name="conversation_freelancer_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.freelancer}"

    def get_absolute_url(self) -> str:
        return reverse("messaging:conversation", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        """What the conversation is about: the project, or the agreement that has no project."""
        return self.project.title if self.project_id else self.contract.title

    def get_subject_url(self) -> str:
        return (self.project or self.contract).get_absolute_url()

    def is_participant(self, user) -> bool:
        return user.is_authenticated and user.pk in (self.client_id, self.freelancer_id)

    def other(self, user):
        return self.freelancer if user.pk == self.client_id else self.client


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=5000, blank=True)
    # Contact details were hidden because the two sides had no contract yet.
    was_masked = models.BooleanField(default=False)
    # Set by send_message (its `now`), since a reply's response time is counted from it at once.
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "-id"], name="message_conversation_recent")]

    def __str__(self) -> str:
        return f"{self.sender_id}: {self.body[:40]}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="messages/%Y/%m/")
    original_name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    # A re-encoded thumbnail beside a raster image; the file itself is kept as it was sent.
    preview = models.FileField(storage=private_storage, upload_to="messages/previews/%Y/%m/", blank=True)

    def __str__(self) -> str:
        return self.original_name

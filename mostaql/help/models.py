"""The help centre: questions and answers by topic, and support tickets that staff answer."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mostaql.core.models import TimeStampedModel
from mostaql.core.storage import private_storage
from mostaql.core.text import normalize_arabic


class Topic(models.TextChoices):
    ACCOUNT = "account", _("Account")
    PROJECTS = "projects", _("Projects and offers")
    SERVICES = "services", _("Services")
    PAYMENTS = "payments", _("Payments and withdrawals")
    DISPUTES = "disputes", _("Disputes")
    SAFETY = "safety", _("Safety and trust")


class Question(models.Model):
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    question = models.CharField(_("question (Arabic)"), max_length=200)
    question_en = models.CharField(_("question (English)"), max_length=200, blank=True)
    answer = models.TextField(_("answer (Arabic, Markdown)"), max_length=10_000)
    answer_en = models.TextField(_("answer (English, Markdown)"), max_length=10_000, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    # Both languages, folded by normalize_arabic, so «الاموال» finds «الأموال» and «withdraw» finds it too.
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["topic", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.question

    def save(self, *args, **kwargs):
        self.search_text = searchable_text(self.question, self.question_en, self.answer, self.answer_en)
        super().save(*args, **kwargs)

    @property
    def is_english_shown(self) -> bool:
        return bool(self.answer_en and self.question_en) and translation.get_language() == "en"

    @property
    def shown_question(self) -> str:
        return self.question_en if self.is_english_shown else self.question

    @property
    def shown_answer(self) -> str:
        return self.answer_en if self.is_english_shown else self.answer

    @property
    def shown_language(self) -> str:
        return "en" if self.is_english_shown else "ar"


def searchable_text(*texts: str) -> str:
    return normalize_arabic(" ".join(text for text in texts if text))


def ticket_attachment_path(ticket, filename: str) -> str:
    return f"support/{filename}"


class Ticket(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("e-mail address"))
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"))
    attachment = models.FileField(storage=private_storage, upload_to=ticket_attachment_path, blank=True)
    attachment_name = models.CharField(max_length=120, blank=True)
    # The language the person wrote in: the answer is e-mailed in it.
    language = models.CharField(max_length=8, default="ar")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("support ticket")
        verbose_name_plural = _("support tickets")
        indexes = [models.Index(fields=["status", "created_at"], name="help_ticket_queue")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("help:ticket_review", args=[self.pk])


class TicketReply(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("answer"))
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"#{self.ticket_id}: {self.body[:40]}"

"""Guides: articles that teach newcomers to freelance, grouped in tracks, written by staff in Markdown.

Arabic is the text every article has; the English fields are filled where someone wrote them, and
the page shows them to a visitor who chose English (else the Arabic, marked as Arabic).
"""

from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mostaql.core.models import TimeStampedModel


def _in_language(arabic: str, english: str) -> str:
    return english if english and translation.get_language() == "en" else arabic


class Track(models.Model):
    slug = models.SlugField(_("address"), max_length=60, unique=True)
    title = models.CharField(_("title (Arabic)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    description = models.TextField(_("description (Arabic)"), max_length=500, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        return _in_language(self.title, self.title_en)

    @property
    def shown_description(self) -> str:
        return _in_language(self.description, self.description_en)


class Article(TimeStampedModel):
    track = models.ForeignKey(
        Track, on_delete=models.PROTECT, related_name="articles", verbose_name=_("track")
    )
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title (Arabic)"), max_length=150)
    title_en = models.CharField(_("title (English)"), max_length=150, blank=True)
    summary = models.CharField(_("summary (Arabic)"), max_length=300)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    body = models.TextField(
        _("text (Arabic, Markdown)"),
        max_length=60_000,
        help_text=_(
            "Markdown. Figures from the settings are written as placeholders and kept up to date: "
            "{commission_percent}, {freelancer_share_percent}, {clearance_days}, {auto_accept_days}, "
            "{review_window_days}, {offers_per_month}, {min_offer}, {min_offer_net}, {min_withdrawal}."
        ),
    )
    body_en = models.TextField(_("text (English, Markdown)"), max_length=60_000, blank=True)
    position = models.PositiveSmallIntegerField(_("position in the track"), default=0)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Drafts are seen by staff only.")
    )
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)
    related = models.ManyToManyField("self", blank=True, symmetrical=True, verbose_name=_("related articles"))

    class Meta:
        ordering = ["track__position", "position", "id"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["is_published", "track", "position"], name="guides_article_listing")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("guides:article", args=[self.slug])

    @property
    def is_english_shown(self) -> bool:
        return bool(self.body_en) and translation.get_language() == "en"

    @property
    def shown_title(self) -> str:
        return self.title_en if self.is_english_shown and self.title_en else self.title

    @property
    def shown_summary(self) -> str:
        return self.summary_en if self.is_english_shown and self.summary_en else self.summary

    @property
    def shown_body(self) -> str:
        return self.body_en if self.is_english_shown else self.body

    @property
    def shown_language(self) -> str:
        return "en" if self.is_english_shown else "ar"

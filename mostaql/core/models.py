from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class SearchIndexed(models.Model):
    """What the search engine (core.search) reads of a row, written by the services that write the
    row (core.search.engine.index_fields): the title's words and stems, which rank, and the stems of
    the whole text, which match. A full-text index over `search_stems` follows the column on either
    database (core.search.index)."""

    search_title = models.TextField(editable=False, blank=True)  # the title's normalised words
    search_title_stems = models.TextField(editable=False, blank=True)
    search_stems = models.TextField(editable=False, blank=True)  # of the title and the other text

    class Meta:
        abstract = True


class SearchWord(models.Model):
    """A word of the searchable texts (projects, profiles, services): where a query's typos and other
    spellings are looked up, with pg_trgm's index on PostgreSQL. Words are added by the services that
    index a text and never removed: a word no longer in any text only makes a fuzzy match find less."""

    word = models.CharField(max_length=40, unique=True)
    stem = models.CharField(max_length=40, db_index=True)
    skeleton = models.CharField(max_length=40, db_index=True)

    def __str__(self) -> str:
        return self.word

"""Project search behind one interface: PostgreSQL full-text and trigram, or a simple SQLite match.

Both sides see the same normalised text (core.text.normalize_arabic), so «برمجه» finds «برمجة»
whichever database serves the page.
"""

from django.db import connection
from django.db.models import QuerySet

from mostaql.core.text import search_terms

# Arabic's definite article is glued to the word: «الشعار» should find «شعارات».
_ARTICLE = "ال"


def _stem(term: str) -> str:
    """Without the article, as long as three letters stay: «الالكتروني» (folded from «الإلكتروني»)
    → «كتروني», like «الكتروني». Migration 0004 does the same to the indexed text, in SQL."""
    while term.startswith(_ARTICLE) and len(term) > len(_ARTICLE) + 2:
        term = term[len(_ARTICLE) :]
    return term


def search_projects(projects: QuerySet, query: str) -> QuerySet:
    terms = search_terms(query)
    if not terms:
        return projects
    if connection.vendor == "postgresql":
        return _postgresql(projects, terms)
    return _simple(projects, terms)


def _simple(projects: QuerySet, terms: list[str]) -> QuerySet:
    """Every word must appear somewhere in the normalised title, description or skills."""
    for term in terms:
        projects = projects.filter(search_text__contains=_stem(term))
    return projects


def _prefix_query(terms: list[str]) -> str:
    """A to_tsquery text in which every word, quoted so that nothing in it is syntax, is a prefix.

    The arabic stemmer leaves «شعارات» as «شعارا»: only a prefix match lets «شعار» find it. The
    article comes off first, as it came off the indexed text (migration 0004).
    """
    quoted = ("'" + _stem(term).replace("\\", "\\\\").replace("'", "''") + "'" for term in terms)
    return " & ".join(f"{term}:*" for term in quoted)


def _postgresql(projects: QuerySet, terms: list[str]) -> QuerySet:
    """Full-text with the arabic configuration over the stored vector (migration 0004); only when
    that finds nothing, a typo-tolerant trigram match on the title. Both are served by GIN indexes,
    but OR-ing them made PostgreSQL recheck every trigram candidate: 760 ms for «تصميم شعار» on
    100,000 projects, against 25 ms for the full-text match alone."""
    from django.contrib.postgres.search import SearchQuery, SearchVectorField
    from django.db.models.expressions import RawSQL

    # The generated column is not a model field: named here, matched in WHERE, never selected.
    column = f'"{projects.model._meta.db_table}"."search_vector"'
    vector = RawSQL(column, [], output_field=SearchVectorField())
    matched = projects.alias(search_vector=vector).filter(
        search_vector=SearchQuery(_prefix_query(terms), config="arabic", search_type="raw")
    )
    if matched.exists():
        return matched
    return projects.filter(search_title__trigram_word_similar=" ".join(terms))

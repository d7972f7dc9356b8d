"""Project search behind one interface: PostgreSQL full-text and trigram, or a simple SQLite match.

Both sides see the same normalised text (core.text.normalize_arabic), so «برمجه» finds «برمجة»
whichever database serves the page.
"""

import re

from django.db import connection
from django.db.models import Expression, QuerySet

from mostaql.core.text import normalize_arabic, search_terms

# Arabic's definite article is glued to the word: «الشعار» should find «شعارات». It comes off the
# start of every run of Arabic letters, as often as three letters stay («الالكتروني», folded from
# «الإلكتروني», → «كتروني», like «الكتروني»). Migration 0004 applies this very pattern to the indexed
# text in SQL; PostgreSQL's regular expressions read it as Python's do.
ARTICLE_PATTERN = r"(^|[^\u0621-\u064a])(ال)+([\u0621-\u064a]{3,})"
_ARTICLE = re.compile(ARTICLE_PATTERN)
# Shorter words are matched whole: as prefixes, «م» or «ui» would match nearly everything.
PREFIX_MIN_LETTERS = 3


def index_project(project, skills) -> None:
    """Fill the project's search fields from its title, description and skills (not saved here): what
    search_projects matches against."""
    skill_names = " ".join(f"{skill.name_ar} {skill.name_en}" for skill in skills)
    project.search_title = normalize_arabic(project.title)[:120]
    project.search_text = normalize_arabic(f"{project.title} {project.description} {skill_names}")


def _stem(text: str) -> str:
    return _ARTICLE.sub(r"\1\3", text)


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
    """A to_tsquery text in which every word is quoted, so that nothing in it is syntax, and words of
    three letters or more are prefixes: the arabic stemmer leaves «شعارات» as «شعارا», and only a
    prefix match lets «شعار» find it. The article comes off first, as it came off the indexed text."""
    words = []
    for term in map(_stem, terms):
        quoted = "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
        words.append(f"{quoted}:*" if len(term) >= PREFIX_MIN_LETTERS else quoted)
    return " & ".join(words)


class StoredSearchVector(Expression):
    """The generated column of migration 0004, which is not a model field, on the query's own table
    (aliased when the query runs as a subquery)."""

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.{connection.ops.quote_name('search_vector')}", []


def _postgresql(projects: QuerySet, terms: list[str]) -> QuerySet:
    """Full-text with the arabic configuration over the stored vector; only when that finds nothing, a
    typo-tolerant trigram match on the title. Both are served by GIN indexes, but OR-ing them made
    PostgreSQL recheck every trigram candidate: 760 ms for «تصميم شعار» on 100,000 projects, against
    25 ms for the full-text match alone."""
    from django.contrib.postgres.search import SearchQuery

    matched = projects.alias(search_vector=StoredSearchVector()).filter(
        search_vector=SearchQuery(_prefix_query(terms), config="arabic", search_type="raw")
    )
    if matched.exists():
        return matched
    return projects.filter(search_title__trigram_word_similar=" ".join(terms))

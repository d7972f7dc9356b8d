"""One search engine for every list with a search box: the app passes its queryset, the engine
filters it to the rows that match every word of the query and can rank them.

A query word matches a row when one of its stems is among the row's stems (analysis.stems), or,
for a word that no indexed text holds, when the row holds a word that is a one-letter typo of it or
another spelling of the same transliterated name (words looked up in the SearchWord vocabulary).

The rank adds, for each query word: 8 when the title holds the word as typed, 4 when it holds one
of its stems, 2 and 1 for the same in the other text (description, skills, name); a fuzzy match
adds nothing. So a title match ranks above a description match, exact above stemmed, stemmed above
fuzzy; the app breaks ties by recency.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.db.models import BooleanField, Case, Expression, QuerySet, Value, When

from mostaql.core.models import SearchWord
from mostaql.core.search import analysis
from mostaql.core.search.analysis import Document
from mostaql.core.search.index import COLUMNS, WEIGHTS, fts_table

TITLE_WORD, TITLE_STEM, TEXT_WORD, TEXT_STEM = 8, 4, 2, 1
# Other words a query word may stand for (typos, spellings), the most similar first.
MAX_FUZZY_WORDS = 6


@dataclass(frozen=True)
class Term:
    """One word of a query: as typed (normalised), its stems, and the words it may stand for."""

    word: str
    stems: tuple[str, ...]
    fuzzy_words: tuple[str, ...] = ()

    @property
    def fuzzy_stems(self) -> tuple[str, ...]:
        found = dict.fromkeys(stem for word in self.fuzzy_words for stem in analysis.stems(word))
        return tuple(stem for stem in found if stem not in self.stems)

    @property
    def all_stems(self) -> tuple[str, ...]:
        return self.stems + self.fuzzy_stems


@dataclass(frozen=True)
class Query:
    """A parsed query: empty when nothing in it is a word (punctuation, diacritics, emoji)."""

    text: str
    terms: tuple[Term, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def matches_word(self, word: str) -> bool:
        """Whether a normalised word of a text is one the query found (for highlighting)."""
        return word in self._found_words or not self._found_stems.isdisjoint(analysis.stems(word))

    @cached_property
    def _found_words(self) -> frozenset[str]:
        return frozenset(word for term in self.terms for word in (term.word, *term.fuzzy_words))

    @cached_property
    def _found_stems(self) -> frozenset[str]:
        return frozenset(stem for term in self.terms for stem in term.all_stems)


def parse(text: str) -> Query:
    """The words of a search box's text, each with its stems; no database."""
    found = list(dict.fromkeys(analysis.words(text or "")))[: analysis.MAX_QUERY_WORDS]
    return Query(text=text or "", terms=tuple(Term(word, analysis.stems(word)) for word in found))


def expand(query: Query) -> Query:
    """The fuzzy words of each query word that no indexed text holds: one query to the vocabulary."""
    if not query:
        return query
    typed = [term.word for term in query.terms]
    stems = [stem for term in query.terms for stem in term.stems]
    skeletons = [analysis.skeleton(word) for word in typed]
    long_words = [word for word in typed if len(word) >= analysis.TYPO_MIN_LETTERS]
    placeholders = ", ".join(["%s"] * len(typed))
    conditions = [
        f"word IN ({placeholders})",
        f"stem IN ({', '.join(['%s'] * len(stems))})",
        f"skeleton IN ({placeholders})",
    ]
    params: list = [*typed, *stems, *skeletons]
    if connection.vendor == "postgresql":
        # pg_trgm's % operator, served by the vocabulary's trigram index; its default threshold (0.3)
        # is analysis.TYPO_MIN_SIMILARITY, which then decides on both databases.
        conditions += ["word %% %s"] * len(long_words)
        params += long_words
    else:
        # SQLite has no trigram index: the words of a length one letter away, judged in Python alike.
        conditions += ["length(word) BETWEEN %s AND %s"] * len(long_words)
        params += [bound for word in long_words for bound in (len(word) - 1, len(word) + 1)]
    table = SearchWord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT word, stem FROM "{table}" WHERE {" OR ".join(conditions)}', params)
        vocabulary = cursor.fetchall()
    known_words = {word for word, _stem in vocabulary}
    known_stems = {stem for _word, stem in vocabulary}
    terms = []
    for term in query.terms:
        if term.word in known_words or known_stems & set(term.stems):
            terms.append(term)
            continue
        fuzzy = [
            word
            for word in known_words
            if analysis.is_variant_of(term.word, word) or analysis.is_typo_of(term.word, word)
        ]
        fuzzy.sort(key=lambda word: (-analysis.similarity(term.word, word), word))
        terms.append(Term(term.word, term.stems, tuple(fuzzy[:MAX_FUZZY_WORDS])))
    return Query(text=query.text, terms=tuple(terms))


class Matches(Expression):
    """True where a row's index matches a query: the generated tsvector on PostgreSQL, the FTS5 table
    on SQLite. Named on the query's own table, so that a search also works as a subquery."""

    output_field = BooleanField()

    def __init__(self, tsquery: str, fts_query: str):
        super().__init__()
        self.tsquery, self.fts_query = tsquery, fts_query

    def as_sql(self, compiler, connection):
        raise NotImplementedError(f"No full-text index on {connection.vendor}")

    def as_postgresql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.search_vector @@ %s::tsquery", [self.tsquery]

    def as_sqlite(self, compiler, connection):
        meta = compiler.query.model._meta
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        fts = connection.ops.quote_name(fts_table(meta.db_table))
        pk = connection.ops.quote_name(meta.pk.column)
        return f"{table}.{pk} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [self.fts_query]


def _tsquery(words, weight: str = "") -> str:
    return "(" + " | ".join(f"'{word}'{':' + weight if weight else ''}" for word in words) + ")"


def _fts_query(words, column: str = "") -> str:
    group = "(" + " OR ".join(f'"{word}"' for word in words) + ")"
    return f"{{{column}}} : {group}" if column else group


def _matches(words, column: str = "") -> Matches:
    return Matches(_tsquery(words, WEIGHTS.get(column, "")), _fts_query(words, column))


def _all_of(query: Query) -> Matches:
    groups = [term.all_stems for term in query.terms]
    return Matches(
        " & ".join(_tsquery(group) for group in groups), " AND ".join(_fts_query(group) for group in groups)
    )


def rank(query: Query) -> Expression:
    """The relevance of a matching row (see the module's docstring), as one integer expression."""
    tiers = []
    for term in query.terms:
        for words, column, points in (
            ((term.word,), COLUMNS[0], TITLE_WORD),
            (term.stems, COLUMNS[1], TITLE_STEM),
            ((term.word,), COLUMNS[2], TEXT_WORD),
            (term.stems, COLUMNS[3], TEXT_STEM),
        ):
            tiers.append(Case(When(_matches(words, column), then=Value(points)), default=Value(0)))
    total = tiers[0]
    for tier in tiers[1:]:
        total = total + tier
    return total


def search(queryset: QuerySet, query: Query, *, ranked: bool = False) -> QuerySet:
    """The rows of `queryset` that match every word of `query` (an expanded one, see expand());
    with `ranked`, aliased `search_rank` for the caller's order_by. An empty query filters nothing."""
    if not query:
        return queryset
    queryset = queryset.filter(_all_of(query))
    if ranked:
        queryset = queryset.alias(search_rank=rank(query))
    return queryset


def index_fields(document: Document) -> dict[str, str]:
    """The SearchIndexed columns of a row, from its document: `Model(**index_fields(...))`."""
    return dict(
        zip(
            COLUMNS,
            (document.title_words, document.title_stems, document.body_words, document.body_stems),
            strict=True,
        )
    )


def remember_words(document: Document) -> None:
    """Add a text's words to the vocabulary that typos and spellings are looked up in (one query)."""
    SearchWord.objects.bulk_create(
        [
            SearchWord(word=word, stem=analysis.stems(word)[0], skeleton=analysis.skeleton(word))
            for word in sorted(document.all_words)
        ],
        ignore_conflicts=True,
    )

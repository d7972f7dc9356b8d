"""One search engine for every list with a search box: the app passes its queryset, the engine
keeps the rows that match every word of the query, and can order them by relevance.

A query word matches a row when one of its stems is among the row's stems (analysis.stems), or,
for a word that no indexed text holds, when the row holds a word that is a one-letter typo of it or
another spelling of the same transliterated name (words looked up in the SearchWord vocabulary).

Relevance is a level, then recency: 4 when the title holds every word of the query as typed, 3 when
it holds each of them or one of its stems, 2 when it holds some of them, 1 when the matches are in
the other text (description, skills, bio). So title matches rank above description matches, exact
above stemmed; a word matched only through a typo or another spelling never makes a level 4, and is
matched that way only when no text holds the word itself.

The levels use the title's columns only, a few short strings: ranking never reads the descriptions.
On PostgreSQL each level is its own query, newest first and cut at the page's end, the four joined
by UNION ALL: a common word's matches are many thousands, and a single ORDER BY over a computed rank
read every one of them from the table (80 ms for «ترجمة» on 100,000 projects) where each level stops
at the page. SQLite orders by the level computed in one query, to the same result.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.db.models import BooleanField, Case, Expression, Q, QuerySet, Value, When

from mostaql.core.models import SearchWord
from mostaql.core.search import analysis
from mostaql.core.search.analysis import Document
from mostaql.core.search.index import COLUMNS, TITLE_VECTORS, fts_table

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
    return expand_many([query])[0]


# Words looked up in the vocabulary per query, when many queries are expanded at once (expand_many).
VOCABULARY_CHUNK = 500


def _vocabulary(terms: list[Term]) -> list[tuple[str, str]]:
    """The vocabulary's words that the terms' words may be, or stand for: (word, stem) pairs."""
    typed = [term.word for term in terms]
    stems = [stem for term in terms for stem in term.stems]
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
        return cursor.fetchall()


def expand_many(queries: list[Query]) -> list[Query]:
    """expand() of each query, the vocabulary read once per VOCABULARY_CHUNK distinct words rather than
    once per query (the saved searches' alerts expand thousands at a time). A word's fuzzy words
    depend on that word alone, so each query comes out as expand() alone would make it."""
    distinct = list({term.word: term for query in queries for term in query.terms}.values())
    vocabulary: list[tuple[str, str]] = []
    for start in range(0, len(distinct), VOCABULARY_CHUNK):
        vocabulary += _vocabulary(distinct[start : start + VOCABULARY_CHUNK])
    known_words = {word for word, _stem in vocabulary}
    known_stems = {stem for _word, stem in vocabulary}
    expanded: dict[str, Term] = {}
    for term in distinct:
        if term.word in known_words or known_stems & set(term.stems):
            expanded[term.word] = term
            continue
        fuzzy = [
            word
            for word in known_words
            if analysis.is_variant_of(term.word, word) or analysis.is_typo_of(term.word, word)
        ]
        fuzzy.sort(key=lambda word: (-analysis.similarity(term.word, word), word))
        expanded[term.word] = Term(term.word, term.stems, tuple(fuzzy[:MAX_FUZZY_WORDS]))
    return [
        Query(text=query.text, terms=tuple(expanded[term.word] for term in query.terms)) if query else query
        for query in queries
    ]


def holds(query: Query, stems: frozenset[str]) -> bool:
    """Matches in Python, for rows already read: whether a row whose `search_stems` are `stems` matches
    every word of an expanded query (one of each word's stems, or of its fuzzy words' stems, is among
    them). The alerts of saved searches test a few new rows against many queries this way, where the
    lists ask the database to test many rows against one."""
    return all(not stems.isdisjoint(term.all_stems) for term in query.terms)


class Matches(Expression):
    """True where a row's stems match a query: the generated tsvector on PostgreSQL, the FTS5 table on
    SQLite. Named on the query's own table, so that a search also works as a subquery."""

    output_field = BooleanField()

    def __init__(self, query: "Query"):
        super().__init__()
        groups = [term.all_stems for term in query.terms]
        self.tsquery = " & ".join("(" + " | ".join(f"'{stem}'" for stem in group) + ")" for group in groups)
        self.fts_query = " AND ".join(
            "(" + " OR ".join(f'"{stem}"' for stem in group) + ")" for group in groups
        )

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


class TitleHolds(Expression):
    """True where a title column (words or stems, space-separated) holds, for every group of words
    (or for one group at least, with `every=False`), one of the group's words."""

    output_field = BooleanField()

    def __init__(self, column: str, groups: list[tuple[str, ...]], *, every: bool):
        super().__init__()
        self.column, self.groups, self.every = column, groups, every

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        padded = f"(' ' || {table}.{connection.ops.quote_name(self.column)} || ' ')"
        # Words are letters and digits only (analysis.words): nothing in them is LIKE syntax.
        clauses = ["(" + " OR ".join(f"{padded} LIKE %s" for _word in group) + ")" for group in self.groups]
        params = [f"% {word} %" for group in self.groups for word in group]
        return "(" + (" AND " if self.every else " OR ").join(clauses) + ")", params

    def as_postgresql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        groups = ["(" + " | ".join(f"'{word}'" for word in group) + ")" for group in self.groups]
        tsquery = (" & " if self.every else " | ").join(groups)
        return f"{table}.{TITLE_VECTORS[self.column]} @@ %s::tsquery", [tsquery]


def levels(query: "Query") -> list[tuple[int, Expression]]:
    """The relevance levels above 1 (see the module's docstring), highest first."""
    exact = [(term.word,) for term in query.terms]
    stemmed = [term.all_stems for term in query.terms]
    return [
        (4, TitleHolds("search_title", exact, every=True)),
        (3, TitleHolds("search_title_stems", stemmed, every=True)),
        (2, TitleHolds("search_title_stems", stemmed, every=False)),
    ]


class RankedResults:
    """The rows of a search, the most relevant first, then by `recency` (order_by fields): a sequence
    that Django's Paginator and the API's pages slice. Each slice costs two queries: the ids of the
    page, ranked, then its rows (with the queryset's select_related, prefetch_related and only)."""

    ordered = True

    def __init__(self, base: QuerySet, query: "Query", recency: tuple[str, ...]):
        """`base`: the rows to search (filtered, not yet matched); `query`: an expanded query."""
        self.base, self.query, self.recency = base, query, recency
        self.matches = search(base, query)

    def _with(self, base: QuerySet) -> "RankedResults":
        return RankedResults(base, self.query, self.recency)

    def only(self, *fields) -> "RankedResults":
        return self._with(self.base.only(*fields))

    def select_related(self, *fields) -> "RankedResults":
        return self._with(self.base.select_related(*fields))

    def prefetch_related(self, *lookups) -> "RankedResults":
        return self._with(self.base.prefetch_related(*lookups))

    def order_by(self, *fields) -> QuerySet:
        """The matches in another order (unranked): what a paginator counts."""
        return self.matches.order_by(*fields)

    def count(self) -> int:
        return self.matches.order_by().count()

    def exists(self) -> bool:
        return self.matches.exists()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[: self.count()])

    def __getitem__(self, key):
        if isinstance(key, int):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        if stop is None:
            stop = self.count()
        ids = self._ranked_ids(start, stop) if stop > start else []
        rows = self.matches.order_by().in_bulk(ids)
        return [rows[pk] for pk in ids]

    def _ranked_ids(self, start: int, stop: int) -> list:
        pk = self.matches.model._meta.pk.name
        recency = tuple(pk if field.lstrip("-") == "pk" else field.lstrip("-") for field in self.recency)
        ordering = tuple(
            ("-" if field.startswith("-") else "") + name
            for field, name in zip(self.recency, recency, strict=True)
        )
        if connection.vendor != "postgresql":
            level = Case(
                *(When(condition, then=Value(number)) for number, condition in levels(self.query)),
                default=Value(1),
            )
            ranked = self.matches.alias(search_level=level).order_by("-search_level", *ordering)
            return list(ranked.values_list(pk, flat=True)[start:stop])
        # Each level newest first, cut at the page's end; PostgreSQL runs the parts of a UNION ALL
        # one after the other and stops at its LIMIT, so a level below a full page is never read. A
        # title level implies the match, so its part asks the title's small vector alone. The parts
        # come in order; the stable sort by level only makes sure of it.
        parts, higher = [], None
        for number, condition in [*levels(self.query), (1, None)]:
            part = self.base.order_by() if number >= 3 else self.matches.order_by()
            if condition is not None:
                part = part.filter(condition)
            if higher is not None:
                part = part.filter(~Q(higher))
            higher = condition
            part = part.annotate(search_level=Value(number)).order_by(*ordering)
            parts.append(
                part.values_list(pk, "search_level", *[name for name in recency if name != pk])[:stop]
            )
        rows = sorted(parts[0].union(*parts[1:], all=True)[:stop], key=lambda row: -row[1])
        return [row[0] for row in rows[start:stop]]


def search(queryset: QuerySet, query: Query) -> QuerySet:
    """The rows of `queryset` that match every word of `query` (an expanded one, see expand()), in
    the queryset's order. An empty query filters nothing."""
    return queryset.filter(Matches(query)) if query else queryset


def ranked(queryset: QuerySet, query: Query, *, recency: tuple[str, ...]) -> RankedResults:
    """The rows of `queryset` that match `query`, the most relevant first, then by `recency`."""
    return RankedResults(queryset, query, recency)


def index_fields(document: Document) -> dict[str, str]:
    """The SearchIndexed columns of a row, from its document: `Model(**index_fields(...))`."""
    return dict(zip(COLUMNS, (document.title_words, document.title_stems, document.stems), strict=True))


def remember_words(document: Document) -> None:
    """Add a text's words to the vocabulary that typos and spellings are looked up in (one query)."""
    SearchWord.objects.bulk_create(
        [
            SearchWord(word=word, stem=analysis.stems(word)[0], skeleton=analysis.skeleton(word))
            for word in sorted(document.all_words)
        ],
        ignore_conflicts=True,
    )

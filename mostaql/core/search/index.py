"""The full-text index over a SearchIndexed table's `search_stems`, on either database.

PostgreSQL: a stored generated tsvector (`search_vector`), stripped of positions, with a GIN index.
The `simple` configuration only lower-cases: the stems are ours (analysis.py), written once by the
services, so PostgreSQL keeps the vector in step with every INSERT and UPDATE (COPY included) and
nothing stems twice. The `arabic` configuration of 0004 stemmed a second time, unevenly.

SQLite: an FTS5 table over the same column, whose content is the table itself, kept by three
triggers. Django rebuilds a SQLite table for most changes of its columns, which drops its triggers:
so they are not made by a migration but after every `migrate` (core.apps), and an index found
without its triggers is rebuilt from the table.
"""

from django.apps import apps
from django.db import connection as default_connection
from django.db import connections

from mostaql.core.models import SearchIndexed
from mostaql.core.search.analysis import document, skeleton, stems

COLUMNS = ("search_title", "search_title_stems", "search_stems")
INDEXED_COLUMNS = ("search_stems",)


# The title's columns have small vectors of their own on PostgreSQL: ranking asks whether the title
# holds a word, and the planner's statistics on a tsvector (its most common lexemes) tell it how many
# rows will, where a LIKE on the text was a blind guess that made it walk 88,000 rows for none.
TITLE_VECTORS = {"search_title": "search_title_vector", "search_title_stems": "search_title_stems_vector"}


def vector_column_sql(table: str) -> list[str]:
    """PostgreSQL: the generated vectors and their indexes (a migration runs these)."""
    statements = []
    for column, vector in [("search_stems", "search_vector"), *TITLE_VECTORS.items()]:
        statements += [
            f'ALTER TABLE "{table}" ADD COLUMN {vector} tsvector GENERATED ALWAYS AS '
            f"(strip(to_tsvector('simple'::regconfig, COALESCE({column}, '')))) STORED",
            f'CREATE INDEX "{table}_{vector}" ON "{table}" USING gin ({vector})',
        ]
    return statements


def drop_vector_column_sql(table: str) -> list[str]:
    return [  # their indexes go with them
        f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS {vector}'
        for vector in ("search_vector", *TITLE_VECTORS.values())
    ]


def fts_table(table: str) -> str:
    return f"{table}_fts"


def _sqlite_statements(table: str, pk: str) -> list[str]:
    fts, columns = fts_table(table), ", ".join(INDEXED_COLUMNS)
    new = ", ".join(f"new.{column}" for column in INDEXED_COLUMNS)
    old = ", ".join(f"old.{column}" for column in INDEXED_COLUMNS)
    delete = f'INSERT INTO "{fts}"("{fts}", rowid, {columns}) VALUES (\'delete\', old."{pk}", {old});'
    insert = f'INSERT INTO "{fts}"(rowid, {columns}) VALUES (new."{pk}", {new});'
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_insert" AFTER INSERT ON "{table}" BEGIN {insert} END',
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_delete" AFTER DELETE ON "{table}" BEGIN {delete} END',
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_update" AFTER UPDATE OF {columns} ON "{table}" '
        f"BEGIN {delete} {insert} END",
    ]


def ensure_sqlite_index(table: str, pk: str = "id", connection=default_connection) -> bool:
    """Make the FTS5 table and its triggers where they are missing; True when it had to."""
    fts = fts_table(table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s AND name LIKE %s",
            [table, f"{fts}_%"],
        )
        (triggers,) = cursor.fetchone()
        if triggers == 3:
            return False
        cursor.execute(
            f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5({", ".join(INDEXED_COLUMNS)}, '
            f"content='{table}', content_rowid='{pk}', tokenize='unicode61 remove_diacritics 0')"
        )
        for statement in _sqlite_statements(table, pk):
            cursor.execute(statement)
        cursor.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')')
    return True


def ensure_search_indexes(using: str = "default", **kwargs) -> None:
    """After every migrate (and flush): SQLite's FTS5 tables and triggers for every SearchIndexed
    model, since Django rebuilds a SQLite table without its triggers for most changes to its columns."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if issubclass(model, SearchIndexed) and model._meta.db_table in tables:
            ensure_sqlite_index(model._meta.db_table, model._meta.pk.column, connection)


def on_postgresql(statements: list[str]):
    """A RunPython function for a migration: the statements on PostgreSQL, nothing elsewhere."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


def backfill(model, words_model, texts, *, related=(), batch_size: int = 500) -> None:
    """For a data migration: write the search columns of every row of `model` from `texts(row)` →
    (title, other text), and add their words to the vocabulary (`words_model`, core.SearchWord).
    `related`: the many-to-many fields that `texts` reads, fetched a batch at a time."""
    vocabulary: set[str] = set()
    rows = []
    for row in model.objects.prefetch_related(*related).iterator(chunk_size=batch_size):
        title, body = texts(row)
        indexed = document(title=title, body=body)
        for column, value in zip(
            COLUMNS, (indexed.title_words, indexed.title_stems, indexed.stems), strict=True
        ):
            setattr(row, column, value)
        vocabulary |= indexed.all_words
        rows.append(row)
        if len(rows) >= batch_size:
            model.objects.bulk_update(rows, COLUMNS)
            rows = []
    model.objects.bulk_update(rows, COLUMNS)
    words_model.objects.bulk_create(
        [words_model(word=word, stem=stems(word)[0], skeleton=skeleton(word)) for word in sorted(vocabulary)],
        batch_size=batch_size,
        ignore_conflicts=True,
    )

"""PostgreSQL only: the full-text vector is stored in a generated column, indexed by GIN.

The expression index of 0002 matched well through its bitmap scan, but the list's plan walks the
"newest first" index and keeps the first 25 rows that match: each row it looks at then ran the Arabic
stemmer on its whole text again (about 50 µs a row, 50 ms for a common word on 100,000 projects).
A stored vector is read, not computed. The column is not a model field, so Django never writes it;
PostgreSQL keeps it in step with search_text on every INSERT and UPDATE.
"""

from django.db import migrations

# Before stemming, the article «ال» comes off the start of every run of Arabic letters, as often as
# three letters stay, with the pattern search.py applies to the words of a query (ARTICLE_PATTERN):
# the arabic stemmer treats «البرمجه» and «برمجه» differently («برمجه» and «رمج»), and only the
# same treatment on both sides lets one find the other. strip(): positions and weights are never
# used (no ranking, no phrases), and the vector is a third smaller.
CREATE = [
    "ALTER TABLE projects_project ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(strip(to_tsvector('arabic'::regconfig, "
    r"regexp_replace(COALESCE(search_text, ''), '(^|[^\u0621-\u064a])(ال)+([\u0621-\u064a]{3,})', "
    r"'\1\3', 'g')))) STORED",
    "CREATE INDEX project_search_vector ON projects_project USING gin (search_vector)",
    "DROP INDEX IF EXISTS project_search_fts",
]
DROP = [
    "CREATE INDEX IF NOT EXISTS project_search_fts ON projects_project "
    "USING gin (to_tsvector('arabic'::regconfig, COALESCE(search_text, '')))",
    "ALTER TABLE projects_project DROP COLUMN search_vector",  # its index goes with it
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_list_index_with_id")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]

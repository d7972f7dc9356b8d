"""PostgreSQL only: full-text (arabic configuration) and trigram indexes for project search.

SQLite has neither; its search backend matches the normalised text with LIKE instead.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The same expression Django's SearchVector("search_text", config="arabic") compiles to,
    # so the planner can use the index for search.py's filter.
    "CREATE INDEX IF NOT EXISTS project_search_fts ON projects_project "
    "USING gin (to_tsvector('arabic'::regconfig, COALESCE(search_text, '')))",
    "CREATE INDEX IF NOT EXISTS project_search_title_trgm ON projects_project "
    "USING gin (search_title gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS project_search_title_trgm",
    "DROP INDEX IF EXISTS project_search_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]

"""Services are searched through core.search like projects: a `simple` vector over search_stems on
PostgreSQL (core.search.index); SQLite's FTS5 table and its triggers follow on their own after migrate.
No rows exist before this migration, so there is nothing to backfill."""

from django.db import migrations

from mostaql.core.search.index import drop_vector_column_sql, on_postgresql, vector_column_sql

TABLE = "gigs_service"


class Migration(migrations.Migration):
    dependencies = [("gigs", "0001_initial")]

    operations = [
        migrations.RunPython(on_postgresql(vector_column_sql(TABLE)), on_postgresql(drop_vector_column_sql(TABLE))),
    ]

"""The vocabulary that a query's typos and other spellings are looked up in (core.search.engine.expand):
on PostgreSQL with a trigram index, whose % operator finds a word's neighbours among all the others."""

from django.db import migrations, models

from mostaql.core.search.index import on_postgresql

TRIGRAMS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX core_searchword_trigrams ON core_searchword USING gin (word gin_trgm_ops)",
]


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=40, unique=True)),
                ("stem", models.CharField(db_index=True, max_length=40)),
                ("skeleton", models.CharField(db_index=True, max_length=40)),
            ],
        ),
        migrations.RunPython(
            on_postgresql(TRIGRAMS), on_postgresql(["DROP INDEX IF EXISTS core_searchword_trigrams"])
        ),
    ]

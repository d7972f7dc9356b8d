"""Projects are searched through core.search: the title's words and stems, which rank, and the stems
of all the text, which match, in three columns written by the services; under a `simple` vector on
PostgreSQL (replacing the `arabic` one of 0004, which stemmed unevenly) or an FTS5 table on SQLite
(core.search.index). The normalised text goes (the stems replace it), and so does the title's trigram
index of 0002: typos are now looked up among the vocabulary's words."""

from django.db import migrations, models

from mostaql.core.search.index import backfill, drop_vector_column_sql, on_postgresql, vector_column_sql

TABLE = "projects_project"
OLD_VECTOR = [*drop_vector_column_sql(TABLE), "DROP INDEX IF EXISTS project_search_title_trgm"]
OLD_VECTOR_BACK = [
    "ALTER TABLE projects_project ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(strip(to_tsvector('arabic'::regconfig, COALESCE(search_text, '')))) STORED",
    "CREATE INDEX project_search_vector ON projects_project USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS project_search_title_trgm ON projects_project "
    "USING gin (search_title gin_trgm_ops)",
]


def _texts(project) -> tuple[str, str]:
    skills = " ".join(f"{skill.name_ar} {skill.name_en}" for skill in project.skills.all())
    return project.title, f"{project.description} {skills}"


def index_projects(apps, schema_editor):
    backfill(
        apps.get_model("projects", "Project"), apps.get_model("core", "SearchWord"), _texts, related=["skills"]
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("projects", "0005_list_indexes_with_id")]

    operations = [
        migrations.RunPython(on_postgresql(OLD_VECTOR), on_postgresql(OLD_VECTOR_BACK)),
        migrations.AlterField(
            model_name="project", name="search_title", field=models.TextField(blank=True, editable=False)
        ),
        migrations.AddField(
            model_name="project", name="search_title_stems", field=models.TextField(blank=True, editable=False)
        ),
        migrations.AddField(
            model_name="project", name="search_stems", field=models.TextField(blank=True, editable=False)
        ),
        migrations.RemoveField(model_name="project", name="search_text"),
        migrations.RunPython(index_projects, migrations.RunPython.noop),
        migrations.RunPython(on_postgresql(vector_column_sql(TABLE)), on_postgresql(drop_vector_column_sql(TABLE))),
    ]

"""The directory is searched through core.search, like projects: the name's and the other text's
(professional title, bio, skills) stems, under a vector on PostgreSQL or an FTS5 table on SQLite
(core.search.index). The name and title's normalised text goes: the stems replace it."""

from django.db import migrations, models

from mostaql.core.search.index import backfill, drop_vector_column_sql, on_postgresql, vector_column_sql

TABLE = "accounts_profile"


def _texts(profile) -> tuple[str, str]:
    skills = " ".join(f"{skill.name_ar} {skill.name_en}" for skill in profile.skills.all())
    return f"{profile.user.name} {profile.title}", f"{profile.bio} {skills}"


def index_profiles(apps, schema_editor):
    backfill(
        apps.get_model("accounts", "Profile"), apps.get_model("core", "SearchWord"), _texts, related=["skills", "user"]
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("accounts", "0001_initial")]

    operations = [
        migrations.RemoveField(model_name="profile", name="search_text"),
        migrations.AddField(
            model_name="profile", name="search_title", field=models.TextField(blank=True, editable=False)
        ),
        migrations.AddField(
            model_name="profile", name="search_title_stems", field=models.TextField(blank=True, editable=False)
        ),
        migrations.AddField(
            model_name="profile", name="search_stems", field=models.TextField(blank=True, editable=False)
        ),
        migrations.RunPython(index_profiles, migrations.RunPython.noop),
        migrations.RunPython(on_postgresql(vector_column_sql(TABLE)), on_postgresql(drop_vector_column_sql(TABLE))),
    ]

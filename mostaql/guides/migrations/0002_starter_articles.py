"""The starter guides, as data, so that they exist wherever the site is deployed (mostaql/guides/starter.py)."""

from django.db import migrations


def add_starter_guides(apps, schema_editor):
    from mostaql.guides.starter import load_starter_guides

    load_starter_guides(apps.get_model("guides", "Track"), apps.get_model("guides", "Article"))


class Migration(migrations.Migration):
    dependencies = [("guides", "0001_initial")]

    operations = [migrations.RunPython(add_starter_guides, migrations.RunPython.noop)]

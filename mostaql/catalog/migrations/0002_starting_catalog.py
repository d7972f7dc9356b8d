from django.db import migrations


def load(apps, schema_editor):
    from mostaql.catalog.seed import load_catalog

    load_catalog(apps.get_model("catalog", "Category"), apps.get_model("catalog", "Skill"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""The help centre's first questions and answers, as data (mostaql/help/starter.py)."""

from django.db import migrations


def add_starter_questions(apps, schema_editor):
    from mostaql.help.starter import load_starter_questions

    load_starter_questions(apps.get_model("help", "Question"))


class Migration(migrations.Migration):
    dependencies = [("help", "0001_initial")]

    operations = [migrations.RunPython(add_starter_questions, migrations.RunPython.noop)]

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("contracts", "0007_one_milestone_per_existing_contract")]

    operations = [
        migrations.AlterField(
            model_name="contract",
            name="title",
            field=models.CharField(max_length=200, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="delivery",
            name="milestone",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="deliveries",
                to="contracts.milestone",
            ),
        ),
    ]

"""The list's other indexes end with the id too, so that their counts are index-only; and the skill
links get a (skill, project) index, so that "projects with this skill" is read from the index alone.
The link table is Django's own for the many-to-many field, so that index is plain SQL.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0002_starting_catalog'),
        ('projects', '0004_stored_search_vector'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='project',
            name='project_status_offers',
        ),
        migrations.RemoveIndex(
            model_name='project',
            name='project_status_category',
        ),
        migrations.RemoveIndex(
            model_name='project',
            name='project_status_budget',
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['status', 'offer_count', '-published_at', '-id'], name='project_status_offers_id'),
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['status', 'category', '-published_at', '-id'], name='project_status_category_id'),
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['status', 'budget', '-published_at', '-id'], name='project_status_budget_id'),
        ),
        migrations.RunSQL(
            "CREATE INDEX project_skills_skill_project ON projects_project_skills (skill_id, project_id)",
            "DROP INDEX project_skills_skill_project",
        ),
    ]

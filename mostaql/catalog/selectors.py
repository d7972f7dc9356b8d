from django.db.models import Prefetch, QuerySet

from mostaql.catalog.models import Category, Skill


def categories_with_skills() -> QuerySet[Category]:
    """Every category with its skills, in two queries (for filter menus and skill pickers)."""
    return Category.objects.prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("name_ar")))


def skill_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Skills grouped by category, ready for a <select> with <optgroup>s."""
    return [
        (category.name, [(skill.pk, skill.name) for skill in category.skills.all()])
        for category in categories_with_skills()
    ]

"""The starting catalog loaded by the data migration, and names that follow the page's language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import CATALOG, load_catalog
from mostaql.catalog.selectors import categories_with_skills, skill_choices

pytestmark = pytest.mark.django_db

ARABIC_LETTERS = set(chr(codepoint) for codepoint in range(0x0621, 0x064B))


def test_the_migration_loaded_nine_categories_of_eight_to_fifteen_skills():
    categories = list(categories_with_skills())

    assert len(categories) == 9
    for category in categories:
        assert 8 <= len(category.skills.all()) <= 15, category.slug


def test_every_category_and_skill_has_an_arabic_and_an_english_name():
    for row in [*Category.objects.all(), *Skill.objects.all()]:
        assert set(row.name_ar) & ARABIC_LETTERS, row.slug
        assert row.name_en.isascii() and row.name_en.strip(), row.slug


def test_slugs_are_unique_across_the_catalog():
    category_slugs = list(Category.objects.values_list("slug", flat=True))
    skill_slugs = list(Skill.objects.values_list("slug", flat=True))

    assert len(category_slugs) == len(set(category_slugs))
    assert len(skill_slugs) == len(set(skill_slugs))
    assert Skill.objects.count() == sum(len(skills) for _category, skills in CATALOG)


def test_categories_keep_the_order_of_the_seed():
    assert list(Category.objects.values_list("slug", flat=True)) == [
        category[0] for category, _skills in CATALOG
    ]


def test_names_follow_the_active_language():
    python = Skill.objects.get(slug="python")
    programming = Category.objects.get(slug="programming")

    with translation.override("ar"):
        assert (programming.name, python.name, str(python)) == ("برمجة وتطوير", "بايثون", "بايثون")
    with translation.override("en"):
        assert (programming.name, python.name, str(python)) == (
            "Programming & Development",
            "Python",
            "Python",
        )


def test_loading_the_catalog_again_adds_nothing_and_keeps_staff_edits():
    Skill.objects.filter(slug="python").update(name_ar="بايثون ٣")
    categories, skills = Category.objects.count(), Skill.objects.count()

    load_catalog(Category, Skill)

    assert (Category.objects.count(), Skill.objects.count()) == (categories, skills)
    assert Skill.objects.get(slug="python").name_ar == "بايثون ٣"


def test_skill_choices_are_grouped_by_category_in_two_queries():
    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        choices = skill_choices()

    assert len(queries) == 2
    assert len(choices) == 9
    programming_label, programming_skills = choices[0]
    assert programming_label == "Programming & Development"
    assert (Skill.objects.get(slug="python").pk, "Python") in programming_skills

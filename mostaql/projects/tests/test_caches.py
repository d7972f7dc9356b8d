"""The project pages' caches: each part is keyed by what it shows, so a change shows at once, and
nothing one visitor may see is ever served to another.

The cache is emptied before every test (conftest.py), so a test warms it itself.
"""

import html

import pytest

from mostaql.catalog.models import Category, Skill
from mostaql.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


# --- The filter menus of the list -----------------------------------------------------------------


def test_a_renamed_category_shows_in_the_filter_menu_at_once(client, django_capture_on_commit_callbacks):
    page(client, "/projects/")  # the menus are cached now
    category = Category.objects.get(slug="design")
    category.name_ar = "تصميم وفنون بصرية"
    with django_capture_on_commit_callbacks(execute=True):
        category.save()

    assert "تصميم وفنون بصرية" in page(client, "/projects/")


def test_a_new_skill_can_be_chosen_and_filtered_on_at_once(client, django_capture_on_commit_callbacks):
    project = ProjectFactory()
    page(client, "/projects/?skills=python")  # the slugs and the menus are cached now
    with django_capture_on_commit_callbacks(execute=True):
        skill = Skill.objects.create(
            category=Category.objects.get(slug="programming"), slug="rust", name_ar="رست", name_en="Rust"
        )
    project.skills.add(skill)

    assert '<option value="rust"' in page(client, "/projects/")
    assert f'href="/projects/{project.pk}/"' in page(client, "/projects/?skills=rust")


def test_the_filter_menus_follow_the_language_and_the_choice(client):
    arabic = page(client, "/projects/?category=design")
    client.cookies["django_language"] = "en"
    english = page(client, "/projects/?category=programming")

    assert '<option value="design" selected>تصميم' in arabic
    assert '<option value="programming" selected>Programming' in english
    assert '<option value="design">Design' in english


# --- The list's count -----------------------------------------------------------------------------


def test_a_long_list_counts_up_to_its_limit_and_says_there_are_more(client, settings):
    settings.PROJECTS_LIST_LIMIT = 30
    ProjectFactory.create_batch(31)
    client.cookies["django_language"] = "en"

    first, second = page(client, "/projects/"), page(client, "/projects/?page=2")

    assert "More than 30 projects found" in first
    assert "Page 1 of 2" in first
    assert second.count('class="card-title"') == 5  # 30 listed in all, not 31
    assert "Only the first 30 matches are listed" in second


def test_a_list_within_the_limit_has_its_exact_count(client, settings):
    settings.PROJECTS_LIST_LIMIT = 30
    ProjectFactory.create_batch(30)
    client.cookies["django_language"] = "en"

    text = page(client, "/projects/")

    assert "30 projects found" in text
    assert "More than" not in text

"""The admin: every page of accounts and catalog opens for staff, searches work, and it speaks Arabic."""

import re

import pytest

from mostaql.accounts import selectors, services
from mostaql.accounts.models import Profile, User
from mostaql.accounts.tests.factories import PortfolioItemFactory, UserFactory
from mostaql.catalog.models import Category, Skill

pytestmark = pytest.mark.django_db

MODELS = [
    "accounts/user",
    "accounts/profile",
    "accounts/portfolioitem",
    "catalog/category",
    "catalog/skill",
]


@pytest.fixture
def admin_client(client) -> object:
    superuser = User.objects.create_superuser(email="root@example.com", password="x", name="المدير")
    client.force_login(superuser)
    return client


@pytest.fixture
def rows():
    user = UserFactory(name="ليلى الشامي", email="layla@example.com")
    services.update_profile(
        user=user,
        name=user.name,
        primary_role="freelancer",
        title="مصممة شعارات",
        bio="",
        country="SY",
        skills=Skill.objects.filter(slug="logo-design"),
        hourly_rate_cents=None,
    )
    return {"user": user, "item": PortfolioItemFactory(profile=user.profile, title="هوية مقهى")}


@pytest.mark.parametrize("model", MODELS)
def test_each_changelist_opens(admin_client, rows, model):
    assert admin_client.get(f"/admin/{model}/").status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_each_add_page_opens(admin_client, model):
    assert admin_client.get(f"/admin/{model}/add/").status_code == 200


def test_each_change_page_opens(admin_client, rows):
    user, item = rows["user"], rows["item"]
    skill = Skill.objects.get(slug="python")
    for url in [
        f"/admin/accounts/user/{user.pk}/change/",
        f"/admin/accounts/profile/{user.profile.pk}/change/",
        f"/admin/accounts/portfolioitem/{item.pk}/change/",
        f"/admin/catalog/category/{skill.category_id}/change/",
        f"/admin/catalog/skill/{skill.pk}/change/",
    ]:
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("model", "query", "expected"),
    [
        ("accounts/user", "layla@", 1),
        ("accounts/user", "ليلى", 1),
        ("accounts/profile", "مصممة", 1),
        ("accounts/profile", "layla@example.com", 1),
        ("accounts/portfolioitem", "مقهى", 1),
        ("accounts/portfolioitem", "ليلى", 1),
        ("catalog/category", "تصميم", 1),
        ("catalog/category", "Design", 1),
        ("catalog/skill", "بايثون", 1),
        ("catalog/skill", "nothing-like-this", 0),
    ],
)
def test_admin_search_finds_rows(admin_client, rows, model, query, expected):
    response = admin_client.get(f"/admin/{model}/", {"q": query})

    assert response.status_code == 200
    assert response.context["cl"].result_count == expected


def test_the_skill_picker_autocompletes_in_arabic(admin_client):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "accounts", "model_name": "profile", "field_name": "skills", "term": "بايثون"},
    )

    assert response.status_code == 200
    assert [result["text"] for result in response.json()["results"]] == ["بايثون"]


def test_the_admin_is_in_arabic_and_right_to_left(admin_client):
    response = admin_client.get("/admin/")

    tag = re.search(r"<html([^>]*)>", response.content.decode()).group(1)
    assert 'lang="ar"' in tag
    assert 'dir="rtl"' in tag


def test_a_visitor_is_sent_to_the_admin_login(client):
    response = client.get("/admin/accounts/user/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_category_is_added_in_the_admin(admin_client):
    response = admin_client.post(
        "/admin/catalog/category/add/",
        {
            "name_ar": "ألعاب",
            "name_en": "Games",
            "slug": "games",
            "position": "20",
            "skills-TOTAL_FORMS": "1",
            "skills-INITIAL_FORMS": "0",
            "skills-MIN_NUM_FORMS": "0",
            "skills-MAX_NUM_FORMS": "1000",
            "skills-0-name_ar": "يونيتي",
            "skills-0-name_en": "Unity",
            "skills-0-slug": "unity",
        },
    )

    assert response.status_code == 302
    assert Category.objects.get(slug="games").skills.get().slug == "unity"


def test_a_user_added_in_the_admin_has_a_profile(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "new@example.com",
            "name": "عضو جديد",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert Profile.objects.filter(user=user).exists()


def test_a_title_corrected_in_the_admin_is_what_the_directory_finds(admin_client, rows):
    profile = rows["user"].profile

    response = admin_client.post(
        f"/admin/accounts/profile/{profile.pk}/change/",
        {
            "slug": profile.slug,
            "title": "رسامة كتب أطفال",
            "bio": "",
            "country": "SY",
            "skills": [str(Skill.objects.get(slug="logo-design").pk)],
            "hourly_rate_cents": "",
        },
    )

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.title == "رسامة كتب أطفال"
    assert [found.pk for found in selectors.freelancer_directory(query="رسامة")] == [profile.pk]


def test_the_admin_cannot_deactivate_an_account_around_the_suspension(admin_client, rows):
    user = rows["user"]
    page = admin_client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert 'name="is_active"' not in page  # shown, not editable: suspending is a moderation service

    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "email": user.email,
            "name": user.name,
            "primary_role": user.primary_role,
            "is_active": "",  # an unticked box, if the field were there
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active

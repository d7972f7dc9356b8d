"""The reads behind the directory and profile pages: what they find, and what they cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mostaql.accounts import selectors, services
from mostaql.accounts.models import PortfolioItem, Profile, User
from mostaql.accounts.tests.factories import PortfolioItemFactory, UserFactory, image_upload
from mostaql.catalog.models import Skill
from mostaql.core.uploads import clean_image

pytestmark = pytest.mark.django_db


def freelancer(name: str, title: str = "", *, skills=(), **fields) -> Profile:
    user = UserFactory(name=name, **fields)
    return services.update_profile(
        user=user,
        name=name,
        primary_role=user.primary_role,
        title=title,
        bio="",
        country="",
        skills=Skill.objects.filter(slug__in=skills),
        hourly_rate_cents=None,
    )


def found(**filters) -> list[str]:
    return [profile.user.name for profile in selectors.freelancer_directory(**filters)]


# --- Directory search ---------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["مبرمج", "مُبَرمِج", "مبرمـــج", "مبرمج بايثون", "بايثون"])
def test_a_title_is_found_with_or_without_diacritics_and_tatweel(query):
    freelancer("عمر", "مبرمج بايثون")
    freelancer("منى", "مترجمة")

    assert found(query=query) == ["عمر"]


def test_a_name_with_hamza_is_found_without_it():
    freelancer("أحمد منصور")

    assert found(query="احمد") == ["أحمد منصور"]
    assert found(query="أحمد") == ["أحمد منصور"]


def test_a_word_ending_in_ta_marbuta_is_found_when_typed_with_ha():
    freelancer("ريم", "برمجة مواقع")

    assert found(query="برمجه") == ["ريم"]


def test_latin_words_are_found_in_any_case():
    freelancer("كريم", "مطور Django")

    assert found(query="django") == ["كريم"]
    assert found(query="DJANGO") == ["كريم"]


def test_every_word_of_the_query_must_match():
    freelancer("عمر", "مبرمج بايثون")
    freelancer("سمير", "مبرمج جافا")

    assert found(query="مبرمج جافا") == ["سمير"]
    assert sorted(found(query="مبرمج")) == ["سمير", "عمر"]


def test_a_plural_or_a_joined_letter_finds_the_title_and_skills_count_too():
    freelancer("عمر", "مبرمج تطبيقات", skills=["flutter"])
    freelancer("منى", "مترجمة")

    assert found(query="مبرمجين") == ["عمر"]
    assert found(query="وتطبيق") == ["عمر"]
    assert found(query="فلاتر") == ["عمر"]  # a skill's Arabic name …
    assert found(query="FLUTTER") == ["عمر"]  # … and its English one


def test_a_name_or_title_match_ranks_above_a_bio_match():
    in_bio = freelancer("سامي", "كاتب", last_login=timezone.now())
    services.update_profile(
        user=in_bio.user,
        name="سامي",
        primary_role=User.Role.FREELANCER,
        title="كاتب",
        bio="أعمل أيضاً في تصميم الشعارات منذ سنوات.",
        country="",
        skills=[],
        hourly_rate_cents=None,
    )
    freelancer("ليلى", "مصممة شعارات", last_login=timezone.now() - datetime.timedelta(days=30))

    assert found(query="شعار") == ["ليلى", "سامي"]


def test_the_directory_marks_the_found_words_and_escapes_the_rest(client):
    freelancer("<b>هدى</b>", "مبرمجة بايثون")

    text = client.get("/freelancers/", {"q": "برمجه بايثون"}).content.decode()

    assert "&lt;b&gt;هدى&lt;/b&gt;" in text
    assert "<mark>مبرمجة</mark> <mark>بايثون</mark>" in text


@pytest.mark.parametrize("query", ["' | & ! :*", "😀", "\x00", "ش" * 300])
def test_bad_input_gives_a_normal_directory_page(client, query):
    freelancer("عمر", "مبرمج بايثون")

    # A NUL byte is refused at the door (core.middleware), before any search; the rest is a normal page.
    assert client.get("/freelancers/", {"q": query}).status_code == (400 if "\x00" in query else 200)


def test_a_directory_search_that_finds_nobody_suggests_a_spelling_and_skills(client):
    freelancer("عمر", "مصمم شعار")

    # «شعاع»: four letters, too short to be taken for a typo of «شعار» without asking.
    text = client.get("/freelancers/", {"q": "مصمم شعاع"}).content.decode()

    assert ">مصمم شعار</a>" in text  # a spelling that finds Omar
    assert '<a href="?skill=logo-design">' in text  # and the nearest skill


def test_the_directory_holds_active_freelancers_only():
    freelancer("مستقل نشيط")
    freelancer("صاحب مشروع", primary_role=User.Role.CLIENT)
    freelancer("مستقل موقوف", is_active=False)

    assert found() == ["مستقل نشيط"]


def test_a_profile_with_several_skills_in_a_category_appears_once():
    freelancer("عمر", skills=["python", "django", "react", "apis"])
    freelancer("ليلى", skills=["logo-design", "photoshop"])

    assert found(category_slug="programming") == ["عمر"]
    assert found(category_slug="design") == ["ليلى"]
    assert found(category_slug="programming", query="عمر") == ["عمر"]
    assert found(category_slug="programming", skill_slug="django") == ["عمر"]
    assert found(category_slug="design", skill_slug="django") == []


def test_the_skill_filter_finds_people_with_that_skill():
    freelancer("عمر", skills=["python", "django"])
    freelancer("سمير", skills=["python"])

    assert sorted(found(skill_slug="python")) == ["سمير", "عمر"]
    assert found(skill_slug="django") == ["عمر"]


def test_people_seen_most_recently_come_first():
    older, newer = freelancer("قديم"), freelancer("حديث")
    User.objects.filter(pk=older.user_id).update(last_login="2026-01-01T00:00Z")
    User.objects.filter(pk=newer.user_id).update(last_login="2026-02-01T00:00Z")

    assert found() == ["حديث", "قديم"]


# --- Profile and portfolio reads -----------------------------------------------------------------


def test_a_deactivated_profile_is_not_found():
    profile = freelancer("موقوف", is_active=False)

    with pytest.raises(Profile.DoesNotExist):
        selectors.public_profile(slug=profile.slug)


def test_a_portfolio_item_is_found_only_under_its_owners_address():
    item = PortfolioItemFactory()
    stranger = UserFactory()

    assert selectors.portfolio_item_for_page(slug=item.profile.slug, pk=item.pk) == item
    with pytest.raises(PortfolioItem.DoesNotExist):
        selectors.portfolio_item_for_page(slug=stranger.profile.slug, pk=item.pk)


def test_my_portfolio_holds_only_my_items():
    me = UserFactory()
    mine = PortfolioItemFactory(profile=me.profile)
    PortfolioItemFactory()

    assert list(selectors.own_portfolio(user=me)) == [mine]


# --- Query counts: a page costs the same whatever the number of rows on it -------------------------


def queries_for(client, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types, translations) out of the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def make_freelancers(count: int) -> None:
    skills = list(Skill.objects.filter(category__slug="programming")[:4])
    for number in range(count):
        profile = freelancer(f"مستقل {number}", f"مبرمج رقم {number}")
        profile.skills.set(skills)


def test_the_directory_page_costs_the_same_with_5_and_50_freelancers(client, django_assert_num_queries):
    make_freelancers(5)
    with_five = queries_for(client, "/freelancers/")
    make_freelancers(45)
    client.get("/freelancers/")

    with django_assert_num_queries(with_five):
        response = client.get("/freelancers/")

    assert len(response.context["page"].object_list) == 20
    assert with_five <= 6


def test_a_filtered_directory_page_costs_the_same_with_5_and_50_freelancers(
    client, django_assert_num_queries
):
    url = "/freelancers/?q=مبرمج&category=programming&skill=python"
    make_freelancers(5)
    with_five = queries_for(client, url)
    make_freelancers(45)
    client.get(url)

    with django_assert_num_queries(with_five):
        client.get(url)


def add_portfolio(user: User, count: int) -> None:
    skills = list(Skill.objects.filter(slug__in=["django", "react"]))
    image = clean_image(image_upload())
    for number in range(count):
        services.create_portfolio_item(
            owner=user,
            title=f"عمل {number}",
            description="وصف",
            skills=skills,
            images=[image, image],
        )


def test_the_profile_page_costs_the_same_with_2_and_8_portfolio_items(client, django_assert_num_queries):
    user = freelancer("ليلى", "مصممة", skills=["logo-design", "photoshop"])
    add_portfolio(user.user, 2)
    url = f"/u/{user.slug}/"
    with_two = queries_for(client, url)
    add_portfolio(user.user, 6)
    client.get(url)

    with django_assert_num_queries(with_two):
        response = client.get(url)

    assert response.content.decode().count('class="card portfolio-card"') == 8
    assert with_two <= 7  # the identity badge: one query


def test_the_portfolio_item_page_costs_the_same_with_1_and_10_images(client, django_assert_num_queries):
    owner = UserFactory()
    item = services.create_portfolio_item(
        owner=owner, title="عمل", description="وصف", images=[clean_image(image_upload())]
    )
    url = item.get_absolute_url()
    with_one = queries_for(client, url)
    services.update_portfolio_item(
        owner=owner,
        item=item,
        title="عمل",
        description="وصف",
        new_images=[clean_image(image_upload()) for _number in range(9)],
    )
    client.get(url)

    with django_assert_num_queries(with_one):
        client.get(url)

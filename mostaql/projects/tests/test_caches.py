"""The project pages' caches: each part is keyed by what it shows, so a change shows at once, and
nothing one visitor may see is ever served to another.

The cache is emptied before every test (conftest.py), so a test warms it itself.
"""

import datetime
import html
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from mostaql.catalog.models import Category, Skill
from mostaql.core.cache import current_version
from mostaql.projects import services
from mostaql.projects.models import Offer
from mostaql.projects.tests.factories import (
    OFFER_TEXT,
    ProjectFactory,
    add_offers,
    freelancer_user,
    open_project,
    place_offer,
)
from mostaql.reviews.models import Reputation

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def card(page_html: str, offer) -> str:
    """The <li> of one offer on a project page."""
    match = re.search(rf'<li class="card offer-card" id="offer-{offer.pk}">(.*?)</li>', page_html, re.S)
    assert match, f"no card for offer {offer.pk}"
    return match.group(1)


def rename_design(name: str, capture_on_commit) -> None:
    """As staff do in the admin: the save's signal bumps the catalog's version on commit."""
    category = Category.objects.get(slug="design")
    category.name_ar = name
    with capture_on_commit(execute=True):
        category.save()


# --- The filter menus of the list -----------------------------------------------------------------


def test_a_renamed_category_shows_in_the_filter_menu_at_once(client, django_capture_on_commit_callbacks):
    page(client, "/projects/")  # the menus are cached now
    rename_design("تصميم وفنون بصرية", django_capture_on_commit_callbacks)

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


def test_a_renamed_category_shows_on_the_cached_cards_at_once(client, django_capture_on_commit_callbacks):
    ProjectFactory(category=Category.objects.get(slug="design"))
    page(client, "/projects/")  # the results are cached now
    rename_design("فنون بصرية", django_capture_on_commit_callbacks)

    assert "<span>فنون بصرية</span>" in page(client, "/projects/")


@pytest.mark.parametrize(
    "then", ["/projects/?utm_source=mail", "/projects/?sort=bogus&posted=ever", "/projects/?page="]
)
def test_other_query_parameters_are_served_from_the_same_cache_entry(client, then, django_assert_num_queries):
    ProjectFactory.create_batch(3)
    page(client, "/projects/")

    with django_assert_num_queries(0):
        page(client, then)


def test_a_version_never_starts_again_from_an_old_number():
    first = current_version("test:version")
    cache.delete("test:version")  # evicted

    assert current_version("test:version") > first


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


# --- The offer cards of a project page ------------------------------------------------------------


@pytest.fixture
def bidding():
    project = open_project()
    author = freelancer_user("سلمى المبرمجة")
    offer = place_offer(project, author, text=OFFER_TEXT + " نص خاص بصاحبة العرض.")
    return project, author, offer


def test_a_new_title_and_name_show_on_the_bidder_card_at_once(client, bidding):
    project, author, offer = bidding
    url = f"/projects/{project.pk}/"
    page(client, url)
    author.name = "سلمى الخطيب"
    author.save()
    author.profile.title = "مطورة تطبيقات جوال"
    author.profile.save()

    shown = card(page(client, url), offer)

    assert "سلمى الخطيب" in shown
    assert "مطورة تطبيقات جوال" in shown


def test_a_reputation_change_shows_on_the_bidder_card_at_once(client, bidding):
    project, author, offer = bidding
    url = f"/projects/{project.pk}/"
    client.cookies["django_language"] = "en"
    assert "0 completed contracts" in card(page(client, url), offer)

    Reputation.objects.update_or_create(
        user=author,
        defaults={"freelancer_completed_count": 3, "freelancer_ended_count": 3, "updated_at": timezone.now()},
    )

    assert "3 completed contracts" in card(page(client, url), offer)


def test_an_edited_offer_shows_its_new_text_to_the_owner_at_once(client, bidding):
    project, author, offer = bidding
    url = f"/projects/{project.pk}/"
    client.force_login(project.owner)
    assert "نص خاص بصاحبة العرض" in card(page(client, url), offer)

    services.edit_offer(
        freelancer=author,
        offer=offer,
        amount_cents=20_000,
        duration_days=9,
        text=OFFER_TEXT + " نص جديد بعد التعديل.",
    )

    shown = card(page(client, url), offer)
    assert "نص جديد بعد التعديل" in shown
    assert "نص خاص بصاحبة العرض" not in shown


@pytest.mark.parametrize("warmed_by", ["owner", "author"])
def test_details_cached_for_one_side_never_reach_another_visitor(client, bidding, warmed_by):
    project, author, offer = bidding
    url = f"/projects/{project.pk}/"
    client.force_login(project.owner if warmed_by == "owner" else author)
    assert "نص خاص بصاحبة العرض" in card(page(client, url), offer)

    for visitor in (None, freelancer_user("مستقل آخر")):
        client.logout()
        if visitor:
            client.force_login(visitor)
        shown = card(page(client, url), offer)
        assert "نص خاص بصاحبة العرض" not in shown
        assert "hire" not in shown and "withdraw" not in shown


def test_the_owner_and_the_author_each_get_their_own_actions_whoever_came_first(client, bidding):
    project, author, offer = bidding
    url = f"/projects/{project.pk}/"
    client.force_login(author)
    as_author = card(page(client, url), offer)
    client.force_login(project.owner)
    as_owner = card(page(client, url), offer)

    assert f'formaction="/offers/{offer.pk}/withdraw/"' in as_author
    assert "/hire/" not in as_author
    assert f'formaction="/offers/{offer.pk}/hire/"' in as_owner
    assert "/withdraw/" not in as_owner


def test_the_action_buttons_submit_the_one_form_of_the_page_with_its_csrf_token(client, bidding):
    project, _author, _offer = bidding
    add_offers(project, 2)
    client.force_login(project.owner)

    text = page(client, f"/projects/{project.pk}/")

    assert text.count('<form id="offer-action" method="post" hidden>') == 1
    assert re.search(r'<form id="offer-action"[^>]*><input type="hidden" name="csrfmiddlewaretoken"', text)
    assert text.count('form="offer-action" formaction=') == 3 * 2  # "Message" and "Hire" on 3 offers


def test_an_anonymous_visitor_gets_no_action_form(client, bidding):
    project, _author, _offer = bidding

    assert 'id="offer-action"' not in page(client, f"/projects/{project.pk}/")


def test_the_offer_s_age_is_never_cached(client, bidding):
    project, _author, offer = bidding
    url = f"/projects/{project.pk}/"
    client.force_login(project.owner)
    client.cookies["django_language"] = "en"
    assert "just now" in card(page(client, url), offer)  # the details are cached now

    Offer.objects.filter(pk=offer.pk).update(created_at=timezone.now() - datetime.timedelta(hours=3))

    assert "3\xa0hours ago" in card(page(client, url), offer)

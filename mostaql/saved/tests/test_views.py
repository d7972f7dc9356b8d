"""The pages: saving a search from the list, the toggles on the cards (with and without htmx), /saved/,
the saved searches page, the dashboard's offer; each with the wrong person trying."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mostaql.accounts.tests.factories import UserFactory
from mostaql.projects.tests.factories import client_user, freelancer_user, post_project, skills
from mostaql.saved import selectors
from mostaql.saved.models import Favourite, SavedSearch
from mostaql.saved.tests.support import logo_project, saved_search, shop_project

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_search_is_saved_from_the_list_with_its_filters(client):
    person = freelancer_user()
    client.force_login(person)
    page = client.get("/projects/?q=شعار&category=design")
    assert 'action="/saved/searches/new/"' in page.content.decode()
    response = client.post(
        "/saved/searches/new/",
        {
            "list_name": "projects",
            "q": "شعار",
            "category": "design",
            "frequency": "instant",
            "next": "/projects/?q=x",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/projects/?q=x"
    search = SavedSearch.objects.get(user=person)
    assert (search.query, search.filters, search.frequency) == ("شعار", {"category": "design"}, "instant")


def test_unknown_filters_are_left_out_with_a_message(client):
    person = freelancer_user()
    client.force_login(person)
    response = client.post(
        "/saved/searches/new/", {"q": "شعار", "colour": "red", "budget": "1-2", "skills": "logo-design"}
    )
    search = SavedSearch.objects.get(user=person)
    assert search.filters == {"skills": ["logo-design"]}
    notes = _messages(response)
    # Two warnings (the unknown name, the unknown budget), then the success.
    assert len(notes) == 3 and "colour" in notes[0]


def test_a_thousand_character_query_is_refused_with_a_message(client):
    client.force_login(freelancer_user())
    response = client.post("/saved/searches/new/", {"q": "ش" * 1000})
    assert response.status_code == 302
    assert not SavedSearch.objects.exists()
    assert any("100" in message for message in _messages(response))


def test_saving_needs_a_sign_in(client):
    response = client.post("/saved/searches/new/", {"q": "شعار"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not SavedSearch.objects.exists()


def test_another_persons_saved_search_is_a_404(client):
    search = saved_search(query="شعار")
    client.force_login(freelancer_user(name="غريب"))
    assert client.post(f"/saved/searches/{search.pk}/", {f"search-{search.pk}-name": "x"}).status_code == 404
    assert client.get(f"/saved/searches/{search.pk}/delete/").status_code == 404
    assert client.post(f"/saved/searches/{search.pk}/delete/", {"confirmed": "1"}).status_code == 404
    assert SavedSearch.objects.filter(pk=search.pk, name=search.name).exists()


def test_the_owner_renames_mutes_and_deletes_a_search(client):
    search = saved_search(query="شعار")
    client.force_login(search.user)
    page = client.get("/saved/searches/")
    assert search.name in page.content.decode() and "/projects/feed/?q=" in page.content.decode()
    client.post(
        f"/saved/searches/{search.pk}/",
        {f"search-{search.pk}-name": "شعارات", f"search-{search.pk}-frequency": "off"},
    )
    search.refresh_from_db()
    assert (search.name, search.frequency) == ("شعارات", "off")
    confirm = client.post(f"/saved/searches/{search.pk}/delete/")
    assert confirm.status_code == 200 and SavedSearch.objects.filter(pk=search.pk).exists()
    client.post(f"/saved/searches/{search.pk}/delete/", {"confirmed": "1"})
    assert not SavedSearch.objects.filter(pk=search.pk).exists()


def test_the_toggle_works_without_javascript(client):
    project = logo_project()
    person = freelancer_user()
    client.force_login(person)
    listed = client.get("/projects/").content.decode()
    assert f'name="object_id" value="{project.pk}"' in listed and "☆" in listed
    response = client.post(
        "/saved/toggle/", {"kind": "project", "object_id": project.pk, "next": "/projects/"}
    )
    assert response.status_code == 302 and response["Location"] == "/projects/"
    assert Favourite.objects.filter(user=person, kind="project", object_id=project.pk).exists()
    # The list's cached results show the toggle as this person's: saved for them, not for another.
    assert "★" in client.get("/projects/").content.decode()
    client.force_login(freelancer_user(name="آخر"))
    assert "★" not in client.get("/projects/").content.decode()
    client.force_login(person)
    client.post("/saved/toggle/", {"kind": "project", "object_id": project.pk})
    assert not Favourite.objects.exists()


def test_the_toggle_swaps_in_place_with_htmx(client):
    project = logo_project()
    client.force_login(freelancer_user())
    response = client.post(
        "/saved/toggle/",
        {"kind": "project", "object_id": project.pk, "next": "/projects/?q=شعار"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<form class="favourite-toggle"') and "★" in html
    assert 'aria-pressed="true"' in html and 'value="/projects/?q=شعار"' in html


def test_what_the_public_cannot_see_cannot_be_saved(client):
    pending = post_project()
    client_only = client_user(name="عميل")
    client.force_login(freelancer_user())
    assert client.post("/saved/toggle/", {"kind": "project", "object_id": pending.pk}).status_code == 404
    assert (
        client.post("/saved/toggle/", {"kind": "freelancer", "object_id": client_only.pk}).status_code == 404
    )
    assert client.post("/saved/toggle/", {"kind": "service", "object_id": 1}).status_code == 404
    assert client.post("/saved/toggle/", {"kind": "project", "object_id": "x"}).status_code == 404
    assert client.post("/saved/toggle/", {"kind": "project", "object_id": 10**30}).status_code == 404
    assert not Favourite.objects.exists()


def test_the_toggle_needs_a_sign_in_and_a_post(client):
    project = logo_project()
    assert client.get("/saved/toggle/").status_code in (302, 405)
    response = client.post("/saved/toggle/", {"kind": "project", "object_id": project.pk})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "favourite-toggle" not in client.get("/projects/").content.decode()


def test_my_list_shows_my_favourites_only(client):
    mine, theirs = logo_project(), shop_project()
    person, other = freelancer_user(name="أنا"), freelancer_user(name="هو")
    Favourite.objects.create(user=person, kind="project", object_id=mine.pk)
    Favourite.objects.create(user=person, kind="freelancer", object_id=other.pk)
    Favourite.objects.create(user=other, kind="project", object_id=theirs.pk)
    client.force_login(person)
    page = client.get("/saved/").content.decode()
    assert mine.title in page and theirs.title not in page and other.name in page


@pytest.mark.parametrize("count", [1, 6])
def test_my_list_costs_a_fixed_number_of_queries(count, django_assert_num_queries):
    person = freelancer_user()
    for number in range(count):
        project = logo_project(title=f"شعار رقم {number} لمتجر")
        Favourite.objects.create(user=person, kind="project", object_id=project.pk)
        Favourite.objects.create(
            user=person, kind="freelancer", object_id=freelancer_user(name=f"م{number}").pk
        )
    # The favourites, then per kind the objects and what their cards read (owners; skills).
    with django_assert_num_queries(5):
        sections = selectors.favourites_page(person)
        for section in sections:
            for item in section["objects"]:
                getattr(item, "owner", None) or list(item.skills.all())
    assert [len(section["objects"]) for section in sections] == [count, 0, count]  # no services


def test_my_list_page_costs_the_same_at_two_sizes(client):
    person = freelancer_user()
    client.force_login(person)
    counts = []
    for number in range(2):
        for extra in range(1 + number * 4):
            project = logo_project(title=f"شعار رقم {number}-{extra} لمتجر")
            Favourite.objects.create(user=person, kind="project", object_id=project.pk)
            Favourite.objects.create(
                user=person, kind="freelancer", object_id=freelancer_user(name=f"م{extra}").pk
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/saved/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("count", [1, 8])
def test_the_saved_searches_page_costs_a_fixed_number_of_queries(count, django_assert_num_queries):
    person = freelancer_user()
    for number in range(count):
        saved_search(person, query=f"شعار {number}", category="design", skills=["logo-design"])
    with django_assert_num_queries(3):
        found = selectors.described(list(selectors.searches_of(person)))
    assert len(found) == count and found[0].described_filters


def test_a_new_freelancer_is_offered_alerts_for_their_skills_once(client):
    person = UserFactory(primary_role="freelancer")
    person.profile.skills.set(skills("logo-design", "python"))
    client.force_login(person)
    assert 'id="skills-alerts"' in client.get("/dashboard/").content.decode()
    client.post("/saved/skills-alerts/", {"answer": "yes"})
    searches = SavedSearch.objects.filter(user=person)
    assert sorted(search.filters["skills"][0] for search in searches) == ["logo-design", "python"]
    assert all(search.frequency == "daily" for search in searches)
    assert 'id="skills-alerts"' not in client.get("/dashboard/").content.decode()
    client.post("/saved/skills-alerts/", {"answer": "yes"})
    assert SavedSearch.objects.filter(user=person).count() == 2


def test_a_freelancer_who_declines_is_not_asked_again(client):
    person = UserFactory(primary_role="freelancer")
    person.profile.skills.set(skills("python"))
    client.force_login(person)
    client.post("/saved/skills-alerts/", {"answer": "no"})
    assert not SavedSearch.objects.exists()
    assert 'id="skills-alerts"' not in client.get("/dashboard/").content.decode()


def test_a_client_is_not_offered_skill_alerts(client):
    person = client_user()
    client.force_login(person)
    assert 'id="skills-alerts"' not in client.get("/dashboard/").content.decode()

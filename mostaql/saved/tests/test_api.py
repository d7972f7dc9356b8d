"""The API of saved searches and favourites: only your own, strict input, the same services."""

import pytest

from mostaql.api.tests.support import ApiClient, Row, assert_error, check_row, verified_user
from mostaql.saved.models import Favourite, SavedSearch
from mostaql.saved.tests.support import logo_project, saved_search

pytestmark = pytest.mark.django_db


def _search(owner) -> dict:
    return {"search_id": saved_search(owner, query=f"شعار {SavedSearch.objects.count()}").pk}


def _favourite(owner) -> dict:
    project = logo_project()
    Favourite.objects.create(user=owner, kind="project", object_id=project.pk)
    return {"kind": "project", "object_id": project.pk}


def _new_favourite(owner) -> dict:
    return {"body": {"kind": "project", "object_id": logo_project().pk}}


MATRIX = [
    Row("GET", "/api/v1/saved/searches/", anonymous=401, other=200, owner=200, staff=200),
    Row(
        "POST",
        "/api/v1/saved/searches/",
        body={"query": "شعار", "filters": {"category": "design"}, "frequency": "instant"},
        anonymous=401,
        other=201,
        owner=201,
        staff=201,
    ),
    Row(
        "GET",
        "/api/v1/saved/searches/{search_id}/",
        setup=_search,
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "PATCH",
        "/api/v1/saved/searches/{search_id}/",
        setup=_search,
        body={"frequency": "off"},
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "DELETE",
        "/api/v1/saved/searches/{search_id}/",
        setup=_search,
        anonymous=401,
        other=404,
        owner=204,
        staff=404,
    ),
    Row("GET", "/api/v1/saved/favourites/", anonymous=401, other=200, owner=200, staff=200),
    Row(
        "POST",
        "/api/v1/saved/favourites/",
        setup=_new_favourite,
        anonymous=401,
        other=201,
        owner=201,
        staff=201,
    ),
    Row(
        "DELETE",
        "/api/v1/saved/favourites/{kind}/{object_id}/",
        setup=_favourite,
        anonymous=401,
        other=404,
        owner=204,
        staff=404,
    ),
]


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_permission_matrix(row):
    check_row(row)


def test_a_saved_search_round_trip():
    person = verified_user(name="منى")
    api = ApiClient(person)
    created = api.post(
        "/api/v1/saved/searches/",
        {"query": "  تصميم   شعار ", "filters": {"skills": ["logo-design"], "budget": "100-250"}},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["query"] == "تصميم شعار"
    assert body["filters"] == {"skills": ["logo-design"], "budget": "100-250"}
    assert body["frequency"] == "daily"
    assert body["url"].startswith("/projects/?q=")
    listed = api.get("/api/v1/saved/searches/").json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    changed = api.patch(f"/api/v1/saved/searches/{body['id']}/", {"frequency": "instant", "name": "شعارات"})
    assert changed.json()["frequency"] == "instant" and changed.json()["name"] == "شعارات"
    assert_error(
        api.post(
            "/api/v1/saved/searches/",
            {"query": "تصميم شعار", "filters": {"skills": ["logo-design"], "budget": "100-250"}},
        ),
        409,
        "duplicate",
    )
    assert api.delete(f"/api/v1/saved/searches/{body['id']}/").status_code == 204
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"query": "ش" * 1000},
        {"query": "شعار", "filters": {"colour": "red"}},
        {"query": "شعار", "unknown": 1},
        {"filters": {"category": "no-such-category"}},
        {"filters": {"skills": ["no-such-skill"]}},
        {"filters": {"budget": "1-2"}},
        {"filters": {"posted": "year"}},
        {"frequency": "hourly"},
        {"query": "شعار\u0000"},
    ],
)
def test_bad_saved_searches_are_refused_and_nothing_is_written(body):
    response = ApiClient(verified_user()).post("/api/v1/saved/searches/", body)
    assert_error(response, 422)
    assert not SavedSearch.objects.exists()


def test_favourites_of_projects_and_freelancers():
    person = verified_user(name="هند")
    api = ApiClient(person)
    project = logo_project()
    freelancer = saved_search().user  # a freelancer, public in the directory
    assert (
        api.post("/api/v1/saved/favourites/", {"kind": "project", "object_id": project.pk}).status_code == 201
    )
    assert (
        api.post("/api/v1/saved/favourites/", {"kind": "project", "object_id": project.pk}).status_code == 201
    )
    assert (
        api.post("/api/v1/saved/favourites/", {"kind": "freelancer", "object_id": freelancer.pk}).status_code
        == 201
    )
    assert Favourite.objects.filter(user=person).count() == 2
    items = api.get("/api/v1/saved/favourites/").json()["items"]
    assert [(item["kind"], item["object_id"]) for item in items] == [
        ("freelancer", freelancer.pk),
        ("project", project.pk),
    ]
    # What the public does not see cannot be saved: a client is not in the freelancer directory.
    assert_error(
        api.post("/api/v1/saved/favourites/", {"kind": "freelancer", "object_id": project.owner_id}), 404
    )
    assert_error(api.post("/api/v1/saved/favourites/", {"kind": "portfolio", "object_id": 1}), 422)

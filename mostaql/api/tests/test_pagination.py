"""One page shape everywhere, with working links, and a fixed number of queries per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mostaql.api.tests.support import ApiClient
from mostaql.projects.tests.factories import ProjectFactory, client_user, open_project, place_offer

pytestmark = pytest.mark.django_db


def test_pages_link_to_each_other_and_count_everything():
    projects = [ProjectFactory() for _number in range(5)]
    client = ApiClient()
    first = client.get("/api/v1/projects/?page_size=2&budget=100-250").json()
    assert first["count"] == 5 and len(first["items"]) == 2 and first["previous"] is None
    assert "page=2" in first["next"] and "budget=100-250" in first["next"]
    second = client.get(first["next"]).json()
    assert "page=1" in second["previous"]
    last = client.get("/api/v1/projects/?page_size=2&page=3").json()
    assert len(last["items"]) == 1 and last["next"] is None
    seen = [item["id"] for page in (first, second, last) for item in page["items"]]
    assert sorted(seen) == sorted(project.pk for project in projects)


def test_a_page_size_above_the_maximum_is_422(settings):
    response = ApiClient().get(f"/api/v1/projects/?page_size={settings.API_MAX_PAGE_SIZE + 1}")
    assert response.status_code == 422 and "page_size" in response.json()["fields"]
    assert ApiClient().get("/api/v1/projects/?page=0").status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/projects/",
        "/api/v1/me/projects/",
        "/api/v1/me/offers/",
        "/api/v1/freelancers/",
        "/api/v1/categories/",
    ],
)
def test_a_list_costs_the_same_with_3_and_30_rows(path, settings):
    settings.OFFERS_PER_MONTH = 100
    owner = client_user()
    client = ApiClient(owner)

    def make(count):
        for _number in range(count):
            ProjectFactory(owner=owner)
            place_offer(open_project(), owner)

    def cost():
        with CaptureQueriesContext(connection) as context:
            response = client.get(path + "?page_size=50")
            assert response.status_code == 200
        return len(context.captured_queries), response.json()["count"]

    client.get(path)  # the token's first use writes its "last used" time: not part of the list's cost
    make(3)
    small, small_count = cost()
    make(27)
    large, large_count = cost()
    assert small == large, (small, large)
    if path != "/api/v1/categories/":
        assert large_count > small_count

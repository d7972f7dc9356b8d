"""The Atom feed of the project list with its filters: valid, newest 50, cache headers, bad input."""

import datetime

import feedparser
import pytest
from django.utils import timezone

from mostaql.projects.models import Project
from mostaql.projects.tests.factories import ProjectFactory, moderator
from mostaql.reports import services as report_services
from mostaql.saved.tests.support import logo_project, shop_project

pytestmark = pytest.mark.django_db


def _feed(client, query: str = "", **headers):
    response = client.get(f"/projects/feed/{query}", headers=headers)
    return response, feedparser.parse(response.content)


def test_the_feed_is_valid_atom_with_the_lists_filters(client):
    logo, shop = logo_project(), shop_project()
    hidden = logo_project(title="شعار مخفي لمتجر")
    report_services.hide_item(staff=moderator(name="مشرفة"), item=hidden)
    response, feed = _feed(client, "?q=شعار")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert "شعار" in feed.feed.title
    assert [entry.link for entry in feed.entries] == [f"http://testserver{logo.get_absolute_url()}"]
    assert feed.entries[0].title == logo.title
    assert feed.entries[0].author == logo.owner.name
    _response, by_category = _feed(client, "?category=programming")
    assert [entry.title for entry in by_category.entries] == [shop.title]


def test_the_feed_has_the_newest_fifty(client):
    now = timezone.now()
    projects = [
        ProjectFactory(
            title=f"مشروع رقم {number} للبرمجة", published_at=now - datetime.timedelta(minutes=number)
        )
        for number in range(60)
    ]
    _response, feed = _feed(client)
    assert not feed.bozo
    assert len(feed.entries) == 50
    assert [entry.title for entry in feed.entries] == [project.title for project in projects[:50]]


def test_the_feed_answers_a_conditional_request_with_304(client, django_capture_on_commit_callbacks):
    logo_project()
    response, _parsed = _feed(client)
    assert response["ETag"] and response["Last-Modified"]
    assert "max-age=300" in response["Cache-Control"] and "public" in response["Cache-Control"]
    again = client.get("/projects/feed/", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    since = client.get("/projects/feed/", headers={"If-Modified-Since": response["Last-Modified"]})
    assert since.status_code == 304
    # A new project changes the feed: the old ETag no longer matches.
    with django_capture_on_commit_callbacks(execute=True):
        shop_project()
    changed = client.get("/projects/feed/", headers={"If-None-Match": response["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != response["ETag"]


@pytest.mark.parametrize(
    "query",
    ["?q=" + "ش" * 1000, "?category=no-such-category", "?budget=1-2", "?skills=nope", "?posted=year"],
)
def test_a_wrong_filter_or_a_long_query_is_a_400_saying_why(client, query):
    response = client.get(f"/projects/feed/{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content


def test_unknown_parameters_of_a_reader_are_ignored(client):
    logo_project()
    response, feed = _feed(client, "?utm_source=reader&q=شعار")
    assert response.status_code == 200 and len(feed.entries) == 1


def test_a_pending_project_is_not_in_the_feed(client):
    Project.objects.all().delete()
    from_factory = ProjectFactory(status=Project.Status.PENDING_REVIEW, published_at=None)
    _response, feed = _feed(client)
    assert from_factory.title not in [entry.title for entry in feed.entries]
    assert feed.entries == []

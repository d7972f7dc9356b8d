"""The services market and the buyer requests as saved lists, feeds and favourites: the same
engine as the projects (what an alert sends is what the saved list shows), each list its own rules."""

import datetime
import re

import feedparser
import pytest
from django.core import mail
from django.utils import timezone

from mostaql.api.tests.support import ApiClient, assert_error, verified_user
from mostaql.briefs.models import Brief
from mostaql.briefs.tests.factories import open_brief, posted_brief
from mostaql.catalog.models import Category
from mostaql.gigs import services as gig_services
from mostaql.gigs.tests.factories import approved_service
from mostaql.projects.tests.factories import client_user, freelancer_user
from mostaql.saved import alerts, matching, services, tasks
from mostaql.saved.lists import REQUESTS, SERVICES
from mostaql.saved.models import Favourite, PendingAlert, SavedSearch
from mostaql.saved.tests.support import sent_to

pytestmark = pytest.mark.django_db
F = SavedSearch.Frequency


def _save(user, list_name: str, query: str = "", frequency=F.INSTANT, **filters) -> SavedSearch:
    return services.save_search(
        user=user, list_name=list_name, query=query, filters=filters, frequency=frequency
    )


def _listed_ids(html: str, prefix: str) -> set[int]:
    return {int(pk) for pk in re.findall(rf'href="{prefix}(\d+)/"', html)}


def _design() -> Category:
    return Category.objects.get(slug="design")


# --- Saved searches -----------------------------------------------------------------------------


def test_a_saved_services_search_lists_exactly_the_list_pages_results(client):
    logo = approved_service(title="تصميم شعار احترافي لمتجرك", price_cents=2500, delivery_days=1)
    cheap_logo = approved_service(title="تصميم شعار بسيط وسريع", price_cents=500, delivery_days=3)
    approved_service(title="كتابة مقالات تسويقية لموقعك", price_cents=2500)
    person = freelancer_user(name="سلمى")
    client.force_login(person)
    # Saved from the list page's bar, with the page's query and filters
    response = client.post(
        "/saved/searches/new/",
        {"list_name": "services", "q": "شعار", "min_price": "10", "delivery": "3", "frequency": "off"},
    )
    assert response.status_code == 302
    (search,) = SavedSearch.objects.filter(user=person)
    assert search.list_name == "services" and search.filters == {"min_price": "10", "delivery": "3"}
    # The saved list is the list page with that search: the same services, no other
    page = client.get(alerts.list_url(search)).content.decode()
    shown = _listed_ids(page, "/services/")
    expected = {service.pk for service in SERVICES.results(query=search.query, **search.filters)}
    assert shown == expected
    assert logo.pk in shown and cheap_logo.pk not in shown
    # And the page offers to save it again, and its feed
    assert 'name="list_name" value="services"' in page and "/services/feed/?" in page
    # And my saved searches link to the list and its feed
    mine = client.get("/saved/searches/").content.decode()
    assert "/services/?q=" in mine and "/services/feed/?q=" in mine and "$10–…" in mine


SEARCHES = [
    {"query": "شعار"},
    {"query": "", "category": "design"},
    {"query": "شعار", "max_budget": "60"},
    {"query": "", "min_budget": "60"},
    {"query": "قهوة", "min_budget": "10", "max_budget": "100"},
    {"query": "موقع"},
    {"query": "", "category": "no-longer-there"},
]


def test_what_a_request_alert_finds_is_what_the_saved_request_list_shows():
    people = [freelancer_user(name=f"بائع {number}") for number in range(len(SEARCHES))]
    searches = []
    for person, fields in zip(people, SEARCHES, strict=True):
        fields = dict(fields)
        query = fields.pop("query")
        if fields.get("category") == "no-longer-there":
            search = _save(person, "requests", query)
            search.filters = {"category": "no-longer-there"}
            search.save()
        else:
            search = _save(person, "requests", query, **fields)
        searches.append(search)
    batch = [
        open_brief(budget_cents=5000),
        open_brief(title="أحتاج شعاراً لمطعم", budget_cents=9000, category=_design()),
        open_brief(title="تطوير موقع لمتجر قهوة", budget_cents=20000),
    ]
    ids = [brief.pk for brief in batch]
    run = matching.match_new_items(list_name="requests", ids=ids)
    assert run.items == 3
    sizes = []
    for search in searches:
        found = {pk for row in PendingAlert.objects.filter(user=search.user) for pk in row.object_ids}
        listed = {
            brief.pk for brief in REQUESTS.results(query=search.query, **search.filters) if brief.pk in ids
        }
        assert found == listed, (search.query, search.filters)
        sizes.append(len(found))
    assert max(sizes) >= 2 and min(sizes) == 0 and len(set(sizes)) > 2


def test_a_request_approved_after_a_matching_search_alerts_once(django_capture_on_commit_callbacks):
    seller = freelancer_user(name="ريم")
    _save(seller, "requests", "شعار", max_budget="100")
    too_dear = freelancer_user(name="نادر")
    _save(too_dear, "requests", "شعار", min_budget="100")
    mail.outbox.clear()
    # When a moderator approves the request (the hook sends it to the task after commit)
    with django_capture_on_commit_callbacks(execute=True):
        brief = open_brief()
    (alert,) = sent_to(seller)
    assert brief.get_absolute_url() in alert.body
    assert sent_to(too_dear) == []
    # And running the task and the sweep again sends nothing twice
    with django_capture_on_commit_callbacks(execute=True):
        tasks.match_new_items("requests", [brief.pk])
        tasks.sweep_saved_searches()
        tasks.sweep_saved_searches()
    assert len(sent_to(seller)) == 1


def test_a_pending_request_is_never_matched(django_capture_on_commit_callbacks):
    seller = freelancer_user(name="ريم")
    _save(seller, "requests", "شعار")
    with django_capture_on_commit_callbacks(execute=True):
        pending = posted_brief()
    assert matching.match_new_items(list_name="requests", ids=[pending.pk]).items == 0
    assert sent_to(seller) == []


def test_the_requests_list_offers_to_save_its_search(client):
    client.force_login(freelancer_user())
    page = client.get("/requests/?q=شعار&max_budget=80&min_budget=nonsense").content.decode()
    assert 'name="list_name" value="requests"' in page
    assert 'type="hidden" name="max_budget" value="80"' in page
    assert 'type="hidden" name="min_budget"' not in page
    assert "/requests/feed/?" in page


# --- Feeds --------------------------------------------------------------------------------------


def test_the_services_feed_is_valid_and_leaves_paused_services_out(client):
    shown = approved_service(title="تصميم شعار احترافي لمتجرك")
    paused = approved_service(title="تصميم شعار بألوان متعددة")
    gig_services.pause_service(seller=paused.seller, service=paused)
    response = client.get("/services/feed/?q=شعار")
    feed = feedparser.parse(response.content)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    assert "max-age=300" in response["Cache-Control"] and response["ETag"]
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [entry.link for entry in feed.entries] == [f"http://testserver{shown.get_absolute_url()}"]
    assert feed.entries[0].author == shown.seller.name
    assert client.get("/services/feed/?delivery=99").status_code == 400


def test_the_requests_feed_is_valid_and_leaves_expired_and_pending_requests_out(client):
    shown = open_brief()
    expired = open_brief(title="أحتاج شعاراً قديماً لمتجر")
    Brief.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    posted_brief(title="أحتاج شعاراً ينتظر المراجعة")
    response = client.get("/requests/feed/?q=شعار&max_budget=100")
    feed = feedparser.parse(response.content)
    assert response.status_code == 200
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.link for entry in feed.entries] == [f"http://testserver{shown.get_absolute_url()}"]
    assert client.get("/requests/feed/?min_budget=abc").status_code == 400


# --- Favourites ---------------------------------------------------------------------------------


def test_a_service_is_saved_to_my_list_and_a_paused_one_leaves_it(client):
    service = approved_service(title="تصميم شعار احترافي لمتجرك")
    person = client_user(name="منى")
    client.force_login(person)
    listing = client.get("/services/").content.decode()
    assert 'name="kind" value="service"' in listing  # the card's toggle
    response = client.post(
        "/saved/toggle/", {"kind": "service", "object_id": service.pk, "next": "/services/"}
    )
    assert response.status_code == 302
    assert Favourite.objects.filter(user=person, kind="service", object_id=service.pk).exists()
    assert service.title in client.get("/saved/").content.decode()
    gig_services.pause_service(seller=service.seller, service=service)
    assert service.title not in client.get("/saved/").content.decode()
    # A paused service cannot be saved anew
    Favourite.objects.all().delete()
    assert client.post("/saved/toggle/", {"kind": "service", "object_id": service.pk}).status_code == 404


# --- API ----------------------------------------------------------------------------------------


def test_the_api_saves_searches_of_every_list_and_services_as_favourites():
    api = ApiClient(verified_user(name="هند"))
    services_search = api.post(
        "/api/v1/saved/searches/",
        {"list_name": "services", "query": "شعار", "filters": {"delivery": "3", "min_price": "10"}},
    )
    assert services_search.status_code == 201, services_search.content
    assert services_search.json()["url"] == "/services/?q=%D8%B4%D8%B9%D8%A7%D8%B1&min_price=10&delivery=3"
    requests_search = api.post(
        "/api/v1/saved/searches/", {"list_name": "requests", "filters": {"max_budget": "100"}}
    )
    assert requests_search.status_code == 201, requests_search.content
    service = approved_service()
    assert (
        api.post("/api/v1/saved/favourites/", {"kind": "service", "object_id": service.pk}).status_code == 201
    )
    assert api.delete(f"/api/v1/saved/favourites/service/{service.pk}/").status_code == 204


@pytest.mark.parametrize(
    "body",
    [
        {"list_name": "portfolios"},
        {"list_name": "requests", "filters": {"skills": ["logo-design"]}},
        {"list_name": "requests", "filters": {"min_budget": "lots"}},
        {"list_name": "services", "filters": {"budget": "25-50"}},
        {"list_name": "services", "filters": {"rating": "5"}},
    ],
)
def test_the_api_refuses_an_unknown_list_or_a_filter_the_list_does_not_know(body):
    response = ApiClient(verified_user()).post("/api/v1/saved/searches/", body)
    assert_error(response, 422)
    assert not SavedSearch.objects.exists()


def test_the_api_refuses_an_unknown_kind_of_favourite():
    api = ApiClient(verified_user())
    assert_error(api.post("/api/v1/saved/favourites/", {"kind": "request", "object_id": 1}), 422)
    assert not Favourite.objects.exists()

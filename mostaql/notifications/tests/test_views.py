"""The bell, the list and the preferences page: each person sees and changes only their own."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from mostaql.accounts.tests.factories import UserFactory
from mostaql.notifications.kinds import KINDS
from mostaql.notifications.models import EmailPreference, Notification, NotificationSettings
from mostaql.notifications.tests.factories import NotificationFactory
from mostaql.notifications.views import PAGE_SIZE

pytestmark = pytest.mark.django_db

LIST = "/notifications/"
PREFERENCES = "/settings/notifications/"
ARABIC = re.compile("[\u0600-\u06ff]")


def listed_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="notification-(\d+)"', response.content.decode())]


def unread_ids(response) -> list[int]:
    return [
        int(pk)
        for pk in re.findall(
            r'class="card list-row is-unread" id="notification-(\d+)"', response.content.decode()
        )
    ]


def bell_count(response) -> str | None:
    """The number on the bell in the header, or None when it shows none."""
    found = re.search(
        r'<a class="bell" href="/notifications/"[^>]*>.*?(?:<span class="count-badge">(\d+)</span>)?</a>',
        response.content.decode(),
        re.DOTALL,
    )
    assert found, "no bell in the header"
    return found.group(1)


def read_states() -> dict[int, bool]:
    return dict(Notification.objects.values_list("pk", "is_read"))


def notifications_for(user, count: int, **fields) -> list[Notification]:
    """`count` notifications, the last one the newest."""
    now = timezone.now()
    made = NotificationFactory.create_batch(count, user=user, **fields)
    for age, notification in enumerate(reversed(made)):
        Notification.objects.filter(pk=notification.pk).update(
            created_at=now - timezone.timedelta(minutes=age)
        )
    return made


# --- Anonymous visitors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", LIST),
        ("get", "/notifications/{pk}/"),
        ("post", "/notifications/{pk}/read/"),
        ("post", "/notifications/read/"),
        ("get", PREFERENCES),
        ("post", PREFERENCES),
    ],
)
def test_an_anonymous_visitor_is_sent_to_log_in_and_nothing_changes(client, method, path):
    # given
    notification = NotificationFactory()
    before = read_states()
    # when
    response = getattr(client, method)(path.format(pk=notification.pk))
    # then
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert read_states() == before


# --- The list -------------------------------------------------------------------------------------


def test_the_list_shows_my_notifications_newest_first_with_the_unread_ones_marked(client):
    # given
    person = UserFactory()
    oldest, middle, newest = notifications_for(person, 3)
    Notification.objects.filter(pk=middle.pk).update(is_read=True)
    someone_elses = NotificationFactory(title="إشعار لشخص آخر")
    client.force_login(person)
    # when
    response = client.get(LIST)
    # then
    assert response.status_code == 200
    assert listed_ids(response) == [newest.pk, middle.pk, oldest.pk]
    assert unread_ids(response) == [newest.pk, oldest.pk]
    page = response.content.decode()
    assert newest.title in page
    assert someone_elses.title not in page
    # each row says its kind, in Arabic
    assert str(KINDS["new_offer"].label) in page


def test_the_list_is_paginated(client):
    # given
    person = UserFactory()
    made = notifications_for(person, PAGE_SIZE + 2)
    client.force_login(person)
    # when
    first, second = client.get(LIST), client.get(LIST, {"page": 2})
    # then
    assert len(listed_ids(first)) == PAGE_SIZE
    assert listed_ids(second) == [made[1].pk, made[0].pk]
    assert 'rel="next" href="?page=2"' in first.content.decode()


def test_an_empty_list_says_so(client):
    # given
    client.force_login(UserFactory())
    # when
    response = client.get(LIST)
    # then
    assert listed_ids(response) == []
    assert gettext("Nothing new.") in response.content.decode()


@pytest.mark.parametrize("count", [3, 25])
def test_the_list_costs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    # given
    person = UserFactory()
    notifications_for(person, count)
    client.force_login(person)
    # when / then: the user, their profile (header), the bell's count, the page count, the page's rows
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert len(listed_ids(response)) == count


# --- The bell -------------------------------------------------------------------------------------


def test_the_bell_in_the_header_shows_my_unread_count_on_any_page(client):
    # given
    person = UserFactory()
    notifications_for(person, 3)
    NotificationFactory(user=person, is_read=True)
    NotificationFactory()  # someone else's
    client.force_login(person)
    # when
    response = client.get("/projects/")
    # then
    assert response.status_code == 200
    assert bell_count(response) == "3"


def test_the_bell_shows_no_number_once_everything_is_read(client):
    # given
    person = UserFactory()
    notifications_for(person, 2, is_read=True)
    client.force_login(person)
    # when
    response = client.get("/projects/")
    # then
    assert bell_count(response) is None


def notification_queries(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries if "notifications_notification" in query["sql"]]


def test_the_bell_costs_one_query_whatever_the_number_of_notifications(client):
    # given
    few, many = UserFactory(), UserFactory()
    notifications_for(few, 1)
    notifications_for(many, 40)
    # when
    client.force_login(few)
    for_few = notification_queries(client, "/projects/")
    client.force_login(many)
    for_many = notification_queries(client, "/projects/")
    # then
    assert len(for_few) == len(for_many) == 1
    assert "COUNT(" in for_many[0].upper()


# --- Reading one, reading all ---------------------------------------------------------------------


def test_opening_a_notification_marks_it_read_and_goes_to_what_it_is_about(client):
    # given
    person = UserFactory()
    notification, other = NotificationFactory.create_batch(2, user=person, url="/contracts/7/")
    client.force_login(person)
    # when
    response = client.get(f"/notifications/{notification.pk}/")
    # then
    assert response.status_code == 302
    assert response.url == "/contracts/7/"
    assert read_states() == {notification.pk: True, other.pk: False}


@pytest.mark.parametrize("url", ["https://evil.example/steal", "//evil.example/", ""])
def test_a_notification_never_sends_the_person_off_the_site(client, url):
    # given
    person = UserFactory()
    notification = NotificationFactory(user=person, url=url)
    client.force_login(person)
    # when
    response = client.get(f"/notifications/{notification.pk}/")
    # then
    assert response.status_code == 302
    assert response.url == LIST


def test_mark_one_read_marks_that_one_only(client):
    # given
    person = UserFactory()
    notification, other = NotificationFactory.create_batch(2, user=person)
    client.force_login(person)
    # when
    response = client.post(f"/notifications/{notification.pk}/read/")
    # then
    assert response.status_code == 302
    assert response.url == LIST
    assert read_states() == {notification.pk: True, other.pk: False}


def test_the_list_offers_to_mark_each_unread_one_read(client):
    # given
    person = UserFactory()
    unread, read = NotificationFactory.create_batch(2, user=person)
    Notification.objects.filter(pk=read.pk).update(is_read=True)
    client.force_login(person)
    # when
    page = client.get(LIST).content.decode()
    # then
    assert f'action="/notifications/{unread.pk}/read/"' in page
    assert f'action="/notifications/{read.pk}/read/"' not in page
    assert 'action="/notifications/read/"' in page


def test_mark_all_read_marks_all_of_mine_and_none_of_anyone_elses(client):
    # given
    person = UserFactory()
    mine = NotificationFactory.create_batch(3, user=person)
    theirs = NotificationFactory()
    client.force_login(person)
    # when
    response = client.post("/notifications/read/")
    # then
    assert response.status_code == 302
    assert read_states() == {**{notification.pk: True for notification in mine}, theirs.pk: False}
    assert bell_count(client.get(LIST)) is None


@pytest.mark.parametrize("path", ["/notifications/{pk}/read/", "/notifications/read/"])
def test_marking_read_takes_a_post(client, path):
    # given
    person = UserFactory()
    notification = NotificationFactory(user=person)
    client.force_login(person)
    # when
    response = client.get(path.format(pk=notification.pk))
    # then
    assert response.status_code == 405
    assert read_states() == {notification.pk: False}


@pytest.mark.parametrize(
    ("method", "path"), [("get", "/notifications/{pk}/"), ("post", "/notifications/{pk}/read/")]
)
def test_someone_elses_notification_is_a_404_and_stays_unread(client, method, path):
    # given
    theirs = NotificationFactory()
    intruder = UserFactory()
    NotificationFactory(user=intruder)
    client.force_login(intruder)
    before = read_states()
    # when: their id, and ids that belong to nobody
    responses = [getattr(client, method)(path.format(pk=pk)) for pk in (theirs.pk, theirs.pk + 1000, 0)]
    # then
    assert [response.status_code for response in responses] == [404, 404, 404]
    assert read_states() == before


# --- E-mail preferences ---------------------------------------------------------------------------


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_the_preferences_page_lists_every_kind_in_arabic_all_ticked_at_first(client):
    # given
    client.force_login(UserFactory())
    with translation.override("ar"):
        labels = {name: str(kind.label) for name, kind in KINDS.items()}
    # when
    page = client.get(PREFERENCES).content.decode()
    # then
    assert ARABIC.search(labels["new_offer"]) and ARABIC.search(labels["withdrawal_processed"])
    for name, label in labels.items():
        assert label in page, name
        assert re.search(rf'<input type="checkbox" name="email_kinds" value="{name}"[^>]* checked', page), (
            name
        )
    assert 'value="ar" selected' in page


def test_the_preferences_form_saves_each_kinds_choice_and_the_language():
    # given: a browser that has to send the form's CSRF token
    person = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    token = csrf_token(browser.get(PREFERENCES).content.decode())
    wanted = [name for name in KINDS if name not in {"new_message", "new_offer"}]
    # when
    response = browser.post(
        PREFERENCES, {"csrfmiddlewaretoken": token, "email_kinds": wanted, "language": "en"}
    )
    # then
    assert response.status_code == 302
    assert set(EmailPreference.objects.filter(user=person).values_list("kind", flat=True)) == {
        "new_message",
        "new_offer",
    }
    assert NotificationSettings.objects.get(user=person).language == "en"
    page = browser.get(PREFERENCES).content.decode()
    assert not re.search(r'value="new_offer"[^>]* checked', page)
    assert re.search(r'value="delivered"[^>]* checked', page)


def test_unticking_every_box_turns_every_email_off(client):
    # given
    person = UserFactory()
    client.force_login(person)
    # when: only the language comes with the form
    response = client.post(PREFERENCES, {"language": "ar"})
    # then
    assert response.status_code == 302
    assert set(EmailPreference.objects.filter(user=person).values_list("kind", flat=True)) == set(KINDS)


def test_the_preferences_form_without_its_csrf_token_is_refused_and_nothing_changes():
    # given
    person = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person)
    # when
    response = browser.post(PREFERENCES, {"email_kinds": [], "language": "en"})
    # then
    assert response.status_code == 403
    assert not EmailPreference.objects.filter(user=person).exists()
    assert not NotificationSettings.objects.filter(user=person).exists()


def test_an_unknown_kind_or_language_is_refused_and_nothing_changes(client):
    # given
    person = UserFactory()
    client.force_login(person)
    # when
    response = client.post(PREFERENCES, {"email_kinds": ["no_such_kind"], "language": "xx"})
    # then
    assert response.status_code == 200
    assert not EmailPreference.objects.filter(user=person).exists()
    assert not NotificationSettings.objects.filter(user=person).exists()

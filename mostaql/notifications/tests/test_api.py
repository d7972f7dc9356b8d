"""The notifications API: the permission matrix, the unread count, marking one or all read, and
another person's notification left alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mostaql.api.tests.support import ApiClient, Row, assert_error, check_row, verified_user
from mostaql.notifications.models import Notification
from mostaql.notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def a_notification_of(owner):
    return {"notification_id": NotificationFactory(user=owner).pk}


MATRIX = [
    Row("GET", "/api/v1/notifications/", anonymous=401, other=200, owner=200, staff=200),
    Row("GET", "/api/v1/notifications/unread/", anonymous=401, other=200, owner=200, staff=200),
    Row(
        "POST",
        "/api/v1/notifications/{notification_id}/read/",
        setup=a_notification_of,
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row("POST", "/api/v1/notifications/read/", anonymous=401, other=200, owner=200, staff=200),
]


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_permission_matrix(row):
    check_row(row)


def test_the_list_the_count_and_marking_read():
    person = verified_user()
    first, second, third = (NotificationFactory(user=person) for _number in range(3))
    NotificationFactory()  # someone else's
    client = ApiClient(person)
    listed = client.get("/api/v1/notifications/").json()
    assert [item["id"] for item in listed["items"]] == [third.pk, second.pk, first.pk]
    assert listed["items"][0]["title"] == third.title and listed["items"][0]["is_read"] is False
    assert client.get("/api/v1/notifications/unread/").json() == {"unread": 3}

    one = client.post(f"/api/v1/notifications/{second.pk}/read/")
    assert one.status_code == 200 and one.json()["is_read"] is True
    assert client.get("/api/v1/notifications/unread/").json() == {"unread": 2}
    assert client.post(f"/api/v1/notifications/{second.pk}/read/").json()["is_read"] is True  # again: no-op

    assert client.post("/api/v1/notifications/read/").json() == {"marked": 2, "unread": 0}
    assert Notification.objects.filter(is_read=False).count() == 1  # the other person's


def test_another_persons_notification_is_not_found_and_stays_unread():
    theirs = NotificationFactory()
    response = ApiClient(verified_user()).post(f"/api/v1/notifications/{theirs.pk}/read/")
    assert_error(response, 404, "not_found")
    assert Notification.objects.get(pk=theirs.pk).is_read is False


def test_the_list_costs_the_same_at_two_sizes(django_assert_num_queries):
    person = verified_user()
    client = ApiClient(person)
    client.get("/api/v1/notifications/")
    NotificationFactory.create_batch(2, user=person)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/notifications/?page_size=50").json()["count"] == 2
    NotificationFactory.create_batch(20, user=person)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get("/api/v1/notifications/?page_size=50").json()["count"] == 22

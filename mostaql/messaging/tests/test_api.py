"""The messaging API: the permission matrix, the inbox's unread counts, masking as on the web, reading,
and refusals leaving every conversation and message as it was."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mostaql.api.tests.support import ApiClient, Row, assert_error, check_row, verified_user
from mostaql.core.tests.samples import picture
from mostaql.core.uploads import clean_deliverable
from mostaql.messaging import services
from mostaql.messaging.models import Conversation, Message, MessageAttachment
from mostaql.projects.tests.factories import freelancer_user, hire, open_project, place_offer

pytestmark = pytest.mark.django_db

CONTACT = "راسلني على sara@example.com أو على 0501234567"


def conversation_of(owner, *, with_message: bool = False) -> Conversation:
    """A conversation between `owner` (the project's owner) and a bidder."""
    offer = place_offer(open_project(owner), freelancer_user())
    conversation = services.open_conversation(
        project=offer.project, client=owner, freelancer=offer.freelancer
    )
    if with_message:
        services.send_message(sender=offer.freelancer, conversation=conversation, body="مرحباً، أنا جاهز.")
    return conversation


def a_bid_on_a_project_of(owner):
    return {"offer_id": place_offer(open_project(owner), freelancer_user()).pk}


def a_conversation_of(owner):
    return {"conversation_id": conversation_of(owner, with_message=True).pk}


def a_file_in_a_conversation_of(owner):
    conversation = conversation_of(owner)
    png = clean_deliverable(SimpleUploadedFile("brief.png", picture("PNG")))
    services.send_message(sender=owner, conversation=conversation, body="", files=[png])
    return {"file_id": MessageAttachment.objects.get(message__conversation=conversation).pk}


MATRIX = [
    Row(
        "GET",
        "/api/v1/conversations/files/{file_id}/",
        setup=a_file_in_a_conversation_of,
        anonymous=401,
        other=404,
        owner=200,
        staff=404,  # only the two sides read a conversation
    ),
    Row(
        "GET",
        "/api/v1/conversations/files/{file_id}/preview/",
        setup=a_file_in_a_conversation_of,
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row("GET", "/api/v1/conversations/", anonymous=401, other=200, owner=200, staff=200),
    Row(
        "POST",
        "/api/v1/offers/{offer_id}/conversation/",
        setup=a_bid_on_a_project_of,
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "GET",
        "/api/v1/conversations/{conversation_id}/",
        setup=a_conversation_of,
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "GET",
        "/api/v1/conversations/{conversation_id}/messages/",
        setup=a_conversation_of,
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "POST",
        "/api/v1/conversations/{conversation_id}/messages/",
        setup=a_conversation_of,
        body={"body": "هل يمكنك البدء غداً؟"},
        anonymous=401,
        other=404,
        owner=201,
        staff=404,
    ),
    Row(
        "POST",
        "/api/v1/conversations/{conversation_id}/read/",
        setup=a_conversation_of,
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
]


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_permission_matrix(row):
    check_row(row)


def test_the_owner_opens_one_conversation_per_bidder_and_both_write():
    owner = verified_user()
    offer = place_offer(open_project(owner), freelancer_user())
    client, freelancer = ApiClient(owner), ApiClient(offer.freelancer)
    opened = client.post(f"/api/v1/offers/{offer.pk}/conversation/")
    assert opened.status_code == 200, opened.content
    again = client.post(f"/api/v1/offers/{offer.pk}/conversation/")
    assert again.json()["id"] == opened.json()["id"] and Conversation.objects.count() == 1
    path = f"/api/v1/conversations/{opened.json()['id']}/"
    # Not in the inbox until a message is written.
    assert client.get("/api/v1/conversations/").json()["count"] == 0

    sent = client.post(path + "messages/", {"body": "متى يمكنك البدء؟"})
    assert sent.status_code == 201 and sent.json()["masked"] is False
    freelancer.post(path + "messages/", {"body": "غداً إن شاء الله."})
    freelancer.post(path + "messages/", {"body": "وأرسل لك خطة العمل."})

    inbox = client.get("/api/v1/conversations/").json()["items"]
    assert [(item["id"], item["unread"], item["last_message"]) for item in inbox] == [
        (opened.json()["id"], 2, "وأرسل لك خطة العمل.")
    ]
    thread = client.get(path + "messages/").json()
    assert [message["body"] for message in thread["items"]] == [
        "متى يمكنك البدء؟",
        "غداً إن شاء الله.",
        "وأرسل لك خطة العمل.",
    ]
    assert client.get("/api/v1/conversations/").json()["items"][0]["unread"] == 2  # reading is not marking
    read = client.post(path + "read/")
    assert read.status_code == 200 and read.json()["unread"] == 0
    assert client.get("/api/v1/conversations/").json()["items"][0]["unread"] == 0
    assert freelancer.get("/api/v1/conversations/").json()["items"][0]["unread"] == 0


def test_contact_details_are_masked_before_a_contract_and_the_response_says_so():
    conversation = conversation_of(verified_user())
    path = f"/api/v1/conversations/{conversation.pk}/messages/"
    masked = ApiClient(conversation.freelancer).post(path, {"body": CONTACT})
    assert masked.status_code == 201
    assert masked.json()["masked"] is True
    assert "sara@example.com" not in masked.json()["body"] and "0501234567" not in masked.json()["body"]
    assert Message.objects.get(pk=masked.json()["id"]).was_masked

    hire(conversation.project.offers.get(freelancer=conversation.freelancer))
    plain = ApiClient(conversation.freelancer).post(path, {"body": CONTACT})
    assert plain.json()["masked"] is False and plain.json()["body"] == CONTACT


@pytest.mark.parametrize("body", [{"body": "   "}, {"body": ""}, {}, {"body": "x" * 5001}])
def test_an_empty_or_too_long_message_is_a_422_naming_the_body(body):
    conversation = conversation_of(verified_user())
    response = ApiClient(conversation.client).post(f"/api/v1/conversations/{conversation.pk}/messages/", body)
    assert set(assert_error(response, 422)["fields"]) == {"body"}
    assert not Message.objects.exists()


def test_a_stranger_can_neither_open_nor_write_nor_mark_read():
    conversation = conversation_of(verified_user(), with_message=True)
    offer = conversation.project.offers.get()
    stranger = ApiClient(verified_user())
    before = list(Conversation.objects.values()), list(Message.objects.values())
    assert_error(stranger.post(f"/api/v1/offers/{offer.pk}/conversation/"), 404, "not_found")
    assert_error(stranger.post(f"/api/v1/conversations/{conversation.pk}/messages/", {"body": "مرحباً"}), 404)
    assert_error(stranger.post(f"/api/v1/conversations/{conversation.pk}/read/"), 404)
    # The bidder is a side, but only the owner opens conversations.
    assert_error(ApiClient(offer.freelancer).post(f"/api/v1/offers/{offer.pk}/conversation/"), 404)
    assert (list(Conversation.objects.values()), list(Message.objects.values())) == before


@pytest.mark.parametrize("kind", ["inbox", "messages"])
def test_the_lists_cost_the_same_at_two_sizes(kind, django_assert_num_queries, settings):
    settings.OFFERS_PER_MONTH = 100
    owner = verified_user()
    client = ApiClient(owner)
    client.get("/api/v1/conversations/")
    thread = conversation_of(owner)

    def make(count):
        for _number in range(count):
            conversation = conversation_of(owner) if kind == "inbox" else thread
            services.send_message(sender=conversation.freelancer, conversation=conversation, body="رسالة")

    path = "/api/v1/conversations/" if kind == "inbox" else f"/api/v1/conversations/{thread.pk}/messages/"
    make(2)
    with CaptureQueriesContext(connection) as small:
        small_count = client.get(path + "?page_size=50").json()["count"]
    make(10)
    with django_assert_num_queries(len(small.captured_queries)):
        large_count = client.get(path + "?page_size=50").json()["count"]
    assert large_count == small_count + 10

"""The inbox and a long conversation: what they list, in which order, and what each page costs."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import UserFactory
from mostaql.messaging import selectors, services
from mostaql.messaging.models import Conversation, Message, MessageAttachment
from mostaql.messaging.tests.test_services import bidding
from mostaql.projects.tests.factories import ProjectFactory, client_user, open_project, place_offer

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def shown_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="message-(\d+)"', response.content.decode())]


def text_of(response) -> str:
    return html.unescape(response.content.decode())


# --- The inbox ----------------------------------------------------------------------------------------


def test_the_inbox_lists_my_conversations_newest_first_with_unread_counts_and_the_last_message():
    scene = bidding()
    me = scene.owner
    with_bidder = services.open_conversation(project=scene.project, client=me, freelancer=scene.bidder)
    with_other = services.open_conversation(project=scene.project, client=me, freelancer=scene.other_bidder)
    # On someone else's project I am the bidder.
    elsewhere = open_project(client_user("هند صاحبة المشروع"), title="ترجمة كتيب إلى الإنجليزية")
    place_offer(elsewhere, me)
    as_bidder = services.open_conversation(project=elsewhere, client=elsewhere.owner, freelancer=me)
    services.send_message(sender=me, conversation=with_bidder, body="هل يمكنك البدء غداً؟")
    services.send_message(sender=scene.bidder, conversation=with_bidder, body="نعم")
    services.send_message(sender=scene.bidder, conversation=with_bidder, body="أرسلت لك المسودة الأولى")
    services.send_message(sender=elsewhere.owner, conversation=as_bidder, body="عرضك مناسب، متى تبدأ؟")
    services.send_message(sender=me, conversation=with_other, body="شكراً على عرضك")

    listed = list(selectors.inbox(me))

    assert [(item, item.unread, item.last_body) for item in listed] == [
        (with_other, 0, "شكراً على عرضك"),
        (as_bidder, 1, "عرضك مناسب، متى تبدأ؟"),
        (with_bidder, 2, "أرسلت لك المسودة الأولى"),
    ]


def test_the_unread_count_counts_the_other_sides_messages_after_my_read_mark():
    scene = bidding()
    conversation = services.open_conversation(
        project=scene.project, client=scene.owner, freelancer=scene.bidder
    )
    services.send_message(sender=scene.bidder, conversation=conversation, body="الأولى")
    services.send_message(sender=scene.bidder, conversation=conversation, body="الثانية")

    services.mark_read(user=scene.owner, conversation=conversation)
    services.send_message(sender=scene.bidder, conversation=conversation, body="الثالثة")

    [for_owner] = selectors.inbox(scene.owner)
    [for_bidder] = selectors.inbox(scene.bidder)
    assert for_owner.unread == 1
    assert for_bidder.unread == 0  # their own messages are never unread to them


def test_a_conversation_appears_in_the_inbox_once_someone_writes():
    scene = bidding()
    conversation = services.open_conversation(
        project=scene.project, client=scene.owner, freelancer=scene.bidder
    )
    assert list(selectors.inbox(scene.owner)) == []
    assert list(selectors.inbox(scene.bidder)) == []

    services.send_message(sender=scene.owner, conversation=conversation, body="مرحباً")

    assert list(selectors.inbox(scene.owner)) == [conversation]
    assert list(selectors.inbox(scene.bidder)) == [conversation]
    assert list(selectors.inbox(scene.other_bidder)) == []


def test_the_inbox_page_shows_the_other_side_the_project_the_preview_and_the_unread_badge(client):
    scene = bidding()
    conversation = services.open_conversation(
        project=scene.project, client=scene.owner, freelancer=scene.bidder
    )
    services.send_message(sender=scene.bidder, conversation=conversation, body="أرسلت لك المسودة الأولى")
    services.send_message(sender=scene.bidder, conversation=conversation, body="وهذه الثانية")
    client.force_login(scene.owner)

    response = client.get("/messages/")

    page = text_of(response)
    assert scene.bidder.name in page and scene.project.title in page
    assert "وهذه الثانية" in page
    assert re.search(r'<span class="count-badge"[^>]*>2</span>', page)
    assert f'href="/messages/{conversation.pk}/"' in page


def test_messages_of_lists_a_conversation_oldest_first_with_its_files():
    scene = bidding()
    conversation = services.open_conversation(
        project=scene.project, client=scene.owner, freelancer=scene.bidder
    )
    first = services.send_message(sender=scene.owner, conversation=conversation, body="الأولى")
    second = services.send_message(sender=scene.bidder, conversation=conversation, body="الثانية")

    assert list(selectors.messages_of(conversation)) == [first, second]


# --- What the pages cost --------------------------------------------------------------------------------


def add_conversations(me: User, count: int) -> None:
    """Plain rows: `count` conversations, half where I hired and half where I bid, each with messages."""
    now = timezone.now()
    for number in range(count):
        someone = UserFactory()
        if number % 2:
            project = ProjectFactory(owner=me)
            conversation = Conversation.objects.create(project=project, client=me, freelancer=someone)
        else:
            project = ProjectFactory(owner=someone)
            conversation = Conversation.objects.create(project=project, client=someone, freelancer=me)
        Message.objects.bulk_create(
            [
                Message(conversation=conversation, sender=me, body="مرحباً"),
                Message(conversation=conversation, sender=someone, body=f"رد رقم {number}"),
            ]
        )
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)


def test_the_inbox_costs_the_same_with_3_and_30_conversations(client, django_assert_num_queries):
    me = client_user("صاحب الصندوق")
    client.force_login(me)
    add_conversations(me, 3)
    with_three = queries_for(client, "/messages/")
    add_conversations(me, 27)
    client.get("/messages/")

    with django_assert_num_queries(with_three):
        response = client.get("/messages/")

    assert len(response.context["page"].object_list) == 30
    assert with_three <= 6


def add_messages(conversation: Conversation, count: int) -> list[Message]:
    """Plain rows: `count` messages from both sides, every fifth with a file."""
    sides = (conversation.client, conversation.freelancer)
    messages = Message.objects.bulk_create(
        [
            Message(conversation=conversation, sender=sides[number % 2], body=f"رسالة رقم {number}")
            for number in range(count)
        ]
    )
    saved = list(conversation.messages.order_by("id"))
    MessageAttachment.objects.bulk_create(
        [
            MessageAttachment(
                message=message,
                file=f"messages/{message.pk}.pdf",
                original_name="ملف.pdf",
                kind="pdf",
                size=80,
            )
            for message in saved[-count::5]
        ]
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=timezone.now())
    assert len(messages) == count
    return saved


def long_conversation(count: int) -> Conversation:
    scene = bidding()
    conversation = services.open_conversation(
        project=scene.project, client=scene.owner, freelancer=scene.bidder
    )
    add_messages(conversation, count)
    return conversation


def test_a_conversation_of_500_messages_opens_on_its_last_page_of_50(client, settings):
    assert settings.MESSAGES_PER_PAGE == 50
    conversation = long_conversation(500)
    ids = list(conversation.messages.order_by("id").values_list("id", flat=True))
    client.force_login(conversation.client)

    response = client.get(f"/messages/{conversation.pk}/")

    assert shown_ids(response) == ids[-50:]
    assert response.context["page"].number == 10
    assert 'href="?page=9"' in response.content.decode()
    assert f"/poll/?after={ids[-1]}" in response.content.decode()


def test_an_earlier_page_of_the_conversation_has_no_poller(client):
    conversation = long_conversation(500)
    ids = list(conversation.messages.order_by("id").values_list("id", flat=True))
    client.force_login(conversation.freelancer)

    response = client.get(f"/messages/{conversation.pk}/?page=1")

    assert shown_ids(response) == ids[:50]
    assert 'id="poller"' not in response.content.decode()
    assert 'href="?page=2"' in response.content.decode()


def test_a_conversation_of_500_messages_costs_the_same_as_one_of_60(client, django_assert_num_queries):
    short = long_conversation(60)
    client.force_login(short.client)
    with_sixty = queries_for(client, f"/messages/{short.pk}/")
    client.logout()
    long = long_conversation(500)  # a second project of a new owner: the same shape, more rows
    client.force_login(long.client)
    client.get(f"/messages/{long.pk}/")

    with django_assert_num_queries(with_sixty):
        response = client.get(f"/messages/{long.pk}/")

    assert len(shown_ids(response)) == 50
    assert with_sixty <= 8

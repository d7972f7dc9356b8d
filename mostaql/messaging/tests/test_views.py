"""The message pages as the two sides use them: start, read, write with files, poll, download — and
the 404 everyone else gets, whatever the id."""

import html
import re
from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from mostaql.core.masking import MASK
from mostaql.messaging import services
from mostaql.messaging.models import Conversation, Message
from mostaql.messaging.tests.test_services import CONTACTS, MASKED_CONTACTS, bidding, message_state
from mostaql.projects.tests.factories import clean_pdf, hire, pdf_upload, png_upload
from mostaql.projects.tests.support import private_files

pytestmark = pytest.mark.django_db

MESSAGE_WARNING = (
    "Contact details were hidden from your message: until you have a contract, talk and pay through "
    "Mostaql, where your money is protected."
)
MASKED_NOTE = "Contact details were hidden: they are shared once there is a contract."
OUTSIDERS = ["other_bidder", "stranger", "staff"]


def site_wording(message_id: str) -> str:
    """The Arabic the site shows for `message_id`, or the English id where the catalogue has none yet."""
    with translation.override("ar"):
        return gettext(message_id)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def shown_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'id="message-(\d+)"', response.content.decode())]


def poller_after(response) -> int:
    found = re.search(r'<div id="poller"[^>]*hx-get="[^"]*/poll/\?after=(\d+)"', response.content.decode())
    assert found, "no poller on the page"
    return int(found.group(1))


def login_redirect(path: str) -> str:
    return f"{reverse('account_login')}?next={quote(path)}"


@pytest.fixture
def scene():
    return bidding()


@pytest.fixture
def conversation(scene):
    return services.open_conversation(project=scene.project, client=scene.owner, freelancer=scene.bidder)


# --- Starting a conversation ------------------------------------------------------------------------


def test_the_owner_starts_a_conversation_from_an_offer(client, scene):
    client.force_login(scene.owner)

    response = client.post(f"/messages/start/{scene.offer.pk}/")

    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response.url == f"/messages/{conversation.pk}/"
    assert (conversation.client, conversation.freelancer) == (scene.owner, scene.bidder)
    assert client.post(f"/messages/start/{scene.offer.pk}/").url == response.url  # the same one again


@pytest.mark.parametrize("someone", ["bidder", "other_bidder", "stranger", "staff"])
def test_only_the_owner_can_start_a_conversation_from_an_offer(client, scene, someone):
    client.force_login(scene.person(someone))

    response = client.post(f"/messages/start/{scene.offer.pk}/")

    assert response.status_code == 404
    assert not Conversation.objects.exists()


def test_starting_a_conversation_needs_a_post_and_a_login(client, scene):
    path = f"/messages/start/{scene.offer.pk}/"
    assert client.post(path).url == login_redirect(path)

    client.force_login(scene.owner)
    assert client.get(path).status_code == 405
    assert client.post("/messages/start/999999/").status_code == 404
    assert not Conversation.objects.exists()


# --- Who reads what ---------------------------------------------------------------------------------


@pytest.mark.parametrize("side", ["owner", "bidder"])
def test_both_sides_read_the_conversation(client, scene, conversation, side):
    services.send_message(sender=scene.owner, conversation=conversation, body="أهلاً ليلى")
    client.force_login(scene.person(side))

    response = client.get(f"/messages/{conversation.pk}/")

    assert response.status_code == 200
    assert "أهلاً ليلى" in text_of(response)
    assert response.context["other"] == (scene.bidder if side == "owner" else scene.owner)


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_anyone_else_gets_a_404_on_every_page_of_the_conversation(
    client, scene, conversation, outsider, django_capture_on_commit_callbacks
):
    message = services.send_message(
        sender=scene.bidder, conversation=conversation, body="الملف", files=[clean_pdf("brief.pdf")]
    )
    # The bidder who lost has a conversation of their own with the same owner: it opens nothing else.
    services.open_conversation(project=scene.project, client=scene.owner, freelancer=scene.other_bidder)
    hire(scene.offer)
    client.force_login(scene.person(outsider))
    before = message_state()

    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            client.get(f"/messages/{conversation.pk}/"),
            client.post(f"/messages/{conversation.pk}/", {"body": "أنا هنا أيضاً"}),
            client.get(f"/messages/{conversation.pk}/poll/?after=0"),
            client.get(f"/messages/files/{message.attachments.get().pk}/"),
        ]

    assert [response.status_code for response in responses] == [404, 404, 404, 404]
    assert message_state() == before


@pytest.mark.parametrize("side", ["owner", "bidder"])
def test_an_id_that_does_not_exist_is_a_404_too(client, scene, conversation, side):
    client.force_login(scene.person(side))

    assert client.get("/messages/999999/").status_code == 404
    assert client.get("/messages/999999/poll/").status_code == 404
    assert client.get("/messages/files/999999/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, conversation):
    for path in (
        "/messages/",
        f"/messages/{conversation.pk}/",
        f"/messages/{conversation.pk}/poll/?after=0",
        "/messages/files/1/",
    ):
        response = client.get(path)
        assert (response.status_code, response.url) == (302, login_redirect(path))


# --- Writing ---------------------------------------------------------------------------------------


def test_a_message_sent_from_the_page_appears_in_the_conversation(client, scene, conversation):
    client.force_login(scene.bidder)

    response = client.post(f"/messages/{conversation.pk}/", {"body": "\u202eسأرسل\u202c التصاميم اليوم"})

    assert (response.status_code, response.url) == (302, f"/messages/{conversation.pk}/")
    message = Message.objects.get()
    assert (message.sender, message.body, message.was_masked) == (scene.bidder, "سأرسل التصاميم اليوم", False)
    page = client.get(response.url)
    assert "سأرسل التصاميم اليوم" in text_of(page)
    assert site_wording(MESSAGE_WARNING) not in text_of(page)


def test_before_a_hire_the_sender_is_told_why_contact_details_were_hidden(client, scene, conversation):
    client.force_login(scene.bidder)

    response = client.post(f"/messages/{conversation.pk}/", {"body": CONTACTS}, follow=True)

    message = Message.objects.get()
    assert (message.body, message.was_masked) == (MASKED_CONTACTS, True)
    page = text_of(response)
    assert site_wording(MESSAGE_WARNING) in page
    assert site_wording(MASKED_NOTE) in page
    assert "gmail" not in page and "٠٥٠" not in page


def test_after_the_hire_the_same_text_is_sent_as_written_without_a_warning(client, scene):
    hire(scene.offer)
    conversation = Conversation.objects.get()
    client.force_login(scene.owner)

    response = client.post(f"/messages/{conversation.pk}/", {"body": CONTACTS}, follow=True)

    assert Message.objects.get().body == CONTACTS
    assert site_wording(MESSAGE_WARNING) not in text_of(response)
    assert CONTACTS in text_of(response)


def test_five_files_are_sent_with_the_text(client, scene, conversation):
    client.force_login(scene.owner)

    response = client.post(
        f"/messages/{conversation.pk}/",
        {
            "body": "المواد",
            "files": [pdf_upload(f"brief-{number}.pdf") for number in range(4)] + [png_upload()],
        },
    )

    assert response.status_code == 302
    message = Message.objects.get()
    assert message.attachments.count() == 5
    # the five files as sent, and a preview beside the picture
    assert len(private_files()) == 6
    assert [bool(file.preview) for file in message.attachments.order_by("pk")] == [False] * 4 + [True]


def test_a_file_alone_is_a_message(client, scene, conversation):
    client.force_login(scene.bidder)

    response = client.post(f"/messages/{conversation.pk}/", {"body": "", "files": [pdf_upload("cv.pdf")]})

    assert response.status_code == 302
    assert list(Message.objects.get().attachments.values_list("original_name", flat=True)) == ["cv.pdf"]


@pytest.mark.parametrize("body", ["", "   ", "\u202e\u202c"], ids=["empty", "spaces", "bidi-only"])
def test_an_empty_message_is_refused_with_a_message_and_nothing_is_sent(
    client, scene, conversation, body, django_capture_on_commit_callbacks
):
    client.force_login(scene.owner)
    before = message_state()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/messages/{conversation.pk}/", {"body": body})

    assert response.status_code == 200
    assert response.context["form"].errors["body"] == [site_wording("Write a message or attach a file.")]
    assert message_state() == before


def test_six_files_are_refused_and_nothing_is_sent(
    client, scene, conversation, django_capture_on_commit_callbacks
):
    client.force_login(scene.owner)
    before = message_state()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/messages/{conversation.pk}/",
            {"body": "كل الملفات", "files": [pdf_upload(f"part-{number}.pdf") for number in range(6)]},
        )

    assert response.status_code == 200
    assert response.context["form"].errors["files"] == [
        site_wording("You can attach at most %(count)s files.") % {"count": 5}
    ]
    assert message_state() == before


def test_an_oversized_file_is_refused_and_nothing_is_sent(
    client, scene, conversation, settings, django_capture_on_commit_callbacks
):
    # the test PDF is about 80 bytes; attachments have a limit per kind
    settings.UPLOAD_MAX_DELIVERABLE_BYTES = {**settings.UPLOAD_MAX_DELIVERABLE_BYTES, "pdf": 40}
    client.force_login(scene.owner)
    before = message_state()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/messages/{conversation.pk}/", {"body": "الملف المرفق", "files": [pdf_upload("big.pdf")]}
        )

    assert response.status_code == 200
    [error] = response.context["form"].errors["files"]
    too_large = site_wording("«%(name)s» is too large (%(size)s); %(kind)s may be at most %(limit)s.")
    assert error.startswith(too_large.split("%(size)s")[0].replace("%(name)s", "big.pdf"))
    assert "40" in error
    assert message_state() == before


# --- Polling ---------------------------------------------------------------------------------------


def test_the_poll_returns_only_the_new_messages_and_the_next_poller(client, scene, conversation):
    first = services.send_message(sender=scene.owner, conversation=conversation, body="الرسالة الأولى")
    client.force_login(scene.bidder)
    page = client.get(f"/messages/{conversation.pk}/")
    assert poller_after(page) == first.pk
    second = services.send_message(sender=scene.owner, conversation=conversation, body="الرسالة الثانية")
    third = services.send_message(sender=scene.owner, conversation=conversation, body="الرسالة الثالثة")

    response = client.get(f"/messages/{conversation.pk}/poll/?after={first.pk}")

    assert response.status_code == 200
    assert shown_ids(response) == [second.pk, third.pk]
    assert "الرسالة الأولى" not in text_of(response)
    assert 'hx-swap-oob="true"' in response.content.decode()
    assert poller_after(response) == third.pk


def test_a_poll_with_nothing_new_keeps_its_place_and_leaves_the_read_mark(client, scene, conversation):
    last = services.send_message(sender=scene.owner, conversation=conversation, body="مرحباً")
    client.force_login(scene.bidder)

    response = client.get(f"/messages/{conversation.pk}/poll/?after={last.pk}")

    assert shown_ids(response) == []
    assert poller_after(response) == last.pk
    conversation.refresh_from_db()
    assert conversation.freelancer_read_at is None


def test_a_poll_that_brings_messages_marks_them_read(client, scene, conversation):
    services.send_message(sender=scene.owner, conversation=conversation, body="مرحباً")
    client.force_login(scene.bidder)

    client.get(f"/messages/{conversation.pk}/poll/?after=0")

    conversation.refresh_from_db()
    assert conversation.freelancer_read_at >= conversation.last_message_at


def test_a_poll_with_a_bad_after_starts_from_the_beginning(client, scene, conversation):
    message = services.send_message(sender=scene.owner, conversation=conversation, body="مرحباً")
    client.force_login(scene.owner)

    response = client.get(f"/messages/{conversation.pk}/poll/?after=abc")

    assert shown_ids(response) == [message.pk]


# --- Files -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("side", ["owner", "bidder"])
def test_both_sides_download_an_attachment_under_its_own_name(client, scene, conversation, side):
    message = services.send_message(
        sender=scene.bidder, conversation=conversation, body="", files=[clean_pdf("عرض السعر.pdf")]
    )
    client.force_login(scene.person(side))

    response = client.get(f"/messages/files/{message.attachments.get().pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_upload().read()
    assert "attachment" in response["Content-Disposition"]
    assert quote("عرض السعر.pdf") in response["Content-Disposition"]
    response.close()


# --- Reading marks -----------------------------------------------------------------------------------


def test_opening_the_conversation_marks_it_read(client, scene, conversation):
    services.send_message(sender=scene.owner, conversation=conversation, body="هل أنت متاحة؟")
    client.force_login(scene.bidder)
    assert client.get("/messages/").context["page"].object_list[0].unread == 1

    client.get(f"/messages/{conversation.pk}/")

    assert client.get("/messages/").context["page"].object_list[0].unread == 0
    conversation.refresh_from_db()
    assert conversation.client_read_at is not None  # the owner's own mark is untouched by the bidder


def test_a_new_message_emails_the_other_side_with_a_link_to_the_conversation(
    client, scene, conversation, django_capture_on_commit_callbacks
):
    client.force_login(scene.owner)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/messages/{conversation.pk}/", {"body": "هل يمكنك البدء غداً؟"})

    [email] = mail.outbox
    assert email.to == [scene.bidder.email]
    assert "هل يمكنك البدء غداً؟" in email.body
    assert f"/messages/{conversation.pk}/" in email.body
    assert MASK not in email.body

"""Files sent in messages, on the page and through the API: kept byte for byte, served as downloads of
the right type with a preview beside pictures, and only to the conversation's two sides."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mostaql.api.tests.support import ApiClient, assert_error
from mostaql.core.tests import samples
from mostaql.core.uploads import clean_deliverable
from mostaql.messaging import services
from mostaql.messaging.models import Message, MessageAttachment
from mostaql.projects.tests.factories import (
    client_user,
    freelancer_user,
    moderator,
    open_project,
    place_offer,
)
from mostaql.projects.tests.support import private_files
from mostaql.reports.services import hide_item

pytestmark = pytest.mark.django_db

PNG = samples.picture("PNG", size=(2000, 1200))
SVG = samples.SVG


@pytest.fixture
def conversation():
    owner = client_user("سامي العميل")
    offer = place_offer(open_project(owner), freelancer_user("ليلى المصممة"))
    return services.open_conversation(project=offer.project, client=owner, freelancer=offer.freelancer)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def downloaded(response) -> bytes:
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_png_and_an_svg_sent_in_a_message_are_downloaded_byte_identical(conversation):
    # when the freelancer sends a PNG and an SVG on the conversation page
    response = signed_in(conversation.freelancer).post(
        f"/messages/{conversation.pk}/",
        {
            "body": "النسخة الأولى من الشعار",
            "files": [SimpleUploadedFile("draft.png", PNG), SimpleUploadedFile("شعار.svg", SVG)],
        },
    )

    # then the client downloads exactly what was sent, as attachments of the right type
    assert response.status_code == 302
    png, svg = MessageAttachment.objects.order_by("pk")
    client = signed_in(conversation.client)
    png_response = client.get(f"/messages/files/{png.pk}/")
    svg_response = client.get(f"/messages/files/{svg.pk}/")
    assert sha256(downloaded(png_response)) == sha256(PNG)
    assert sha256(downloaded(svg_response)) == sha256(SVG)
    assert png_response["Content-Type"] == "image/png"
    assert png_response["Content-Disposition"] == 'attachment; filename="draft.png"'
    assert svg_response["Content-Type"] == "image/svg+xml"
    assert svg_response["Content-Disposition"] == "attachment; filename*=utf-8''%D8%B4%D8%B9%D8%A7%D8%B1.svg"
    assert svg_response["X-Content-Type-Options"] == "nosniff"
    # and the thread shows a preview of the picture only
    page = client.get(f"/messages/{conversation.pk}/").content.decode()
    assert f"/messages/files/{png.pk}/preview/" in page
    assert f"/messages/files/{svg.pk}/preview/" not in page
    assert client.get(f"/messages/files/{png.pk}/preview/")["Content-Type"] == "image/jpeg"


def test_someone_outside_the_conversation_cannot_download_its_files(conversation):
    services.send_message(
        sender=conversation.freelancer,
        conversation=conversation,
        body="",
        files=[clean_deliverable(samples.upload("draft.png", PNG))],
    )
    attachment = MessageAttachment.objects.get()
    stranger = signed_in(freelancer_user("عابر سبيل"))

    assert stranger.get(f"/messages/files/{attachment.pk}/").status_code == 404
    assert stranger.get(f"/messages/files/{attachment.pk}/preview/").status_code == 404


def test_an_html_page_named_as_a_drawing_is_refused_on_the_page_and_nothing_is_sent(conversation):
    response = signed_in(conversation.client).post(
        f"/messages/{conversation.pk}/",
        {"body": "انظر", "files": [SimpleUploadedFile("logo.svg", samples.HTML_PAGE)]},
    )

    assert response.status_code == 200
    [error] = response.context["form"].errors["files"]
    assert error.startswith("«logo.svg» ")
    assert not Message.objects.exists()
    assert private_files() == set()


# --- Through the API -------------------------------------------------------------------------------


def api_send(user, conversation, data: dict):
    api = ApiClient(user)
    return api.client.post(
        f"/api/v1/conversations/{conversation.pk}/messages/",
        data,
        headers={"Authorization": f"Bearer {api.token}"},
    )


def test_the_api_sends_a_message_with_files_and_they_download_byte_identical(conversation):
    # when the client sends a PNG and an SVG, without text, through the API
    response = api_send(
        conversation.client,
        conversation,
        {"files": [SimpleUploadedFile("brief.png", PNG), SimpleUploadedFile("logo.svg", SVG)]},
    )

    # then the message holds both files, and the freelancer downloads each as it was sent
    assert response.status_code == 201, response.content
    files = response.json()["files"]
    assert [(file["name"], file["kind"]) for file in files] == [("brief.png", "image"), ("logo.svg", "svg")]
    freelancer = ApiClient(conversation.freelancer)
    for file, original in zip(files, (PNG, SVG), strict=True):
        assert sha256(downloaded(freelancer.get(file["download_url"]))) == sha256(original)
    assert freelancer.get(files[0]["preview_url"]).status_code == 200
    assert files[1]["preview_url"] is None


def test_the_api_still_takes_a_json_text_message(conversation):
    response = ApiClient(conversation.client).post(
        f"/api/v1/conversations/{conversation.pk}/messages/", {"body": "متى تبدأ؟"}
    )

    assert response.status_code == 201
    assert response.json()["files"] == []


def test_the_api_refuses_a_program_and_sends_nothing(conversation):
    response = api_send(
        conversation.client,
        conversation,
        {"body": "الملف", "files": [SimpleUploadedFile("tool.zip", samples.WINDOWS_PROGRAM)]},
    )

    body = assert_error(response, 422, "invalid_input")
    assert "tool.zip" in body["fields"]["files"]
    assert not Message.objects.exists()
    assert private_files() == set()


def test_text_sent_where_files_belong_is_refused_not_ignored(conversation):
    # schemathesis found this: a text part "null" under `files` was ignored and the message sent
    response = api_send(conversation.client, conversation, {"body": "null", "files": "null"})

    body = assert_error(response, 422, "invalid_input")
    assert "files" in body["fields"]
    assert not Message.objects.exists()


def test_an_empty_message_without_files_is_refused_by_the_api(conversation):
    response = api_send(conversation.client, conversation, {"body": ""})

    assert_error(response, 422)
    assert not Message.objects.exists()


def test_a_stranger_can_neither_send_files_nor_download_them_through_the_api(conversation):
    # given a file in the conversation
    api_send(conversation.client, conversation, {"files": [SimpleUploadedFile("brief.png", PNG)]})
    attachment = MessageAttachment.objects.get()
    stranger = freelancer_user("عابر سبيل")

    # when a stranger tries to send a file into it, or to download or preview its file
    sent = api_send(stranger, conversation, {"files": [SimpleUploadedFile("mine.png", PNG)]})
    outsider = ApiClient(stranger)

    # then each is not found, and nothing was added
    assert_error(sent, 404)
    assert_error(outsider.get(f"/api/v1/conversations/files/{attachment.pk}/"), 404)
    assert_error(outsider.get(f"/api/v1/conversations/files/{attachment.pk}/preview/"), 404)
    assert Message.objects.count() == 1


def test_the_files_of_a_message_the_moderators_hid_are_no_longer_served(conversation):
    # given a message with a file, hidden by a moderator
    message = services.send_message(
        sender=conversation.freelancer,
        conversation=conversation,
        body="",
        files=[clean_deliverable(samples.upload("draft.png", PNG))],
    )
    attachment = MessageAttachment.objects.get()
    hide_item(staff=moderator("مشرفة"), item=message)

    # when the other side asks for the file on the web and through the API
    page = signed_in(conversation.client).get(f"/messages/files/{attachment.pk}/")
    api = ApiClient(conversation.client).get(f"/api/v1/conversations/files/{attachment.pk}/")

    # then it is not found, as the thread no longer lists it
    assert page.status_code == 404
    assert_error(api, 404)

"""Delivered files, on the web page and through the API: kept byte for byte from upload to download,
served as downloads of the right type, with a preview beside pictures, and only to the contract's sides."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mostaql.api.tests.support import ApiClient, assert_error
from mostaql.contracts.models import Contract, DeliveryAttachment
from mostaql.core.tests import samples
from mostaql.projects.tests.support import private_files
from mostaql.wallet.tests.lifecycle_helpers import DELIVERY_MESSAGE, scene_in, snapshot

pytestmark = pytest.mark.django_db

PNG = samples.picture("PNG", size=(2400, 1800))  # larger than any stored size: it must not be resized
SVG = samples.SVG


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def downloaded(response) -> bytes:
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content)


def web_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def deliver_on_the_page(scene, *files):
    return web_client(scene.freelancer).post(
        f"/contracts/{scene.contract.pk}/deliver/", {"message": DELIVERY_MESSAGE, "files": list(files)}
    )


# --- On the web page ------------------------------------------------------------------------------


def test_a_png_and_an_svg_delivered_on_the_page_are_downloaded_byte_identical():
    # given an active contract
    scene = scene_in("active")

    # when the freelancer delivers a large PNG and an SVG logo
    response = deliver_on_the_page(
        scene,
        SimpleUploadedFile("deliverable.png", PNG, "image/png"),
        SimpleUploadedFile("شعار.svg", SVG, "image/svg+xml"),
    )

    # then the contract is delivered, and the client downloads exactly the bytes that were uploaded
    assert response.status_code == 302
    assert scene.refresh().contract.status == Contract.Status.DELIVERED
    png, svg = DeliveryAttachment.objects.order_by("pk")
    client = web_client(scene.client)
    png_response = client.get(f"/contracts/files/{png.pk}/")
    svg_response = client.get(f"/contracts/files/{svg.pk}/")
    assert sha256(downloaded(png_response)) == sha256(PNG)
    assert sha256(downloaded(svg_response)) == sha256(SVG)
    # under the names and types they were sent with, never shown inline
    assert png_response["Content-Type"] == "image/png"
    assert png_response["Content-Disposition"] == 'attachment; filename="deliverable.png"'
    assert svg_response["Content-Type"] == "image/svg+xml"
    assert svg_response["Content-Disposition"] == "attachment; filename*=utf-8''%D8%B4%D8%B9%D8%A7%D8%B1.svg"
    for response in (png_response, svg_response):
        assert response["X-Content-Type-Options"] == "nosniff"


def test_the_page_shows_a_preview_beside_a_delivered_picture_and_none_beside_a_drawing():
    # given a delivery of a PNG and an SVG
    scene = scene_in("active")
    deliver_on_the_page(
        scene, SimpleUploadedFile("deliverable.png", PNG), SimpleUploadedFile("logo.svg", SVG)
    )
    png, svg = DeliveryAttachment.objects.order_by("pk")
    client = web_client(scene.client)

    # when the client opens the contract page and the previews
    page = client.get(f"/contracts/{scene.contract.pk}/").content.decode()
    png_preview = client.get(f"/contracts/files/{png.pk}/preview/")
    svg_preview = client.get(f"/contracts/files/{svg.pk}/preview/")

    # then the picture has a small inline preview; the drawing has none and is only a download
    assert f"/contracts/files/{png.pk}/preview/" in page
    assert f"/contracts/files/{svg.pk}/preview/" not in page
    assert png_preview.status_code == 200
    assert png_preview["Content-Type"] == "image/jpeg"
    assert "attachment" not in png_preview.get("Content-Disposition", "")
    assert svg_preview.status_code == 404


@pytest.mark.parametrize("who", ["stranger", "other_bidder"])
def test_someone_outside_the_contract_cannot_download_a_delivered_file_or_its_preview(who):
    scene = scene_in("active")
    deliver_on_the_page(scene, SimpleUploadedFile("deliverable.png", PNG))
    attachment = DeliveryAttachment.objects.get()
    client = web_client(scene.person(who))

    assert client.get(f"/contracts/files/{attachment.pk}/").status_code == 404
    assert client.get(f"/contracts/files/{attachment.pk}/preview/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in_for_a_delivered_file():
    scene = scene_in("active")
    deliver_on_the_page(scene, SimpleUploadedFile("deliverable.png", PNG))
    attachment = DeliveryAttachment.objects.get()

    response = Client().get(f"/contracts/files/{attachment.pk}/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_a_program_among_the_delivered_files_refuses_the_delivery_with_its_reason():
    # given an active contract
    scene = scene_in("active")
    before = snapshot(scene.client, scene.freelancer)

    # when the freelancer delivers a good PNG and a Windows program named as a picture
    response = deliver_on_the_page(
        scene,
        SimpleUploadedFile("deliverable.png", PNG),
        SimpleUploadedFile("setup.png", samples.WINDOWS_PROGRAM),
    )

    # then the page says which file and why, and nothing was delivered or stored
    assert response.status_code == 200
    [error] = response.context["delivery_form"].errors["files"]
    assert error.startswith("«setup.png» ")
    assert snapshot(scene.client, scene.freelancer) == before
    assert scene.refresh().contract.status == Contract.Status.ACTIVE
    assert private_files() == set()


# --- Through the API -------------------------------------------------------------------------------


def api_deliver(user, contract, data: dict):
    """A multipart POST, as an API client with a token sends files."""
    api = ApiClient(user)
    return api.client.post(
        f"/api/v1/contracts/{contract.pk}/deliver/", data, headers={"Authorization": f"Bearer {api.token}"}
    )


def test_the_api_delivers_files_by_multipart_and_they_download_byte_identical():
    # given an active contract
    scene = scene_in("active")

    # when the freelancer delivers a PNG and an SVG through the API
    response = api_deliver(
        scene.freelancer,
        scene.contract,
        {
            "message": DELIVERY_MESSAGE,
            "files": [SimpleUploadedFile("deliverable.png", PNG), SimpleUploadedFile("logo.svg", SVG)],
        },
    )

    # then the contract is delivered with both files, listed with their kinds and download addresses
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "delivered"
    files = body["deliveries"][0]["files"]
    assert [(file["name"], file["kind"], file["size"]) for file in files] == [
        ("deliverable.png", "image", len(PNG)),
        ("logo.svg", "svg", len(SVG)),
    ]
    assert files[0]["preview_url"] and files[1]["preview_url"] is None
    # and the client downloads each, with a token, exactly as uploaded
    client = ApiClient(scene.client)
    for file, original in zip(files, (PNG, SVG), strict=True):
        download = client.get(file["download_url"])
        assert sha256(downloaded(download)) == sha256(original)
        assert download["Content-Disposition"].startswith("attachment;")
    preview = client.get(files[0]["preview_url"])
    assert preview.status_code == 200 and preview["Content-Type"] == "image/jpeg"


def test_the_api_still_takes_a_json_delivery_without_files():
    scene = scene_in("active")

    response = ApiClient(scene.freelancer).post(
        f"/api/v1/contracts/{scene.contract.pk}/deliver/", {"message": DELIVERY_MESSAGE}
    )

    assert response.status_code == 200
    assert response.json()["deliveries"][0]["files"] == []


def test_the_api_refuses_a_disguised_program_with_a_422_naming_the_files_and_nothing_changes():
    scene = scene_in("active")
    before = snapshot(scene.client, scene.freelancer)

    response = api_deliver(
        scene.freelancer,
        scene.contract,
        {"message": DELIVERY_MESSAGE, "files": [SimpleUploadedFile("report.pdf", samples.LINUX_PROGRAM)]},
    )

    body = assert_error(response, 422, "invalid_input")
    assert "report.pdf" in body["fields"]["files"]
    assert snapshot(scene.client, scene.freelancer) == before
    assert private_files() == set()


def test_the_client_cannot_deliver_files_through_the_api():
    scene = scene_in("active")
    before = snapshot(scene.client, scene.freelancer)

    response = api_deliver(
        scene.client,
        scene.contract,
        {"message": DELIVERY_MESSAGE, "files": [SimpleUploadedFile("deliverable.png", PNG)]},
    )

    assert_error(response, 409)
    assert snapshot(scene.client, scene.freelancer) == before
    assert private_files() == set()


@pytest.mark.parametrize("who", ["stranger", "other_bidder"])
def test_someone_outside_the_contract_can_neither_deliver_nor_download_through_the_api(who):
    # given a delivered PNG
    scene = scene_in("active")
    api_deliver(
        scene.freelancer,
        scene.contract,
        {"message": DELIVERY_MESSAGE, "files": [SimpleUploadedFile("deliverable.png", PNG)]},
    )
    attachment = DeliveryAttachment.objects.get()
    outsider = ApiClient(scene.person(who))

    # when someone outside the contract tries to deliver, download or preview
    delivered = api_deliver(
        scene.person(who),
        scene.contract,
        {"message": DELIVERY_MESSAGE, "files": [SimpleUploadedFile("mine.png", PNG)]},
    )

    # then each is not found, and nothing was added
    assert_error(delivered, 404)
    assert_error(outsider.get(f"/api/v1/contracts/files/{attachment.pk}/"), 404)
    assert_error(outsider.get(f"/api/v1/contracts/files/{attachment.pk}/preview/"), 404)
    assert DeliveryAttachment.objects.count() == 1


def test_the_schema_documents_the_multipart_and_the_json_deliveries():
    schema = ApiClient().get("/api/v1/openapi.json").json()

    content = schema["paths"]["/api/v1/contracts/{contract_id}/deliver/"]["post"]["requestBody"]["content"]

    assert set(content) == {"multipart/form-data", "application/json"}
    multipart = content["multipart/form-data"]["schema"]["properties"]
    assert multipart["files"]["items"] == {"type": "string", "format": "binary"}
    assert content["application/json"]["schema"]["required"] == ["message"]


def test_a_multipart_delivery_has_its_own_body_limit_larger_than_json_bodies(settings):
    # given JSON bodies limited to 1 KB, and a PNG larger than that
    settings.API_MAX_BODY_BYTES = 1024
    assert len(PNG) > 1024
    scene = scene_in("active")

    # when the freelancer delivers it by multipart
    response = api_deliver(
        scene.freelancer,
        scene.contract,
        {"message": DELIVERY_MESSAGE, "files": [SimpleUploadedFile("deliverable.png", PNG)]},
    )

    # then it is taken, within the upload limit
    assert response.status_code == 200, response.content


def test_a_multipart_body_over_the_upload_limit_is_refused_before_it_is_read(settings):
    settings.API_MAX_UPLOAD_BODY_BYTES = 1024
    scene = scene_in("active")
    before = snapshot(scene.client, scene.freelancer)

    response = api_deliver(
        scene.freelancer,
        scene.contract,
        {"message": DELIVERY_MESSAGE, "files": [SimpleUploadedFile("deliverable.png", PNG)]},
    )

    assert_error(response, 422, "body_too_large")
    assert snapshot(scene.client, scene.freelancer) == before
    assert private_files() == set()


def test_a_multipart_body_without_its_boundary_is_a_422_not_a_server_error():
    scene = scene_in("active")
    api = ApiClient(scene.freelancer)

    response = api.client.generic(
        "POST",
        f"/api/v1/contracts/{scene.contract.pk}/deliver/",
        b"message=hello",
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {api.token}"},
    )

    assert_error(response, 422, "malformed_body")
    assert scene.refresh().contract.status == Contract.Status.ACTIVE


def test_the_delivery_form_says_which_files_can_be_sent():
    scene = scene_in("active")

    page = web_client(scene.freelancer).get(f"/contracts/{scene.contract.pk}/").content.decode()

    assert "يمكنك إرسال: الصور، رسوم SVG، ملفات PDF، الفيديو" in page
    assert "بحد أقصى 5 في المرة الواحدة" in page

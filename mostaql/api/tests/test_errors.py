"""One error shape, the right statuses, the request's language; 422 naming the field for bad input."""

import json

import pytest

from mostaql.api.tests.support import ApiClient, assert_error, verified_user
from mostaql.projects import services
from mostaql.projects.models import Project
from mostaql.projects.tests.factories import OFFER_TEXT, freelancer_user, open_project

pytestmark = pytest.mark.django_db

OFFER = {"amount_cents": 10_000, "duration_days": 7, "text": OFFER_TEXT}


def closed_project() -> Project:
    project = open_project()
    return services.close_project(owner=project.owner, project=project)


def test_a_refused_state_is_409_in_arabic_by_default_and_english_on_request():
    project = closed_project()
    client = ApiClient(freelancer_user())
    arabic = assert_error(client.post(f"/api/v1/projects/{project.pk}/offers/", OFFER), 409, "conflict")
    english = assert_error(
        client.post(f"/api/v1/projects/{project.pk}/offers/", OFFER, language="en"), 409, "conflict"
    )
    assert english["message"] == "This project is not taking offers."
    assert arabic["message"] != english["message"]
    assert any("\u0600" <= char <= "\u06ff" for char in arabic["message"])


def test_accept_language_picks_the_first_language_the_site_speaks():
    project = closed_project()
    client = ApiClient(freelancer_user())
    response = client.post(f"/api/v1/projects/{project.pk}/offers/", OFFER, language="fr-FR, en-GB;q=0.8")
    assert response.json()["message"] == "This project is not taking offers."
    assert response["Content-Language"] == "en"


def test_the_web_pages_still_ignore_accept_language(client):
    response = client.get("/projects/", headers={"Accept-Language": "en"})
    assert response["Content-Language"] == "ar"


def test_another_users_object_is_404_not_403():
    project = open_project()
    response = ApiClient(verified_user()).post(f"/api/v1/projects/{project.pk}/close/")
    assert_error(response, 404, "not_found")
    assert_error(ApiClient(verified_user()).get("/api/v1/projects/999999/"), 404, "not_found")


def test_malformed_json_is_422_naming_the_body():
    body = assert_error(
        ApiClient(verified_user()).post("/api/v1/projects/", raw="{not json"), 422, "malformed_json"
    )
    assert "body" in body["fields"]
    body = assert_error(ApiClient(verified_user()).post("/api/v1/projects/", raw="[1, 2]"), 422)
    assert "body" in body["fields"]


def test_wrong_types_missing_fields_and_unknown_enums_are_422_naming_each_field():
    project = open_project()
    client = ApiClient(freelancer_user())
    wrong = assert_error(
        client.post(f"/api/v1/projects/{project.pk}/offers/", {**OFFER, "amount_cents": "lots"}), 422
    )
    assert set(wrong["fields"]) == {"amount_cents"}
    # Strict numbers: a string of digits is not a number.
    assert (
        "amount_cents"
        in assert_error(
            client.post(f"/api/v1/projects/{project.pk}/offers/", {**OFFER, "amount_cents": "10000"}), 422
        )["fields"]
    )
    missing = assert_error(client.post(f"/api/v1/projects/{project.pk}/offers/", {"text": OFFER_TEXT}), 422)
    assert set(missing["fields"]) == {"amount_cents", "duration_days"}
    enum = assert_error(ApiClient(verified_user()).post("/api/v1/projects/", {"budget": "1-2"}), 422)
    assert "budget" in enum["fields"]
    assert_error(ApiClient().get("/api/v1/projects/?posted=year"), 422, "invalid_input")


def test_validation_messages_follow_the_language():
    client = ApiClient(verified_user())
    english = assert_error(client.post("/api/v1/projects/", {}, language="en"), 422)
    arabic = assert_error(client.post("/api/v1/projects/", {}), 422)
    assert english["fields"]["title"] == "This field is required."
    assert arabic["fields"]["title"] != english["fields"]["title"]


def test_an_oversized_body_is_422_before_it_is_read(settings):
    settings.API_MAX_BODY_BYTES = 1024
    project = open_project()
    response = ApiClient(freelancer_user()).post(
        f"/api/v1/projects/{project.pk}/offers/", {**OFFER, "text": "ن" * 2000}
    )
    body = assert_error(response, 422, "body_too_large")
    assert "body" in body["fields"]
    assert not project.offers.exists()


def test_an_oversized_field_is_422_naming_it():
    project = open_project()
    response = ApiClient(freelancer_user()).post(
        f"/api/v1/projects/{project.pk}/offers/", {**OFFER, "text": "ن" * 5001}
    )
    assert set(assert_error(response, 422)["fields"]) == {"text"}


def test_an_id_out_of_range_is_422_not_a_server_error():
    response = ApiClient().get("/api/v1/projects/99999999999999999999999/")
    assert_error(response, 422)


def test_text_the_database_cannot_store_is_422():
    project = open_project()
    response = ApiClient(freelancer_user()).post(
        f"/api/v1/projects/{project.pk}/offers/", {**OFFER, "text": OFFER_TEXT + "\x00"}
    )
    assert set(assert_error(response, 422)["fields"]) == {"text"}


def test_rate_limits_are_per_token_and_answer_429_with_retry_after(settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    first, second = ApiClient(verified_user()), ApiClient(verified_user())
    for _attempt in range(3):
        assert first.get("/api/v1/me/").status_code == 200
    limited = first.get("/api/v1/me/")
    assert_error(limited, 429, "rate_limited")
    assert int(limited["Retry-After"]) >= 1
    assert second.get("/api/v1/me/").status_code == 200  # another token has its own budget


def test_anonymous_callers_are_limited_per_address(settings):
    settings.API_ANONYMOUS_RATE_LIMIT_PER_MINUTE = 2
    client = ApiClient()
    assert [client.get("/api/v1/categories/").status_code for _attempt in range(3)] == [200, 200, 429]


def test_errors_are_json_in_utf8_not_escaped():
    project = closed_project()
    response = ApiClient(freelancer_user()).post(f"/api/v1/projects/{project.pk}/offers/", OFFER)
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content.decode("utf-8"))["message"] in response.content.decode("utf-8")

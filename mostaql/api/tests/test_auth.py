"""Tokens (shown once, hashed, revoked or expired → 401) and the session (writes need CSRF)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from mostaql.api import services
from mostaql.api.models import AccessToken, hash_token
from mostaql.api.tests.support import ApiClient, assert_error, verified_user
from mostaql.projects.models import Project
from mostaql.projects.tests.factories import open_project

pytestmark = pytest.mark.django_db


def test_a_token_created_on_the_settings_page_is_shown_once_and_stored_hashed():
    user = verified_user()
    browser = Client()
    browser.force_login(user)
    created = browser.post("/settings/tokens/", {"name": "تطبيق الهاتف", "expires_in_days": "30"})
    assert created.status_code == 200
    assert created["Cache-Control"] == "no-store"
    secret = created.context["secret"]
    assert secret.startswith("mq_") and len(secret) > 40
    assert secret in created.content.decode()
    token = AccessToken.objects.get(user=user)
    assert token.hashed_key == hash_token(secret) and secret not in token.hashed_key
    assert token.name == "تطبيق الهاتف" and token.expires_at > timezone.now() + datetime.timedelta(days=29)
    # Listed by name and hint afterwards, never again in full.
    listed = browser.get("/settings/tokens/").content.decode()
    assert "تطبيق الهاتف" in listed and token.hint in listed and secret not in listed
    assert ApiClient(token=secret).get("/api/v1/me/").json()["id"] == user.pk


def test_the_settings_page_refuses_a_post_without_csrf():
    user = verified_user()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.post("/settings/tokens/", {"name": "x"}).status_code == 403
    assert not AccessToken.objects.exists()


def test_a_revoked_token_is_refused_with_401():
    user = verified_user()
    token, secret = services.create_token(user=user, name="ci")
    browser = Client()
    browser.force_login(user)
    assert browser.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 302
    assert_error(ApiClient(token=secret).get("/api/v1/me/"), 401, "token_revoked")


def test_someone_elses_token_cannot_be_revoked():
    token, secret = services.create_token(user=verified_user(), name="ci")
    browser = Client()
    browser.force_login(verified_user())
    assert browser.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 404
    assert_error(ApiClient(verified_user()).post(f"/api/v1/me/tokens/{token.pk}/revoke/"), 404)
    assert ApiClient(token=secret).get("/api/v1/me/").status_code == 200


def test_a_token_can_revoke_itself_through_the_api():
    user = verified_user()
    token, secret = services.create_token(user=user, name="ci")
    client = ApiClient(token=secret)
    assert client.post(f"/api/v1/me/tokens/{token.pk}/revoke/").json()["revoked_at"] is not None
    assert_error(client.get("/api/v1/me/"), 401, "token_revoked")


def test_an_expired_token_is_refused_with_401():
    token, secret = services.create_token(user=verified_user(), name="ci", expires_in_days=1)
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert_error(ApiClient(token=secret).get("/api/v1/me/"), 401, "token_expired")


def test_an_unknown_token_is_refused_even_on_a_public_operation():
    assert_error(ApiClient(token="mq_not-a-real-one").get("/api/v1/projects/"), 401, "invalid_token")
    assert_error(ApiClient(token="mq_not-a-real-one").get("/api/v1/me/"), 401, "invalid_token")


def test_a_suspended_persons_token_stops_working():
    user = verified_user()
    _token, secret = services.create_token(user=user, name="ci")
    user.is_active = False
    user.save()
    assert_error(ApiClient(token=secret).get("/api/v1/me/"), 401, "invalid_token")


def test_no_credentials_is_a_401_with_the_error_shape():
    response = ApiClient().get("/api/v1/me/")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_using_a_token_records_when_it_was_last_used():
    token, secret = services.create_token(user=verified_user(), name="ci")
    assert token.last_used_at is None
    ApiClient(token=secret).get("/api/v1/me/")
    assert AccessToken.objects.get(pk=token.pk).last_used_at is not None


def test_a_session_reads_without_csrf_but_writes_only_with_it():
    project = open_project()
    owner = ApiClient(project.owner, session=True)
    assert owner.get("/api/v1/me/").json()["id"] == project.owner.pk
    assert_error(owner.post(f"/api/v1/projects/{project.pk}/close/"), 403, "csrf_failed")
    assert Project.objects.get(pk=project.pk).status == "open"
    assert owner.post(f"/api/v1/projects/{project.pk}/close/", csrf=True).status_code == 200
    assert Project.objects.get(pk=project.pk).status == "closed"


def test_a_token_request_needs_no_csrf_even_with_a_session_cookie():
    project = open_project()
    client = ApiClient(project.owner)
    client.client.force_login(project.owner)
    assert client.post(f"/api/v1/projects/{project.pk}/close/").status_code == 200


def test_too_many_tokens_are_refused(settings):
    settings.API_TOKENS_PER_USER = 2
    user = verified_user()
    services.create_token(user=user, name="one")
    services.create_token(user=user, name="two")
    browser = Client()
    browser.force_login(user)
    refused = browser.post("/settings/tokens/", {"name": "three", "expires_in_days": ""})
    assert refused.context["secret"] is None
    assert AccessToken.objects.filter(user=user).count() == 2

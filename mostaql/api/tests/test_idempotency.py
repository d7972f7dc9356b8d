"""Idempotency-Key: required, replayed, refused with other parameters, forgotten after the TTL."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from mostaql.api.models import IdempotencyRecord
from mostaql.api.services import sweep_idempotency_records
from mostaql.api.tests.support import ApiClient, assert_error
from mostaql.contracts.models import Contract
from mostaql.projects.tests.factories import open_project, place_offer

pytestmark = pytest.mark.django_db


def two_offers():
    project = open_project()
    return project, place_offer(project), place_offer(project)


def test_a_money_moving_post_without_a_key_is_400_and_does_nothing():
    project, offer, _other = two_offers()
    response = ApiClient(project.owner).post(f"/api/v1/offers/{offer.pk}/hire/")
    assert_error(response, 400, "idempotency_key_required")
    assert not Contract.objects.exists() and not IdempotencyRecord.objects.exists()


def test_a_replay_returns_the_first_response_without_acting_twice():
    project, offer, _other = two_offers()
    client = ApiClient(project.owner)
    first = client.post(f"/api/v1/offers/{offer.pk}/hire/", idempotency_key="hire-42")
    again = client.post(f"/api/v1/offers/{offer.pk}/hire/", idempotency_key="hire-42")
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Contract.objects.count() == 1


def test_the_same_key_with_other_parameters_is_409():
    project, offer, other = two_offers()
    client = ApiClient(project.owner)
    client.post(f"/api/v1/offers/{offer.pk}/hire/", idempotency_key="hire-42")
    response = client.post(f"/api/v1/offers/{other.pk}/hire/", idempotency_key="hire-42")
    assert_error(response, 409, "idempotency_key_reused")
    assert Contract.objects.count() == 1


def test_keys_belong_to_one_person():
    project, offer, _other = two_offers()
    ApiClient(project.owner).post(f"/api/v1/offers/{offer.pk}/hire/", idempotency_key="shared")
    stranger = ApiClient(place_offer(open_project()).freelancer)
    # The same key from someone else is theirs alone: no replay of the owner's contract, only a 404.
    assert_error(stranger.post(f"/api/v1/offers/{offer.pk}/hire/", idempotency_key="shared"), 404)


def test_a_refused_request_frees_its_key():
    project, offer, _other = two_offers()
    client = ApiClient(project.owner)
    client.post(f"/api/v1/offers/{offer.pk}/hire/", idempotency_key="first")
    refused = client.post(f"/api/v1/offers/{_other.pk}/hire/", idempotency_key="second")
    assert_error(refused, 409)  # the project is hiring already
    assert not IdempotencyRecord.objects.filter(key="second").exists()


def test_a_key_of_unprintable_or_too_many_characters_is_422():
    project, offer, _other = two_offers()
    response = ApiClient(project.owner).post(f"/api/v1/offers/{offer.pk}/hire/", idempotency_key="x" * 256)
    assert "Idempotency-Key" in assert_error(response, 422)["fields"]


def test_the_sweep_forgets_keys_after_the_ttl_and_can_run_twice(settings):
    settings.IDEMPOTENCY_KEY_TTL_HOURS = 24
    project, offer, _other = two_offers()
    ApiClient(project.owner).post(f"/api/v1/offers/{offer.pk}/hire/", idempotency_key="old")
    record = IdempotencyRecord.objects.get()
    assert sweep_idempotency_records() == 0  # kept at least 24 hours
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    call_command("sweep_idempotency_keys")
    assert not IdempotencyRecord.objects.exists()
    assert sweep_idempotency_records() == 0


def test_a_key_freed_between_two_concurrent_requests_is_a_409_not_a_server_error(monkeypatch):
    """Two requests with one key: the first is refused and frees the key while the second finds it taken."""
    from django.db import IntegrityError

    project, offer, _other = two_offers()

    def taken_then_freed(**fields):
        raise IntegrityError("unique constraint: the key was taken, and is free again by now")

    monkeypatch.setattr(IdempotencyRecord.objects, "create", taken_then_freed)
    response = ApiClient(project.owner).post(f"/api/v1/offers/{offer.pk}/hire/", idempotency_key="raced")
    assert_error(response, 409, "idempotency_in_progress")
    assert not Contract.objects.exists()

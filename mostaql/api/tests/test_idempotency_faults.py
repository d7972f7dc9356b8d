"""Idempotency survives faults: the key's record and the deposit it guards commit together or not at all.

The database fails at each step of a deposit request — before the effect, after the effect but before
the record is completed, and (on PostgreSQL) with the connection really killed mid-request. Each time
the request fails whole, and a retry with the same key runs afresh and makes exactly one deposit; a
retry after a success replays it.
"""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from mostaql.api.models import IdempotencyRecord
from mostaql.api.services import create_token
from mostaql.api.tests.support import verified_user
from mostaql.wallet import services as wallet_services
from mostaql.wallet.models import Deposit

DEPOSIT = {"amount_cents": 5_000}


def deposit_request(client: Client, token: str, key: str):
    return client.post(
        "/api/v1/wallet/deposits/",
        DEPOSIT,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
    )


def a_depositor():
    user = verified_user(name="سارة المودعة")
    _row, token = create_token(user=user, name="tests")
    return user, token


def fail_once(monkeypatch, owner, name: str, *, after: bool):
    """Make `owner.name` raise OperationalError on its first call, before or after doing its work."""
    original = getattr(owner, name)
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            return original(*args, **kwargs)
        if after:
            original(*args, **kwargs)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(owner, name, failing)
    return calls


def assert_one_deposit_after_retries(client, user, token, key):
    retry = deposit_request(client, token, key)
    assert retry.status_code == 201, retry.content
    again = deposit_request(client, token, key)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.content == retry.content
    assert Deposit.objects.filter(user=user).count() == 1
    assert IdempotencyRecord.objects.filter(user=user, key=key, status_code=201).count() == 1


@pytest.mark.django_db
def test_the_database_failing_before_the_deposit_leaves_nothing_and_a_retry_runs_afresh(monkeypatch):
    user, token = a_depositor()
    client = Client(raise_request_exception=False)
    calls = fail_once(monkeypatch, wallet_services, "start_deposit", after=False)

    failed = deposit_request(client, token, "deposit-1")

    assert failed.status_code == 500 and calls
    assert not Deposit.objects.exists() and not IdempotencyRecord.objects.exists()
    assert_one_deposit_after_retries(client, user, token, "deposit-1")


@pytest.mark.django_db
def test_the_database_failing_after_the_deposit_takes_the_deposit_back_too(monkeypatch):
    user, token = a_depositor()
    client = Client(raise_request_exception=False)
    # The deposit is written, then completing the key's record (its response saved) fails.
    original_save = IdempotencyRecord.save
    calls = []

    def save(record, *args, **kwargs):
        if kwargs.get("update_fields") and not calls:
            calls.append(1)
            assert Deposit.objects.exists()  # the effect is there, not yet committed
            raise OperationalError("server closed the connection unexpectedly")
        return original_save(record, *args, **kwargs)

    monkeypatch.setattr(IdempotencyRecord, "save", save)

    failed = deposit_request(client, token, "deposit-2")

    assert failed.status_code == 500 and calls
    assert not Deposit.objects.exists(), "the deposit must not outlive its key's record"
    assert not IdempotencyRecord.objects.exists()
    assert_one_deposit_after_retries(client, user, token, "deposit-2")


@pytest.mark.django_db
def test_the_database_failing_inside_the_effect_after_it_wrote_is_rolled_back_whole(monkeypatch):
    user, token = a_depositor()
    client = Client(raise_request_exception=False)
    calls = fail_once(monkeypatch, wallet_services, "start_deposit", after=True)

    failed = deposit_request(client, token, "deposit-3")

    assert failed.status_code == 500 and calls
    assert not Deposit.objects.exists() and not IdempotencyRecord.objects.exists()
    assert_one_deposit_after_retries(client, user, token, "deposit-3")


@pytest.mark.django_db(transaction=True)
def test_a_connection_killed_mid_request_on_postgresql_is_never_stuck_nor_doubled(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("a killed server connection needs PostgreSQL")
    user, token = a_depositor()
    client = Client(raise_request_exception=False)
    original = wallet_services.start_deposit
    kills = []

    def deposit_then_lose_the_connection(**kwargs):
        deposit = original(**kwargs)
        if not kills:
            kills.append(1)
            with connection.cursor() as cursor:  # the server ends this very session, as a crash would
                cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        return deposit

    monkeypatch.setattr(wallet_services, "start_deposit", deposit_then_lose_the_connection)

    failed = deposit_request(client, token, "deposit-4")

    assert failed.status_code == 500 and kills
    connection.close()  # the test's own view of the connection is dead as well
    assert not Deposit.objects.exists() and not IdempotencyRecord.objects.exists()
    assert_one_deposit_after_retries(client, user, token, "deposit-4")

"""What API tests share: a client that speaks JSON with a token or a session, and the permission matrix.

The matrix: each app's `tests/test_api.py` keeps a `MATRIX` list of `Row`s — one per operation, with
the status expected for each of four callers — and runs them with `check_row`:

    MATRIX = [
        Row("GET", "/api/v1/projects/{project_id}/", setup=pending_project,
            anonymous=404, other=404, owner=200, staff=200),
    ]

    @pytest.mark.parametrize("row", MATRIX, ids=str)
    def test_permission_matrix(row):
        check_row(row)

`setup(owner)` builds what the row needs, owned by `owner` (a verified user), and returns the path's
values, plus optionally "body" and "headers". Each caller is tried in turn — anonymous, a token of
another user, a staff token — and the owner's token last, since it may change state; a fresh setup
is made for each caller so that one call cannot spoil the next. `mostaql/api/tests/test_matrix.py`
fails when an operation of the schema has no row in any app's MATRIX.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.test import Client

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import UserFactory, verify_email
from mostaql.api import services as token_services

CALLERS = ("anonymous", "other", "staff", "owner")


class ApiClient:
    """JSON in and out. `ApiClient(user)` sends a fresh token of `user`; `ApiClient(user, session=True)`
    signs the user in with the session instead (writes then need `csrf=True` or get 403)."""

    def __init__(self, user: User | None = None, *, session: bool = False, token: str | None = None):
        self.user = user
        self.client = Client(enforce_csrf_checks=True)
        self.token = token
        if user is not None and session:
            self.client.force_login(user)
        elif user is not None and token is None:
            _row, self.token = token_services.create_token(user=user, name="tests")

    def request(
        self,
        method: str,
        path: str,
        body=None,
        *,
        raw: bytes | str | None = None,
        headers: dict | None = None,
        language: str | None = None,
        csrf: bool = False,
        idempotency_key: str | None = None,
    ):
        headers = dict(headers or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        if language:
            headers["Accept-Language"] = language
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        if csrf:
            self.client.get("/api/v1/docs")  # sets the csrftoken cookie
            headers["X-CSRFToken"] = self.client.cookies["csrftoken"].value
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs = {"content_type": "application/json"} if data is not None else {}
        if data is not None:
            kwargs["data"] = data
        return self.client.generic(method, path, headers=headers, **kwargs)

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body=None, **kwargs):
        return self.request("POST", path, body, **kwargs)

    def put(self, path: str, body=None, **kwargs):
        return self.request("PUT", path, body, **kwargs)

    def patch(self, path: str, body=None, **kwargs):
        return self.request("PATCH", path, body, **kwargs)

    def delete(self, path: str, **kwargs):
        return self.request("DELETE", path, **kwargs)


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The one error shape, with the status (and code) expected."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert isinstance(body.get("code"), str) and body["code"], body
    assert isinstance(body.get("message"), str) and body["message"], body
    if code is not None:
        assert body["code"] == code, body
    return body


def verified_user(**fields) -> User:
    user = UserFactory(**fields)
    verify_email(user)
    return user


@dataclass
class Row:
    method: str
    path: str  # the schema's template, e.g. "/api/v1/projects/{project_id}/"
    anonymous: int
    other: int
    owner: int
    staff: int
    setup: Callable[[User], dict] | None = None
    body: dict | None = None
    idempotent: bool = False
    extra: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def check_row(row: Row) -> dict:
    """Calls the row's operation as each caller and asserts the statuses; returns the responses."""
    owner = verified_user(name="صاحب")
    staff = verified_user(name="مشرف", is_staff=True)
    other = verified_user(name="غريب")
    clients = {
        "anonymous": ApiClient(),
        "other": ApiClient(other),
        "staff": ApiClient(staff),
        "owner": ApiClient(owner),
    }
    responses = {}
    for caller in CALLERS:
        values = row.setup(owner) if row.setup else {}
        body = values.pop("body", row.body)
        headers = values.pop("headers", {})
        path = row.path.format(**values)
        response = clients[caller].request(
            row.method,
            path,
            body,
            headers=headers,
            idempotency_key=str(uuid.uuid4()) if row.idempotent else None,
        )
        expected = getattr(row, caller)
        if expected >= 400:
            assert_error(response, expected)
        assert response.status_code == expected, (caller, row, response.status_code, response.content[:300])
        responses[caller] = response
    return responses

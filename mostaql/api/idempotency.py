"""`@idempotent`: a money-moving POST requires an `Idempotency-Key` header and runs at most once per key.

    @router.post("/contracts/{contract_id}/fund/", response={200: ContractOut, **errors(404, 409)})
    @idempotent
    def fund(request, contract_id: int): ...

- No header: 400 `idempotency_key_required`.
- The key is kept per person with a hash of the method, path (with its query) and body, and the
  response's status and body. The same key again replays that first response, byte for byte, with
  `Idempotent-Replayed: true`; the same key with other parameters gets 409 `idempotency_key_reused`.
- The record and the effect are one transaction: a second request with the key waits until the first
  ends, then is replayed; if the first failed or was refused, it left nothing (409
  `idempotency_in_progress` only for a request that raced exactly then: retry). A failure anywhere
  (the database gone mid-request, the commit itself) leaves neither the effect nor the key.
- Only a successful (2xx) answer is kept: after a refusal (4xx) the key is free again, since nothing
  happened. Keys live IDEMPOTENCY_KEY_TTL_HOURS (24 by default); `manage.py sweep_idempotency_keys`
  (an idempotent sweep) forgets older ones.
- The header is added to the operation's OpenAPI parameters, as required.
"""

import hashlib
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.decorators import decorate_view
from ninja.utils import contribute_operation_callback

from mostaql.api.auth import viewer
from mostaql.api.errors import ApiError
from mostaql.api.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

HEADER_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": True,
    "description": "A unique key per intended action (e.g. a UUID): a retry with the same key is "
    "answered with the first response instead of acting twice.",
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[\\x21-\\x7e]+$"},
}


def fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), request.body):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.response_body), status=record.status_code)
    response["Content-Type"] = record.content_type or "application/json; charset=utf-8"
    response["Idempotent-Replayed"] = "true"
    return response


def _existing(user, key: str, print_: str) -> HttpResponse:
    record = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if record is None:
        # The request that held the key has just failed or been refused and freed it: retry.
        raise ApiError(
            409, "idempotency_in_progress", _("A request with this Idempotency-Key is still being processed.")
        )
    if record.fingerprint != print_:
        raise ApiError(
            409, "idempotency_key_reused", _("This Idempotency-Key was already used for another request.")
        )
    if record.status_code is None:
        raise ApiError(
            409, "idempotency_in_progress", _("A request with this Idempotency-Key is still being processed.")
        )
    return _replay(record)


def _wrap_run(run):
    operation = run.__self__

    @wraps(run)
    def run_once(request: HttpRequest, **kwargs) -> HttpResponse:
        try:
            user = viewer(request)
            if not user.is_authenticated:
                return run(request, **kwargs)  # refused by the operation's own authentication
            key = request.headers.get(HEADER, "").strip()
            if not key:
                raise ApiError(400, "idempotency_key_required", _("Send an Idempotency-Key header."))
            if len(key) > MAX_KEY_LENGTH or not all(33 <= ord(char) <= 126 for char in key):
                message = _("The Idempotency-Key must be 1 to 255 printable ASCII characters.")
                raise ApiError(422, "invalid_input", message, fields={HEADER: message})
            print_ = fingerprint(request)
        except ApiError as error:
            return operation.api.on_exception(request, error)
        # The key's record and the effect it guards commit together, or neither does: a failure at
        # any step (the database gone mid-request, the commit itself) leaves no record behind, so a
        # retry runs afresh; a success is replayed. A concurrent request with the same key waits on
        # the record's unique index (PostgreSQL) or the write lock (SQLite) until this one ends.
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(user=user, key=key, fingerprint=print_)
            except IntegrityError:
                try:
                    return _existing(user, key, print_)
                except ApiError as error:
                    return operation.api.on_exception(request, error)
            response = run(request, **kwargs)
            if 200 <= response.status_code < 300:
                record.status_code = response.status_code
                record.response_body = response.content
                record.content_type = response.get("Content-Type", "")
                record.save(update_fields=["status_code", "response_body", "content_type"])
            else:
                # A refusal (or an error the API answered itself): nothing may stay, the key included.
                transaction.set_rollback(True)
        return response

    return run_once


def _document(operation) -> None:
    extra = operation.openapi_extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [*extra.get("parameters", []), HEADER_PARAMETER]
    extra["x-idempotent"] = True  # the API's schema adds the 400 and 409 answers


def idempotent(func):
    """Put under `@router.post(...)` (or above it): see the module's docstring."""
    if hasattr(func, "_ninja_operation"):
        _document(func._ninja_operation)
    else:
        contribute_operation_callback(func, _document)
    return decorate_view(_wrap_run)(func)

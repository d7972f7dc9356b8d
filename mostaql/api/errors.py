"""The API's one error shape: `{"code": "...", "message": "...", "fields": {...}?}`.

`message` is gettext'd, so it comes in the request's language (Arabic unless `Accept-Language: en`).
`fields` (422 only) maps each invalid input to what is wrong with it. Views raise `ApiError`, or let a
service's `DomainError` through: both become this shape with the right status.
"""

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from pydantic import Field

from mostaql.core.exceptions import DomainError

logger = logging.getLogger("mostaql.api")


class ErrorOut(Schema):
    code: str = Field(description="A stable machine-readable reason, e.g. `not_found`, `invalid_input`.")
    message: str = Field(description="What went wrong, in the request's language.")
    fields: dict[str, str] | None = Field(
        None, description="On 422: each invalid input (by name) and what is wrong with it."
    )


# Every status the API answers with for an error, and what it means (in the OpenAPI schema).
ERROR_DESCRIPTIONS = {
    400: "Bad request (e.g. a missing Idempotency-Key header)",
    401: "Not authenticated, or the token is unknown, expired or revoked",
    403: "Forbidden (e.g. a session request without its CSRF token, or an unverified e-mail)",
    404: "Not found (or not yours to see)",
    409: "The object's state does not allow the action (or an idempotency key reused)",
    422: "Invalid input: `fields` names each invalid field",
    429: "Too many requests: see Retry-After",
}


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error responses of an operation, for its `response=` mapping: `{200: Out, **errors(404, 409)}`.

    401 (for authenticated operations), 422 and 429 are added to every operation's schema by the API.
    """
    return dict.fromkeys(statuses, ErrorOut)


class ApiError(Exception):
    """Raise from a view to answer with the one error shape."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields, self.headers = fields, headers or {}


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("Not found."))


def error_response(
    status: int, code: str, message: str, *, fields: dict | None = None, headers: dict | None = None
) -> HttpResponse:
    body = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = {name: str(text) for name, text in fields.items()}
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class MalformedBody(Exception):
    """Raised by the API's parser; Ninja wraps it in a 400 HttpError, which is answered as 422."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


# --- Validation messages: pydantic's are English only; ours go through gettext. ---------------------


def _validation_message(error: dict) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("string_too_long", "too_long"):
        return _("Ensure this value has at most %(count)s characters (or items).") % {
            "count": context.get("max_length", "")
        }
    if kind in ("string_too_short", "too_short"):
        return _("Ensure this value has at least %(count)s characters (or items).") % {
            "count": context.get("min_length", "")
        }
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("Enter a whole number.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Ensure this value is at least %(limit)s.") % {
            "limit": context.get("ge", context.get("gt", ""))
        }
    if kind in ("less_than_equal", "less_than"):
        return _("Ensure this value is at most %(limit)s.") % {
            "limit": context.get("le", context.get("lt", ""))
        }
    if kind in ("enum", "literal_error"):
        return _("Choose one of: %(choices)s.") % {"choices": context.get("expected", "")}
    if kind in ("string_type", "string_unicode"):
        return _("Enter a text.")
    if kind in ("bool_type", "bool_parsing"):
        return _("Enter true or false.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Enter a list.")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return _("Enter an object.")
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind in ("url_parsing", "url_scheme", "url_type"):
        return _("Enter a valid address (URL).")
    if kind == "extra_forbidden":
        return _("This field is not accepted.")
    return _("This value is not valid.")


def _field_name(location) -> str:
    """("body", "payload", "title") → "title"; ("query", "page") → "page"; list items → "skills.0"."""
    parts = [str(part) for part in location]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form", "file"):
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in ("payload", "data", "ninja_pagination", "filters"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_fields(errors_list: list[dict]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in errors_list:
        fields.setdefault(_field_name(error.get("loc", ())), _validation_message(error))
    return fields


def invalid_input(fields: dict[str, str]) -> HttpResponse:
    names = ", ".join(fields)
    return error_response(
        422, "invalid_input", _("Check these fields: %(fields)s.") % {"fields": names}, fields=fields
    )


# --- Handlers ------------------------------------------------------------------------------------


def install_handlers(api) -> None:
    """Every exception a view (or Ninja itself) raises becomes the one error shape."""

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(exc.status, exc.code, exc.message, fields=exc.fields, headers=exc.headers)

    @api.exception_handler(DomainError)
    def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        if exc.field:
            status = exc.status or 422
            return error_response(
                status, exc.code or "invalid_input", exc.message, fields={exc.field: exc.message}
            )
        return error_response(exc.status or 409, exc.code or "conflict", exc.message)

    @api.exception_handler(ValidationError)
    def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return invalid_input(validation_fields(exc.errors))

    @api.exception_handler(AuthenticationError)
    def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            401,
            "not_authenticated",
            _("Sign in, or send a personal access token as “Authorization: Bearer …”."),
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )

    @api.exception_handler(Throttled)
    def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return error_response(429, "rate_limited", _("Too many requests. Try again in a minute."))

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, MalformedBody):
            return error_response(422, cause.code, cause.message, fields={"body": cause.message})
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            message = _("The request body is not valid JSON.")
            return error_response(422, "malformed_json", message, fields={"body": message})
        if exc.status_code == 403:
            return error_response(403, "permission_denied", _("You may not do this."))
        if exc.status_code == 404:
            return not_found_response()
        return error_response(exc.status_code, "bad_request", _("The request could not be understood."))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return not_found_response()

    @api.exception_handler(ObjectDoesNotExist)
    def _does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
        return not_found_response()

    @api.exception_handler(PermissionDenied)
    def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(403, "permission_denied", _("You may not do this."))

    @api.exception_handler(Exception)
    def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return error_response(500, "server_error", _("Something went wrong on our side. Please try again."))


def not_found_response() -> HttpResponse:
    return error_response(404, "not_found", _("Not found."))

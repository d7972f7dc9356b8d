"""The JSON API v1 at /api/v1/ (schema /api/v1/openapi.json, offline docs /api/v1/docs).

HOW AN APP ADDS ITS ROUTER — write `mostaql/<app>/api.py`, thin, calling the app's services/selectors:

    from ninja import Router, Schema
    from mostaql.api.auth import viewer               # public operations only (auth=None)
    from mostaql.api.errors import ApiError, errors, not_found
    from mostaql.api.idempotency import idempotent
    from mostaql.api.pagination import paginate
    router = Router(tags=["contracts"])

    @router.post("/contracts/{contract_id}/fund/", response={200: ContractOut, **errors(404, 409)})
    @idempotent                                       # money-moving POSTs: Idempotency-Key required
    def fund_contract(request, contract_id: int):
        contract = get_object_or_404(Contract, pk=contract_id, client=request.auth)  # others' → 404
        return services.fund_contract(contract=contract, client=request.auth)       # DomainError → 409

then add one line below: `api.add_router("", "mostaql.<app>.api.router")`, and paths in full.
- Auth: every operation needs a token (`Authorization: Bearer mq_…`) or a session (+ CSRF on writes);
  the person is `request.auth`. Public reads: `auth=None` and `user = viewer(request)`.
- Errors: `{"code","message"[,"fields"]}`. Raise `ApiError(status, code, gettext message)` or let a
  service's DomainError through (409; 422 naming `field` when it has one; its `status`/`code` win).
  Lookups scoped to the person (`get_object_or_404(..., owner=request.auth)`) make others' objects 404.
  Declare the operation's own statuses with `**errors(...)`; 401/403/422/429 are added to every one.
- Lists: `response=list[ItemOut]` + `@paginate` returning an ordered QuerySet from a selector.
- Input: `Schema` classes with `Field(..., max_length=…)` and `Literal`/enum types (→ 422 naming the field).
- Tests: `mostaql/<app>/tests/test_api.py`; `mostaql.api.tests.support` has `ApiClient` (token or session),
  `assert_error`, and `check_matrix` — the permission matrix (anonymous, other user, owner, staff).
"""

import json

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from mostaql.api.auth import DEFAULT_AUTH
from mostaql.api.errors import ERROR_DESCRIPTIONS, ErrorOut, MalformedBody, install_handlers

ERROR_REF = "#/components/schemas/Error"


class JsonParser(Parser):
    """JSON bodies only; anything else is a 422 naming the body (Ninja would answer a bare 400)."""

    def parse_body(self, request: HttpRequest):
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise MalformedBody("malformed_json", _("The request body is not valid JSON.")) from None
        if not isinstance(data, dict):
            raise MalformedBody("malformed_json", _("The request body must be a JSON object."))
        return data


class Utf8JsonRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


class MostaqlAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # "projects_create_project": the app's name and the view's, stable and readable.
        app = operation.view_func.__module__.split(".")[1]
        return f"{app}_{operation.view_func.__name__}"

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ErrorOut.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        for methods in schema["paths"].values():
            for operation in methods.values():
                _document_errors(operation)
        return schema


def _document_errors(operation: dict) -> None:
    """Every operation lists the errors it can answer with, each in the one error shape."""
    # Ninja keys responses by int, JSON by string: one kind of key, or the document has duplicates.
    responses = operation["responses"] = {
        str(status): body for status, body in operation.get("responses", {}).items()
    }
    statuses = {401, 422, 429}
    if operation.get("security"):
        statuses.add(403)  # a session write without its CSRF token
    if operation.pop("x-idempotent", False):
        statuses |= {400, 409}
    for status in statuses:
        responses.setdefault(str(status), {})
    for status, response in responses.items():
        if int(status) >= 400:
            response["description"] = response.get("description") or ERROR_DESCRIPTIONS.get(int(status), "")
            if response["description"] == "OK":
                response["description"] = ERROR_DESCRIPTIONS.get(int(status), "")
            response["content"] = {"application/json": {"schema": {"$ref": ERROR_REF}}}


api = MostaqlAPI(
    title="Mostaql API",
    version="1",
    description=(
        "The JSON API of Mostaql. Authenticate with a personal access token "
        "(`Authorization: Bearer mq_…`, created in the account settings) or the browser session "
        "(with the CSRF token in `X-CSRFToken` on writes). Errors are "
        '`{"code": "...", "message": "..."}`, in Arabic unless `Accept-Language: en`. '
        "Lists are paginated with `page` and `page_size`. Money-moving POSTs need an `Idempotency-Key`."
    ),
    urls_namespace="api-v1",
    auth=DEFAULT_AUTH,
    docs=Swagger(settings={"persistAuthorization": False, "tryItOutEnabled": True}),
    parser=JsonParser(),
    renderer=Utf8JsonRenderer(),
)
install_handlers(api)

# --- The routers: one line per app. --------------------------------------------------------------
api.add_router("", "mostaql.catalog.api.router")
api.add_router("", "mostaql.accounts.api.router")
api.add_router("", "mostaql.projects.api.router")
api.add_router("", "mostaql.gigs.api.router")
api.add_router("", "mostaql.contracts.api.router")
api.add_router("", "mostaql.wallet.api.router")
api.add_router("", "mostaql.messaging.api.router")
api.add_router("", "mostaql.notifications.api.router")
api.add_router("", "mostaql.reviews.api.router")

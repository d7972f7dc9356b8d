"""The OpenAPI schema describes every operation and its errors; the docs page works offline."""

import re

import pytest
from django.contrib.staticfiles import finders

from mostaql.api.tests.support import ApiClient

pytestmark = pytest.mark.django_db


def schema() -> dict:
    response = ApiClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document: dict):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_lists_its_errors_in_the_one_shape():
    document = schema()
    assert document["openapi"].startswith("3.")
    assert set(document["components"]["schemas"]["Error"]["required"]) == {"code", "message"}
    for path, method, operation in operations(document):
        responses = operation["responses"]
        assert {"401", "422", "429"} <= set(responses), (method, path)
        assert any(status.startswith("2") for status in responses), (method, path)
        for status, response in responses.items():
            if int(status) >= 400:
                assert response["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"
                }
                assert response["description"]
        if operation.get("security"):
            assert "403" in responses


def test_idempotent_operations_require_the_header_in_the_schema():
    hire = schema()["paths"]["/api/v1/offers/{offer_id}/hire/"]["post"]
    header = next(parameter for parameter in hire["parameters"] if parameter["name"] == "Idempotency-Key")
    assert header["in"] == "header" and header["required"] is True
    assert {"400", "409"} <= set(hire["responses"])
    assert "x-idempotent" not in hire


def test_lists_share_one_page_shape():
    document = schema()
    pages = [name for name in document["components"]["schemas"] if name.startswith("Paged")]
    assert len(pages) >= 6
    for name in pages:
        properties = document["components"]["schemas"][name]["properties"]
        assert set(properties) == {"items", "count", "next", "previous"}


def test_the_docs_page_loads_nothing_from_outside_and_fits_the_csp():
    response = ApiClient().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "the docs page must not use a CDN"
    assert "/static/ninja/swagger-ui-bundle.js" in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    # The page's own script is a file, not inline code the policy would block.
    assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))[^>]*>", html)
    for asset in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js", "ninja/swagger-ui.css"):
        assert finders.find(asset), asset


def test_the_schema_is_versioned():
    document = schema()
    assert document["info"]["version"] == "1"
    assert all(path.startswith("/api/v1/") for path in document["paths"])


def test_the_schema_has_no_duplicated_keys():
    """Swagger UI refuses a document whose responses say "404" twice (once as a number, once as text)."""
    import json

    def no_duplicates(pairs):
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(ApiClient().get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)

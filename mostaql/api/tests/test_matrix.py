"""Every operation in the schema has a row in some app's permission MATRIX (see support.py)."""

import importlib
import pkgutil

import pytest

import mostaql
from mostaql.api.tests.support import ApiClient

pytestmark = pytest.mark.django_db


def all_rows():
    rows = []
    for app in pkgutil.iter_modules(mostaql.__path__):
        try:
            module = importlib.import_module(f"mostaql.{app.name}.tests.test_api")
        except ModuleNotFoundError:
            continue
        rows.extend(getattr(module, "MATRIX", []))
    return rows


def test_every_operation_is_in_a_permission_matrix():
    schema = ApiClient().get("/api/v1/openapi.json").json()
    operations = {(method.upper(), path) for path, methods in schema["paths"].items() for method in methods}
    covered = {(row.method, row.path) for row in all_rows()}
    assert operations - covered == set(), "add a Row for each of these to the app's tests/test_api.py MATRIX"
    assert covered - operations == set(), "these rows name operations that do not exist"

"""The catalog API: categories with their skills, in the request's language."""

import pytest

from mostaql.api.tests.support import ApiClient, Row, check_row

pytestmark = pytest.mark.django_db

MATRIX = [Row("GET", "/api/v1/categories/", anonymous=200, other=200, owner=200, staff=200)]


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_permission_matrix(row):
    check_row(row)


def test_categories_come_with_their_skills_named_in_the_requests_language():
    arabic = ApiClient().get("/api/v1/categories/").json()
    english = ApiClient().get("/api/v1/categories/", language="en").json()
    programming_ar = next(item for item in arabic["items"] if item["slug"] == "programming")
    programming_en = next(item for item in english["items"] if item["slug"] == "programming")
    assert programming_ar["name"] == programming_ar["name_ar"] != programming_en["name"]
    assert programming_en["name"] == programming_en["name_en"]
    assert "python" in {skill["slug"] for skill in programming_en["skills"]}

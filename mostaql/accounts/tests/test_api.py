"""The profiles API: the permission matrix, public profiles, your profile, portfolio and tokens."""

import pytest

from mostaql.accounts.models import PortfolioItem
from mostaql.accounts.tests.factories import PortfolioItemFactory
from mostaql.api import services as token_services
from mostaql.api.tests.support import ApiClient, Row, assert_error, check_row, verified_user

pytestmark = pytest.mark.django_db

PROFILE = {
    "name": "سارة المبرمجة",
    "primary_role": "freelancer",
    "title": "مطورة بايثون",
    "bio": "أبني مواقع سريعة.",
    "country": "EG",
    "skills": ["python", "django"],
    "hourly_rate_cents": 2500,
}
WORK = {
    "title": "متجر إلكتروني",
    "description": "متجر كامل.",
    "link": "https://example.com/shop",
    "skills": ["python"],
}


def a_profile(owner):
    return {"slug": owner.profile.slug}


def a_work_of(owner):
    item = PortfolioItemFactory(profile=owner.profile)
    return {"slug": owner.profile.slug, "item_id": item.pk}


def a_token_of(owner):
    token, _secret = token_services.create_token(user=owner, name="spare")
    return {"token_id": token.pk}


MATRIX = [
    Row("GET", "/api/v1/freelancers/", anonymous=200, other=200, owner=200, staff=200),
    Row("GET", "/api/v1/profiles/{slug}/", setup=a_profile, anonymous=200, other=200, owner=200, staff=200),
    Row(
        "GET",
        "/api/v1/profiles/{slug}/portfolio/{item_id}/",
        setup=a_work_of,
        anonymous=200,
        other=200,
        owner=200,
        staff=200,
    ),
    Row("GET", "/api/v1/me/", anonymous=401, other=200, owner=200, staff=200),
    Row("PUT", "/api/v1/me/profile/", body=PROFILE, anonymous=401, other=200, owner=200, staff=200),
    Row("GET", "/api/v1/me/portfolio/", anonymous=401, other=200, owner=200, staff=200),
    Row("POST", "/api/v1/me/portfolio/", body=WORK, anonymous=401, other=201, owner=201, staff=201),
    Row(
        "PUT",
        "/api/v1/me/portfolio/{item_id}/",
        setup=a_work_of,
        body=WORK,
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "DELETE",
        "/api/v1/me/portfolio/{item_id}/",
        setup=a_work_of,
        anonymous=401,
        other=404,
        owner=204,
        staff=404,
    ),
    Row("GET", "/api/v1/me/tokens/", anonymous=401, other=200, owner=200, staff=200),
    Row(
        "POST",
        "/api/v1/me/tokens/{token_id}/revoke/",
        setup=a_token_of,
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
]


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_permission_matrix(row):
    check_row(row)


def test_updating_your_profile_goes_through_the_service_and_is_shown_publicly():
    user = verified_user()
    response = ApiClient(user).put("/api/v1/me/profile/", PROFILE)
    assert response.status_code == 200, response.content
    public = ApiClient().get(f"/api/v1/profiles/{user.profile.slug}/").json()
    assert public["name"] == "سارة المبرمجة" and public["country"] == "EG"
    assert {skill["slug"] for skill in public["skills"]} == {"django", "python"}
    assert public["hourly_rate_cents"] == 2500


def test_a_name_of_spaces_is_422_naming_it():
    body = assert_error(
        ApiClient(verified_user()).put("/api/v1/me/profile/", {**PROFILE, "name": "   "}), 422
    )
    assert set(body["fields"]) == {"name"}


def test_a_portfolio_item_with_a_bad_link_or_date_is_422_and_not_saved():
    client = ApiClient(verified_user())
    assert (
        "link"
        in assert_error(client.post("/api/v1/me/portfolio/", {**WORK, "link": "javascript:x"}), 422)["fields"]
    )
    body = assert_error(client.post("/api/v1/me/portfolio/", {**WORK, "completed_on": "2024-02-31"}), 422)
    assert "completed_on" in body["fields"]
    assert not PortfolioItem.objects.exists()


def test_the_directory_finds_freelancers_by_a_normalised_arabic_name():
    user = verified_user()
    ApiClient(user).put("/api/v1/me/profile/", {**PROFILE, "name": "أحمد المبرمج"})
    found = ApiClient().get("/api/v1/freelancers/?q=احمد").json()
    assert [item["slug"] for item in found["items"]] == [user.profile.slug]


def test_an_unknown_profile_is_404():
    assert_error(ApiClient().get("/api/v1/profiles/nobody-here/"), 404, "not_found")


def test_me_says_whether_the_email_is_verified():
    me = ApiClient(verified_user()).get("/api/v1/me/").json()
    assert me["email_verified"] is True and me["profile"]["portfolio"] == []

"""The reviews API: the permission matrix, double-blind publication, validation naming the criterion,
one review per side and one answer per review, and refusals leaving every review as it was."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mostaql.api.tests.support import ApiClient, Row, assert_error, check_row, verified_user
from mostaql.reviews import services
from mostaql.reviews.models import Review
from mostaql.wallet.tests.factories import completed_contract, funded_contract

pytestmark = pytest.mark.django_db

CLIENT_SCORES = dict.fromkeys(
    ("professionalism", "communication", "quality", "expertise", "on_time", "would_work_again"), 5
)
FREELANCER_SCORES = dict.fromkeys(("professionalism", "communication", "clarity", "would_work_again"), 4)
BY_CLIENT = {"scores": CLIENT_SCORES, "comment": "عمل ممتاز وتسليم في الموعد."}
BY_FREELANCER = {"scores": FREELANCER_SCORES, "comment": "عميل واضح ومتعاون."}


def both_reviewed(**sides):
    contract = completed_contract(**sides)
    services.write_review(author=contract.client, contract=contract, **BY_CLIENT)
    services.write_review(author=contract.freelancer, contract=contract, **BY_FREELANCER)
    return contract


def a_profile_with_reviews(owner):
    both_reviewed(freelancer=owner)
    return {"slug": owner.profile.slug}


def a_completed_contract_of(owner):
    return {"contract_id": completed_contract(client=owner).pk, "body": BY_CLIENT}


def a_public_review_of(owner):
    contract = both_reviewed(freelancer=owner)
    return {"review_id": Review.objects.get(contract=contract, subject=owner).pk}


MATRIX = [
    Row(
        "GET",
        "/api/v1/profiles/{slug}/reviews/",
        setup=a_profile_with_reviews,
        anonymous=200,
        other=200,
        owner=200,
        staff=200,
    ),
    Row(
        "POST",
        "/api/v1/contracts/{contract_id}/review/",
        setup=a_completed_contract_of,
        anonymous=401,
        other=404,
        owner=201,
        staff=404,
    ),
    Row(
        "POST",
        "/api/v1/reviews/{review_id}/reply/",
        setup=a_public_review_of,
        body={"reply": "شكراً على كلماتك."},
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
]


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_permission_matrix(row):
    check_row(row)


def reviews_of(user) -> list[dict]:
    return ApiClient().get(f"/api/v1/profiles/{user.profile.slug}/reviews/").json()["items"]


def test_reviews_stay_blind_until_both_sides_have_written_then_the_freelancer_answers_once():
    contract = completed_contract()
    client, freelancer = ApiClient(contract.client), ApiClient(contract.freelancer)
    path = f"/api/v1/contracts/{contract.pk}/review/"

    mine = client.post(path, BY_CLIENT)
    assert mine.status_code == 201, mine.content
    assert mine.json()["published_at"] is None and mine.json()["scores"] == CLIENT_SCORES
    assert mine.json()["rating"] == 5.0
    assert reviews_of(contract.freelancer) == []

    theirs = freelancer.post(path, BY_FREELANCER)
    assert theirs.status_code == 201 and theirs.json()["direction"] == "freelancer_to_client"
    [public] = reviews_of(contract.freelancer)
    assert public["id"] == mine.json()["id"] and public["published_at"] and public["reply"] == ""
    assert [item["rating"] for item in reviews_of(contract.client)] == [4.0]

    answered = freelancer.post(f"/api/v1/reviews/{public['id']}/reply/", {"reply": "شكراً لك!"})
    assert answered.status_code == 200 and answered.json()["reply"] == "شكراً لك!"
    assert reviews_of(contract.freelancer)[0]["reply"] == "شكراً لك!"
    again = freelancer.post(f"/api/v1/reviews/{public['id']}/reply/", {"reply": "ومرة أخرى."})
    assert_error(again, 409)
    assert Review.objects.get(pk=public["id"]).reply == "شكراً لك!"


def test_a_second_review_and_a_review_before_completion_are_409_and_change_nothing():
    contract = completed_contract()
    services.write_review(author=contract.client, contract=contract, **BY_CLIENT)
    before = list(Review.objects.values())
    response = ApiClient(contract.client).post(f"/api/v1/contracts/{contract.pk}/review/", BY_CLIENT)
    assert_error(response, 409)
    active = funded_contract()
    early = ApiClient(active.client).post(f"/api/v1/contracts/{active.pk}/review/", BY_CLIENT)
    assert_error(early, 409)
    assert list(Review.objects.values()) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BY_CLIENT, "scores": {**CLIENT_SCORES, "quality": 6}}, "scores.quality"),
        ({**BY_CLIENT, "scores": {**CLIENT_SCORES, "quality": "5"}}, "scores.quality"),
        ({**BY_CLIENT, "scores": {key: 5 for key in CLIENT_SCORES if key != "on_time"}}, "scores.on_time"),
        ({**BY_CLIENT, "scores": {**CLIENT_SCORES, "charm": 5}}, "scores.charm"),
        ({**BY_CLIENT, "comment": "جيد"}, "comment"),
        ({"scores": CLIENT_SCORES}, "comment"),
    ],
)
def test_invalid_reviews_are_422_naming_the_field_and_write_nothing(body, field):
    contract = completed_contract()
    response = ApiClient(contract.client).post(f"/api/v1/contracts/{contract.pk}/review/", body)
    fields = assert_error(response, 422)["fields"]
    assert [name for name in fields if name.startswith(field)], fields  # "scores.charm.[key]" for a key
    assert not Review.objects.exists()


def test_only_the_reviewed_freelancer_answers_and_a_client_cannot():
    contract = both_reviewed()
    of_the_client = Review.objects.get(contract=contract, subject=contract.client)
    response = ApiClient(contract.client).post(
        f"/api/v1/reviews/{of_the_client.pk}/reply/", {"reply": "شكراً"}
    )
    assert_error(response, 409)
    of_the_freelancer = Review.objects.get(contract=contract, subject=contract.freelancer)
    by_author = ApiClient(contract.client).post(
        f"/api/v1/reviews/{of_the_freelancer.pk}/reply/", {"reply": "x"}
    )
    assert_error(by_author, 409)
    assert not Review.objects.exclude(reply="").exists()


def test_an_unknown_profile_is_404():
    assert_error(ApiClient().get("/api/v1/profiles/nobody-here/reviews/"), 404, "not_found")


def test_the_public_list_costs_the_same_at_two_sizes(django_assert_num_queries):
    freelancer = verified_user()
    path = f"/api/v1/profiles/{freelancer.profile.slug}/reviews/?page_size=50"
    both_reviewed(freelancer=freelancer)
    with CaptureQueriesContext(connection) as small:
        assert ApiClient().get(path).json()["count"] == 1
    for _number in range(4):
        both_reviewed(freelancer=freelancer)
    with django_assert_num_queries(len(small.captured_queries)):
        assert ApiClient().get(path).json()["count"] == 5

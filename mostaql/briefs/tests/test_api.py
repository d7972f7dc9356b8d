"""The requests API: the permission matrix (every operation, every caller), refusals, idempotency."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mostaql.api.tests.support import ApiClient, Row, assert_error, check_row, verified_user
from mostaql.briefs.models import Answer, Brief
from mostaql.briefs.tests.factories import DESCRIPTION, NOTE, answered, open_brief, posted_brief
from mostaql.contracts.models import Contract
from mostaql.gigs import services as gig_services
from mostaql.gigs.tests.factories import a_category, approved_service
from mostaql.wallet.tests.factories import give_available_funds, ledger_snapshot

pytestmark = pytest.mark.django_db


def _body(**changes) -> dict:
    return {
        "title": "أحتاج تصميم شعار لمتجر قهوة",
        "description": DESCRIPTION,
        "category": a_category().slug,
        "budget_cents": 5000,
        "delivery_days": 3,
        **changes,
    }


def _listed(owner) -> dict:
    open_brief(owner)
    return {}


def _own_pending(owner) -> dict:
    return {"request_id": posted_brief(owner).pk}


def _new(owner) -> dict:
    return {"body": _body()}


def _own_open_with_an_answer(owner) -> dict:
    brief = open_brief(owner)
    answered(brief)
    return {"request_id": brief.pk}


def _someone_elses_open_request_with_owners_service(owner) -> dict:
    # The owner is a seller here: answering someone's open request with their own service.
    service = approved_service(owner)
    return {"request_id": open_brief().pk, "body": {"service": service.pk, "note": NOTE}}


def _own_request_answered_funded(owner) -> dict:
    brief = open_brief(owner)
    answer = answered(brief)
    give_available_funds(owner, 5000)
    return {"request_id": brief.pk, "answer_id": answer.pk}


MATRIX = [
    Row("GET", "/api/v1/requests/", setup=_listed, anonymous=200, other=200, owner=200, staff=200),
    Row(
        "GET",
        "/api/v1/requests/{request_id}/",
        setup=_own_pending,
        anonymous=404,
        other=404,
        owner=200,
        staff=200,
    ),
    Row("POST", "/api/v1/requests/", setup=_new, anonymous=401, other=201, owner=201, staff=201),
    Row("GET", "/api/v1/me/requests/", setup=_listed, anonymous=401, other=200, owner=200, staff=200),
    Row(
        "GET",
        "/api/v1/requests/{request_id}/answers/",
        setup=_own_open_with_an_answer,
        anonymous=401,
        other=200,  # an empty list: another person sees no one's answers but their own
        owner=200,
        staff=200,
    ),
    Row(
        "POST",
        "/api/v1/requests/{request_id}/answers/",
        setup=_someone_elses_open_request_with_owners_service,
        anonymous=401,
        other=422,  # not their service: a refusal naming the `service` field
        owner=201,
        staff=422,
    ),
    Row(
        "POST",
        "/api/v1/requests/{request_id}/answers/{answer_id}/order/",
        setup=_own_request_answered_funded,
        anonymous=401,
        other=404,
        owner=201,
        staff=404,
        idempotent=True,
    ),
]


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_permission_matrix(row):
    responses = check_row(row)
    if row.method == "GET" and row.path == "/api/v1/requests/{request_id}/answers/":
        assert len(responses["owner"].json()) == 1 and responses["other"].json() == []


def test_the_answers_show_service_price_delivery_and_the_sellers_figures():
    brief = open_brief()
    answer = answered(brief, service=approved_service(price_cents=1500, delivery_days=4))
    body = ApiClient(brief.buyer).get(f"/api/v1/requests/{brief.pk}/answers/").json()
    assert body == [
        {
            "id": answer.pk,
            "note": NOTE,
            "created_at": body[0]["created_at"],
            "seller": {"id": answer.seller.pk, "name": answer.seller.name},
            "service": {
                "id": answer.service.pk,
                "title": answer.service.title,
                "price_cents": 1500,
                "delivery_days": 4,
            },
            "seller_rating": None,
            "seller_review_count": 0,
            "seller_on_time_rate": None,
        }
    ]


def test_a_budget_over_the_cap_is_a_422_naming_the_budget(settings):
    response = ApiClient(verified_user()).post(
        "/api/v1/requests/", _body(budget_cents=settings.ORDER_MAX_CENTS + 1)
    )
    body = assert_error(response, 422)
    assert "budget" in body["fields"] and Brief.objects.count() == 0


def test_answer_refusals_are_409s_in_arabic_and_write_nothing():
    brief = open_brief()
    first = answered(brief)
    paused = approved_service()
    gig_services.pause_service(seller=paused.seller, service=paused)
    cases = [
        (first.seller, approved_service(first.seller).pk),  # twice
        (brief.buyer, approved_service(brief.buyer).pk),  # own request
        (paused.seller, paused.pk),  # a paused service
    ]
    for seller, service_id in cases:
        response = ApiClient(seller).post(
            f"/api/v1/requests/{brief.pk}/answers/", {"service": service_id, "note": NOTE}, language="ar"
        )
        body = assert_error(response, 409 if seller != paused.seller else 422)
        assert any("\u0600" <= char <= "\u06ff" for char in body["message"])
    assert Answer.objects.count() == 1


def test_ordering_is_idempotent_and_a_closed_request_refuses_another_order():
    brief = open_brief()
    answer, other = answered(brief), answered(brief)
    give_available_funds(brief.buyer, 5000)
    api, key = ApiClient(brief.buyer), str(uuid.uuid4())
    path = f"/api/v1/requests/{brief.pk}/answers/{answer.pk}/order/"
    first = api.post(path, idempotency_key=key)
    again = api.post(path, idempotency_key=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Contract.objects.count() == 1
    before = ledger_snapshot()
    closed = api.post(
        f"/api/v1/requests/{brief.pk}/answers/{other.pk}/order/", idempotency_key=str(uuid.uuid4())
    )
    assert_error(closed, 409)
    assert ledger_snapshot() == before and Contract.objects.count() == 1


def test_ordering_without_money_is_409_insufficient_funds():
    brief = open_brief()
    answer = answered(brief)
    response = ApiClient(brief.buyer).post(
        f"/api/v1/requests/{brief.pk}/answers/{answer.pk}/order/", idempotency_key=str(uuid.uuid4())
    )
    assert_error(response, 409, "insufficient_funds")
    assert Contract.objects.count() == 0


def test_the_list_costs_the_same_at_two_sizes(django_assert_num_queries):
    api = ApiClient()
    open_brief()
    api.get("/api/v1/requests/")
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/requests/")
    for _number in range(6):
        open_brief()
    with django_assert_num_queries(len(few)):
        api.get("/api/v1/requests/")

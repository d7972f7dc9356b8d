"""The services API: the list and its filters, the detail with upgrades, publishing and editing,
gallery images, and ordering with an Idempotency-Key — and who may do each."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from mostaql.api import services as token_services
from mostaql.api.tests.support import ApiClient, Row, assert_error, check_row, verified_user
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.gigs.models import Order, Service
from mostaql.gigs.tests.factories import INSTRUCTIONS, approved_service, published_service, some_skills
from mostaql.gigs.tests.support import needs_engine
from mostaql.wallet.tests.factories import give_available_funds, ledger_snapshot

pytestmark = pytest.mark.django_db
S = Service.Status


def _body(**overrides) -> dict:
    skills = some_skills(2)
    body = {
        "title": "سأصمم لك بطاقة عمل أنيقة",
        "description": "تصميم بطاقة عمل بوجهين بثلاثة نماذج مختلفة، وملف جاهز للطباعة بدقة عالية.",
        "category": skills[0].category.slug,
        "skills": [skill.slug for skill in skills],
        "price_cents": 500,
        "delivery_days": 2,
        "instructions": INSTRUCTIONS,
        "max_quantity": 3,
        "upgrades": [{"title": "ملف المصدر", "price_cents": 1000, "extra_days": 1}],
    }
    body.update(overrides)
    return body


# --- The permission matrix ------------------------------------------------------------------------


def _listed(owner) -> dict:
    return {}


def _own_pending(owner) -> dict:
    return {"service_id": published_service(owner).pk}


def _own_approved(owner) -> dict:
    return {"service_id": approved_service(owner).pk}


def _new_service(owner) -> dict:
    return {"body": _body()}


def _patch_own(owner) -> dict:
    return {"service_id": approved_service(owner).pk, "body": {"price_cents": 1000}}


def _someone_elses_service_funded_owner(owner) -> dict:
    give_available_funds(owner, 2000)
    service = approved_service()
    return {"service_id": service.pk, "body": {"upgrades": [], "quantity": 1}}


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 150, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


MATRIX = [
    Row("GET", "/api/v1/services/", setup=_listed, anonymous=200, other=200, owner=200, staff=200),
    Row(
        "GET",
        "/api/v1/services/{service_id}/",
        setup=_own_pending,
        anonymous=404,
        other=404,
        owner=200,
        staff=200,
    ),
    Row("POST", "/api/v1/services/", setup=_new_service, anonymous=401, other=201, owner=201, staff=201),
    Row(
        "PATCH",
        "/api/v1/services/{service_id}/",
        setup=_patch_own,
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "POST",
        "/api/v1/services/{service_id}/images/",
        setup=_own_approved,
        anonymous=401,
        other=404,
        owner=422,  # no files sent: the owner reaches the service, which asks for images
        staff=404,
    ),
    Row("GET", "/api/v1/me/services/", setup=_listed, anonymous=401, other=200, owner=200, staff=200),
    Row(
        "POST",
        "/api/v1/services/{service_id}/orders/",
        setup=_someone_elses_service_funded_owner,
        anonymous=401,
        other=409,  # no money
        owner=201 if hasattr(contract_services, "start_order") else 500,
        staff=409,
        idempotent=True,
    ),
]


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_permission_matrix(row):
    if row.path.endswith("/orders/") and row.owner == 500:
        pytest.skip("contracts.services.start_order not merged yet")
    check_row(row)


# --- The list and the detail -----------------------------------------------------------------------


def test_the_list_has_the_web_filters_and_search():
    wanted = approved_service(title="سأصمم لك شعاراً احترافياً لمشروعك")
    approved_service(
        title="سأكتب لك مقالاً تسويقياً جذاباً",
        description="مقال من ألف كلمة عن التسويق عبر وسائل التواصل، مكتوب بلغة سليمة ومراجع بعناية.",
        price_cents=2000,
    )
    published_service()
    api = ApiClient()
    everything = api.get("/api/v1/services/").json()
    assert everything["count"] == 2
    assert [item["id"] for item in api.get("/api/v1/services/?q=الشعارات").json()["items"]] == [wanted.pk]
    cheap = api.get("/api/v1/services/?max_price_cents=1000").json()["items"]
    assert [item["id"] for item in cheap] == [wanted.pk]
    assert cheap[0]["cover_url"]
    assert_error(api.get("/api/v1/services/?sort=cheapest"), 422)


def test_the_detail_has_the_upgrades_and_gallery():
    service = approved_service()
    body = ApiClient().get(f"/api/v1/services/{service.pk}/").json()
    assert [upgrade["price_cents"] for upgrade in body["upgrades"]] == [1000, 500]
    assert body["net_cents"] == 400 and len(body["images"]) == 1


def test_the_list_costs_the_same_with_more_services(django_assert_num_queries):
    approved_service()
    api = ApiClient()
    api.get("/api/v1/services/")
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/services/")
    for _ in range(3):
        approved_service()
    with django_assert_num_queries(len(few)):
        api.get("/api/v1/services/")


# --- Publishing --------------------------------------------------------------------------------------


def test_a_seller_publishes_adds_images_and_edits():
    seller = verified_user()
    api = ApiClient(seller)
    created = api.post("/api/v1/services/", _body())
    assert created.status_code == 201, created.content
    service_id = created.json()["id"]
    assert created.json()["status"] == "pending"
    client = Client()
    _row, token = token_services.create_token(user=seller, name="files")
    upload = SimpleUploadedFile("cover.png", _png_bytes(), content_type="image/png")
    response = client.post(
        f"/api/v1/services/{service_id}/images/",
        {"files": [upload]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.content
    assert len(response.json()["images"]) == 1
    edited = api.patch(f"/api/v1/services/{service_id}/", {"price_cents": 1500})
    assert edited.json()["price_cents"] == 1500 and edited.json()["status"] == "pending"


@pytest.mark.parametrize(
    "overrides",
    [
        {"price_cents": 750},
        {"price_cents": 0},
        {"upgrades": [{"title": "ترقية", "price_cents": 500}] * 5},
        {"upgrades": [{"title": "ترقية غالية", "price_cents": 5500}]},
        {"upgrades": [{"title": "ترقية مجانية", "price_cents": 0}]},
    ],
)
def test_bad_services_are_refused_and_nothing_is_written(overrides):
    response = ApiClient(verified_user()).post("/api/v1/services/", _body(**overrides))
    assert_error(response, 422)
    assert not Service.objects.exists()


def test_someone_else_cannot_patch_a_service():
    service = approved_service()
    assert_error(
        ApiClient(verified_user()).patch(f"/api/v1/services/{service.pk}/", {"price_cents": 1000}), 404
    )


# --- Ordering ---------------------------------------------------------------------------------------


def _order(api, service, key=None, **body):
    return api.post(
        f"/api/v1/services/{service.pk}/orders/",
        {"upgrades": [], "quantity": 1, **body},
        idempotency_key=key or str(uuid.uuid4()),
    )


def test_an_order_without_an_idempotency_key_is_refused():
    service = approved_service()
    api = ApiClient(verified_user())
    assert_error(api.post(f"/api/v1/services/{service.pk}/orders/", {"upgrades": [], "quantity": 1}), 400)


def test_order_refusals_write_nothing():
    buyer = verified_user()
    give_available_funds(buyer, 50_000)
    service, other = approved_service(max_quantity=2), approved_service()
    api = ApiClient(buyer)
    before = ledger_snapshot()
    assert_error(_order(api, service, quantity=3), 422)
    assert_error(_order(api, service, upgrades=[other.upgrades.first().pk]), 422)
    assert_error(_order(ApiClient(service.seller), service), 409)
    assert ledger_snapshot() == before and not Contract.objects.exists()


@needs_engine
def test_an_order_is_placed_once_per_key():
    buyer = verified_user()
    give_available_funds(buyer, 5000)
    service = approved_service(price_cents=1000)
    upgrades = [upgrade.pk for upgrade in service.upgrades.order_by("position")]
    api = ApiClient(buyer)
    first = _order(api, service, key="order-1", upgrades=upgrades, quantity=2)
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["total_cents"] == 2000 + 1000 + 500 and body["status"] == "awaiting_requirements"
    again = _order(api, service, key="order-1", upgrades=upgrades, quantity=2)
    assert again.json() == body and Order.objects.count() == 1
    third = _order(api, service, key="order-2")
    assert third.status_code == 201 and Order.objects.count() == 2


@needs_engine
def test_a_short_balance_is_a_409_naming_the_shortfall():
    buyer = verified_user()
    service = approved_service(price_cents=1000)
    body = assert_error(_order(ApiClient(buyer), service), 409, "insufficient_funds")
    assert "$10.00" in body["message"]

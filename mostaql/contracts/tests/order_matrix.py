"""The permission matrix of the orders API (rows added to contracts/tests/test_api.py's MATRIX).

The owner is the side the action belongs to; the other side is tried in test_orders.py. Moderators
read orders, as on the web, but make no move of a side: 404 there, as for contracts."""

from mostaql.api.tests.support import Row
from mostaql.contracts.tests.order_factories import (
    CHANGES_MESSAGE,
    DECLINE_REASON,
    REQUIREMENTS_TEXT,
    order_in,
    requirements_file_id,
)
from mostaql.wallet.tests.lifecycle_helpers import CANCEL_REASON, DELIVERY_MESSAGE, DISPUTE_REASON


def buyer_of(state: str):
    return lambda owner: {"order_id": order_in(state, buyer=owner).pk}


def seller_of(state: str):
    return lambda owner: {"order_id": order_in(state, seller=owner).pk}


def a_requirements_file(owner) -> dict:
    return {"file_id": requirements_file_id(order_in("active", buyer=owner))}


def _side(owner_status: int, *, read: bool = False) -> dict:
    return {"anonymous": 401, "other": 404, "owner": owner_status, "staff": 200 if read else 404}


ORDER_MATRIX = [
    Row("GET", "/api/v1/orders/", anonymous=401, other=200, owner=200, staff=200),
    Row("GET", "/api/v1/orders/{order_id}/", setup=buyer_of("active"), **_side(200, read=True)),
    Row(
        "GET",
        "/api/v1/orders/requirements-files/{file_id}/",
        setup=a_requirements_file,
        **_side(200, read=True),
    ),
    Row(
        "POST",
        "/api/v1/orders/{order_id}/requirements/",
        setup=buyer_of("awaiting_requirements"),
        body={"text": REQUIREMENTS_TEXT},
        **_side(200),
    ),
    Row(
        "POST",
        "/api/v1/orders/{order_id}/deliver/",
        setup=seller_of("active"),
        body={"message": DELIVERY_MESSAGE},
        **_side(200),
    ),
    Row(
        "POST",
        "/api/v1/orders/{order_id}/accept/",
        setup=buyer_of("delivered"),
        idempotent=True,
        **_side(200),
    ),
    Row(
        "POST",
        "/api/v1/orders/{order_id}/request_changes/",
        setup=buyer_of("delivered"),
        body={"message": CHANGES_MESSAGE},
        **_side(200),
    ),
    Row(
        "POST",
        "/api/v1/orders/{order_id}/decline/",
        setup=seller_of("awaiting_requirements"),
        body={"reason": DECLINE_REASON},
        idempotent=True,
        **_side(200),
    ),
    Row(
        "POST",
        "/api/v1/orders/{order_id}/cancel_late/",
        setup=buyer_of("late"),
        idempotent=True,
        **_side(200),
    ),
    Row(
        "POST",
        "/api/v1/orders/{order_id}/propose_cancel/",
        setup=buyer_of("active"),
        body={"reason": CANCEL_REASON},
        **_side(200),
    ),
    Row(
        "POST", "/api/v1/orders/{order_id}/cancel/", setup=buyer_of("proposed"), idempotent=True, **_side(200)
    ),
    Row("POST", "/api/v1/orders/{order_id}/refuse_cancel/", setup=buyer_of("proposed"), **_side(200)),
    Row(
        "POST",
        "/api/v1/orders/{order_id}/open_dispute/",
        setup=buyer_of("active"),
        body={"reason": DISPUTE_REASON},
        **_side(200),
    ),
    Row(
        "POST",
        "/api/v1/orders/{order_id}/review/",
        setup=buyer_of("completed"),
        body={"scores": {"overall": 5}, "comment": "خدمة ممتازة وتسليم في الموعد، أنصح بها."},
        **_side(201),
    ),
]

"""Service orders on the one agreement engine, seen from the web and the API: who may open an order
and make each move (anonymous, another user, the buyer, the seller, staff), every refusal leaving
everything as it was, the whole journey from order to cleared earning and reviews, and query counts."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mostaql.api.tests.support import ApiClient, verified_user
from mostaql.contracts import services as contract_services
from mostaql.contracts import states
from mostaql.contracts.models import Contract, Milestone, Requirements
from mostaql.contracts.tests.order_factories import (
    CHANGES_MESSAGE,
    DECLINE_REASON,
    ORDER_STATES,
    REQUIREMENTS_TEXT,
    a_file,
    order_in,
    placed_order,
)
from mostaql.core.exceptions import DomainError
from mostaql.dashboard import selectors as dashboard_selectors
from mostaql.gigs.models import Order
from mostaql.messaging import services as messaging_services
from mostaql.notifications.models import EmailPreference, Notification
from mostaql.reviews import figures
from mostaql.reviews import selectors as review_selectors
from mostaql.reviews import services as review_services
from mostaql.reviews.models import Reputation, Review
from mostaql.wallet import ledger
from mostaql.wallet import services as wallet_services
from mostaql.wallet.tests.factories import funded_contract
from mostaql.wallet.tests.lifecycle_helpers import (
    CANCEL_REASON,
    DELIVERY_MESSAGE,
    DISPUTE_REASON,
    ar,
    balances,
    form_actions,
    messages_of,
    snapshot,
)

pytestmark = pytest.mark.django_db
S = Contract.Status


@pytest.fixture(autouse=True)
def _sandbox(settings):
    settings.SANDBOX_GATEWAY_ENABLED = True


def order_snapshot(contract: Contract) -> dict:
    """Everything an order's move can change: the engine's rows and money, and the order's own."""
    return {
        **snapshot(contract.client, contract.freelancer),
        "requirements": list(Requirements.objects.order_by("pk").values()),
        "milestones": list(Milestone.objects.order_by("pk").values()),
        "notifications": Notification.objects.count(),
        "emails": len(mail.outbox),
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Who may open the order page -----------------------------------------------------------------


def test_the_order_page_is_for_its_buyer_its_seller_and_moderators_only():
    contract = order_in("active")
    stranger, moderator = verified_user(), verified_user(is_staff=True)
    page = f"/contracts/{contract.pk}/"

    assert Client().get(page).status_code == 302  # to the sign-in page
    assert signed_in(stranger).get(page).status_code == 404
    assert signed_in(stranger).get(f"/orders/{contract.pk}/").status_code == 404
    for person in (contract.client, contract.freelancer, moderator):
        response = signed_in(person).get(page)
        assert response.status_code == 200
        assert ar("Order #%(number)s") % {"number": contract.pk} in response.content.decode()
    assert signed_in(contract.client).get(f"/orders/{contract.pk}/").url == page


def test_a_contract_from_a_hire_is_not_an_order():
    contract = order_in("active")
    contract_services_hire = Contract.objects.filter(pk=contract.pk)
    contract_services_hire.update(origin=Contract.Origin.HIRE)
    assert signed_in(contract.client).get(f"/orders/{contract.pk}/").status_code == 404


def test_the_page_shows_what_was_ordered_the_requirements_the_thread_and_the_deadline():
    contract = order_in("active")
    html = signed_in(contract.freelancer).get(f"/contracts/{contract.pk}/").content.decode()

    assert contract.service_order.service.title in html
    assert contract.service_order.service.instructions in html
    assert REQUIREMENTS_TEXT in html
    assert "/contracts/requirements/" in html  # the buyer's file, for the seller to download
    assert 'id="thread"' in html
    assert ar("due in %(time)s").split("%")[0].strip() in html


def test_a_late_order_says_so_to_each_side_and_offers_the_buyer_a_refund():
    contract = order_in("late")
    buyer_page = signed_in(contract.client).get(f"/contracts/{contract.pk}/").content.decode()
    seller_page = signed_in(contract.freelancer).get(f"/contracts/{contract.pk}/").content.decode()

    late_words = ar("late by %(time)s").split("%")[0].strip()
    assert late_words in buyer_page and late_words in seller_page
    assert "cancel_late" in form_actions(buyer_page, contract)
    assert "cancel_late" not in form_actions(seller_page, contract)


@pytest.mark.parametrize("state", ORDER_STATES)
def test_each_side_is_offered_exactly_the_moves_of_the_transition_table(state):
    contract = order_in(state)
    for person in (contract.client, contract.freelancer):
        html = signed_in(person).get(f"/contracts/{contract.pk}/").content.decode()
        offered = states.offered_actions(contract, person)
        shown = form_actions(html, contract)
        # Accepting and cancelling late ask for a confirmation first; the forms are the moves.
        assert shown == offered, (state, person == contract.client, shown, offered)


# --- Every move of the web page: who may make it ---------------------------------------------------

WEB_MOVES = [
    # (action, state, the side that may, form data)
    ("submit_requirements", "awaiting_requirements", "client", {"text": REQUIREMENTS_TEXT}),
    ("decline_order", "awaiting_requirements", "freelancer", {"reason": DECLINE_REASON}),
    ("deliver", "active", "freelancer", {"message": DELIVERY_MESSAGE}),
    ("accept", "delivered", "client", {"confirmed": "1"}),
    ("request_changes", "delivered", "client", {"reason": CHANGES_MESSAGE}),
    ("cancel_late", "late", "client", {"confirmed": "1"}),
    ("propose_cancel", "active", "client", {"reason": CANCEL_REASON}),  # either side may propose
    ("cancel", "proposed", "client", {}),
    ("refuse_cancel", "proposed", "client", {}),
    ("open_dispute", "active", "freelancer", {"reason": DISPUTE_REASON}),
]


@pytest.mark.parametrize(("action", "state", "side", "data"), WEB_MOVES, ids=[move[0] for move in WEB_MOVES])
def test_only_the_right_side_makes_each_move_and_the_others_change_nothing(action, state, side, data):
    contract = order_in(state)
    wrong_side = contract.freelancer if side == "client" else contract.client
    url = f"/contracts/{contract.pk}/{action}/"
    before = order_snapshot(contract)

    assert Client().post(url, data).status_code == 302  # to sign in
    assert signed_in(verified_user()).post(url, data).status_code == 404
    if action not in ("propose_cancel", "open_dispute"):  # either side may make these two
        response = signed_in(wrong_side).post(url, data)
        assert [level for level, _text in messages_of(response)] == ["error"]
    assert signed_in(verified_user(is_staff=True)).post(url, data).status_code in (302, 404)
    assert order_snapshot(contract) == before
    assert ledger.audit().is_clean

    response = signed_in(getattr(contract, side)).post(url, data)
    assert [level for level, _text in messages_of(response)] == ["success"], messages_of(response)
    assert order_snapshot(contract) != before
    assert ledger.audit().is_clean


# --- Refusals: nothing written, no money moved ----------------------------------------------------


def _refused(contract: Contract, move) -> str:
    before = order_snapshot(contract)
    with pytest.raises(DomainError) as refusal:
        move(Contract.objects.get(pk=contract.pk))
    assert order_snapshot(contract) == before
    assert ledger.audit().is_clean
    return refusal.value.message


def test_the_requirements_are_answered_once():
    contract = order_in("active")
    _refused(
        contract,
        lambda fresh: contract_services.submit_requirements(
            client=fresh.client, contract=fresh, text=REQUIREMENTS_TEXT
        ),
    )


def test_the_seller_cannot_deliver_before_the_requirements():
    contract = order_in("awaiting_requirements")
    _refused(
        contract,
        lambda fresh: contract_services.deliver(
            freelancer=fresh.freelancer, contract=fresh, message=DELIVERY_MESSAGE
        ),
    )


def test_the_buyer_cannot_decline_and_the_seller_cannot_cancel_late():
    contract = order_in("late")
    _refused(
        contract,
        lambda fresh: contract_services.decline_order(
            freelancer=fresh.client, contract=fresh, reason=DECLINE_REASON
        ),
    )
    _refused(
        contract, lambda fresh: contract_services.cancel_late_order(client=fresh.freelancer, contract=fresh)
    )


def test_an_order_on_time_cannot_be_cancelled_as_late():
    contract = order_in("active")
    message = _refused(
        contract, lambda fresh: contract_services.cancel_late_order(client=fresh.client, contract=fresh)
    )
    assert "late" in message or "متأخر" in message or message


def test_short_requirements_are_refused_on_the_page_with_nothing_written():
    contract = order_in("awaiting_requirements")
    before = order_snapshot(contract)
    response = signed_in(contract.client).post(
        f"/contracts/{contract.pk}/submit_requirements/", {"text": "قصير"}
    )
    assert response.status_code == 200  # the page again, with the form's error
    assert order_snapshot(contract) == before


def test_another_persons_order_is_not_found_in_the_api_whatever_the_move():
    contract = order_in("active")
    stranger = ApiClient(verified_user())
    before = order_snapshot(contract)
    for action, body in (
        ("requirements", {"text": REQUIREMENTS_TEXT}),
        ("deliver", {"message": DELIVERY_MESSAGE}),
        ("decline", {"reason": DECLINE_REASON}),
        ("open_dispute", {"reason": DISPUTE_REASON}),
    ):
        response = stranger.post(f"/api/v1/orders/{contract.pk}/{action}/", body, idempotency_key=action)
        assert response.status_code == 404
    assert stranger.get(f"/api/v1/orders/{contract.pk}/").status_code == 404
    assert order_snapshot(contract) == before


def test_the_wrong_side_is_refused_by_the_api_with_nothing_changed():
    contract = order_in("awaiting_requirements")
    seller = ApiClient(contract.freelancer)
    before = order_snapshot(contract)
    response = seller.post(f"/api/v1/orders/{contract.pk}/requirements/", {"text": REQUIREMENTS_TEXT})
    assert response.status_code == 409
    response = seller.post(f"/api/v1/orders/{contract.pk}/deliver/", {"message": DELIVERY_MESSAGE})
    assert response.status_code == 409
    assert order_snapshot(contract) == before


def test_a_hire_is_not_found_under_orders():
    contract = funded_contract()
    response = ApiClient(contract.client).get(f"/api/v1/orders/{contract.pk}/")
    assert response.status_code == 404


# --- The journey through the API, to the earning cleared and the reviews -----------------------------


def test_an_order_from_placement_to_the_cleared_earning_and_both_reviews(settings):
    contract = placed_order(upgrades=2)  # $5 + $10 + $5
    buyer, seller = contract.client, contract.freelancer
    assert contract.amount_cents == 2_000
    as_buyer, as_seller = ApiClient(buyer), ApiClient(seller)

    listed = as_seller.get("/api/v1/orders/?role=seller").json()["items"]
    assert [(row["id"], row["role"]) for row in listed] == [(contract.pk, "seller")]
    detail = as_buyer.get(f"/api/v1/orders/{contract.pk}/").json()
    assert {row["action"] for row in detail["actions"]} == {
        "submit_requirements",
        "propose_cancel",
        "open_dispute",
    }
    assert detail["upgrades"][0]["price_cents"] == 1_000 and detail["requirements"] is None

    response = as_buyer.post(f"/api/v1/orders/{contract.pk}/requirements/", {"text": REQUIREMENTS_TEXT})
    assert response.status_code == 200 and response.json()["status"] == S.ACTIVE
    assert response.json()["requirements"]["text"] == REQUIREMENTS_TEXT
    assert response.json()["due_at"] is not None and response.json()["is_late"] is False
    response = as_seller.post(f"/api/v1/orders/{contract.pk}/deliver/", {"message": DELIVERY_MESSAGE})
    assert response.json()["status"] == S.DELIVERED
    response = as_buyer.post(f"/api/v1/orders/{contract.pk}/accept/", idempotency_key="accept-1")
    assert response.status_code == 200 and response.json()["status"] == S.COMPLETED

    assert balances(seller)["pending"] == 1_600  # 80%
    later = timezone.now() + datetime.timedelta(days=settings.CLEARANCE_DAYS, hours=1)
    wallet_services.clear_due_earnings(now=later)
    assert balances(seller)["available"] == 1_600 and balances(seller)["pending"] == 0

    response = as_buyer.post(
        f"/api/v1/orders/{contract.pk}/review/",
        {"scores": {"overall": 4}, "comment": "عمل جيد وتسليم سريع، شكراً لك."},
    )
    assert response.status_code == 201 and response.json()["published_at"] is None  # blind
    review = Review.objects.get(pk=response.json()["id"])
    assert review.rating == 4 and review.quality == 4 and review.on_time == 4
    response = as_seller.post(
        f"/api/v1/orders/{contract.pk}/review/",
        {
            "scores": {"professionalism": 5, "communication": 5, "clarity": 4, "would_work_again": 5},
            "comment": "مشترٍ واضح وسريع الرد.",
        },
    )
    assert response.status_code == 201 and response.json()["published_at"] is not None  # both public now
    review_services.reply_to_review(user=seller, review=Review.objects.get(pk=review.pk), text="شكراً لك!")
    with pytest.raises(DomainError):
        review_services.reply_to_review(user=seller, review=Review.objects.get(pk=review.pk), text="مرة أخرى")

    reputation = Reputation.objects.get(user=seller)
    assert (reputation.freelancer_completed_count, reputation.freelancer_completed_order_count) == (1, 1)
    assert figures.completed_words(42, 30) == "12 مشروعاً · 30 طلب خدمة"  # which is which
    assert Reputation.objects.get(user=buyer).client_completed_order_count == 1
    assert ledger.audit().is_clean


def test_an_orders_review_rates_it_overall_on_the_page():
    contract = order_in("completed")
    html = signed_in(contract.client).get(f"/contracts/{contract.pk}/review/").content.decode()
    assert 'name="overall"' in html and 'name="quality"' not in html
    html = signed_in(contract.freelancer).get(f"/contracts/{contract.pk}/review/").content.decode()
    assert 'name="clarity"' in html


def test_every_order_event_that_asks_for_an_answer_or_moves_money_is_notified_in_arabic():
    contract = placed_order()
    buyer, seller = contract.client, contract.freelancer
    contract_services.submit_requirements(
        client=buyer, contract=contract, text=REQUIREMENTS_TEXT, files=[a_file()]
    )
    contract_services.deliver(freelancer=seller, contract=contract, message=DELIVERY_MESSAGE)
    contract_services.accept_delivery(client=buyer, contract=Contract.objects.get(pk=contract.pk))
    kinds = list(
        Notification.objects.exclude(kind="service_approved").order_by("pk").values_list("user_id", "kind")
    )
    assert kinds == [
        (seller.pk, "order_placed"),
        (seller.pk, "requirements_submitted"),
        (buyer.pk, "delivered"),
        (seller.pk, "payment_released"),
    ]
    delivered = Notification.objects.get(kind="delivered")
    assert delivered.titles["ar"].startswith(ar("The seller delivered your order:"))


def test_a_kind_switched_off_sends_no_email():
    contract = placed_order()
    EmailPreference.objects.create(user=contract.freelancer, kind="requirements_submitted")  # muted
    sent = len(mail.outbox)
    contract_services.submit_requirements(client=contract.client, contract=contract, text=REQUIREMENTS_TEXT)
    assert len(mail.outbox) == sent


# --- Query counts -----------------------------------------------------------------------------------


def _busy(contract: Contract, rounds: int) -> None:
    """`rounds` deliveries sent back, each with a file, and as many messages."""
    conversation = contract.conversation
    for index in range(rounds):
        messaging_services.send_message(
            sender=contract.client, conversation=conversation, body=f"رسالة {index}"
        )
        contract_services.deliver(
            freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE, files=[a_file()]
        )
        contract_services.request_changes(client=contract.client, contract=contract, message=CHANGES_MESSAGE)


def test_the_order_page_costs_the_same_queries_however_long_its_history():
    counts = []
    for rounds in (1, 4):
        contract = order_in("active")
        _busy(contract, rounds)
        client = signed_in(contract.client)
        client.get(f"/contracts/{contract.pk}/")  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/contracts/{contract.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def _orders_of(buyer, seller, count: int) -> None:
    for _index in range(count):
        placed_order(buyer=buyer, seller=seller)


@pytest.mark.parametrize("count", [1, 5])
def test_the_orders_list_and_the_dashboards_cost_fixed_queries(count, django_assert_num_queries):
    buyer, seller = verified_user(), verified_user()
    _orders_of(buyer, seller, count)
    api = ApiClient(seller)
    api.get("/api/v1/orders/")
    with django_assert_num_queries(3):  # the token, the page's count and its rows
        assert len(api.get("/api/v1/orders/").json()["items"]) == count
    with django_assert_num_queries(4):  # the open sales and their milestones, purchases, earnings
        blocks = dashboard_selectors.order_blocks(seller)
    assert len(blocks.selling) == count and blocks.earnings == []
    with django_assert_num_queries(4):
        assert len(dashboard_selectors.order_blocks(buyer).buying) == count


@pytest.mark.parametrize("orders", [1, 3])
def test_a_services_rating_reviews_and_completed_orders_for_the_service_page(
    orders, django_assert_num_queries
):
    first = order_in("completed")
    service = first.service_order.service
    for _index in range(orders - 1):
        contract = placed_order(buyer=first.client, seller=first.freelancer)
        Order.objects.filter(contract=contract).update(service=service)
    for mark, contract in zip([5, 4, 3], Contract.objects.filter(status=S.COMPLETED), strict=False):
        review_services.write_review(
            author=contract.client,
            contract=contract,
            scores={"overall": mark},
            comment="خدمة جيدة جداً، شكراً.",
        )
    Review.objects.update(published_at=timezone.now())  # as the sweep does when the window closes
    with django_assert_num_queries(2):
        figures_of = review_selectors.rating_of(Contract.objects.filter(service_order__service=service))
    assert figures_of == {"rating": 5, "review_count": 1, "completed_count": 1}

"""The contracts API: the permission matrix, the actions offered as on the web page, each action's
refusals leaving everything as it was, and the money-moving actions run once per Idempotency-Key."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mostaql.accounts.services import enroll_totp
from mostaql.accounts.tests.factories import STAFF_TOTP_SECRET
from mostaql.api.tests.support import ApiClient, Row, assert_error, check_row, verified_user
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract, DeliveryAttachment, Dispute
from mostaql.contracts.tests import amendment_rows
from mostaql.contracts.tests.order_matrix import ORDER_MATRIX
from mostaql.core.tests import samples
from mostaql.core.uploads import clean_deliverable
from mostaql.wallet.models import Transfer
from mostaql.wallet.tests.factories import (
    delivered_contract,
    funded_contract,
    give_available_funds,
    hired_contract,
)
from mostaql.wallet.tests.lifecycle_helpers import (
    CANCEL_REASON,
    DECISION,
    DELIVERY_MESSAGE,
    DISPUTE_REASON,
    STATES,
    balances,
    escrow_of,
    form_actions,
    scene_in,
    snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sandbox(settings):
    settings.SANDBOX_GATEWAY_ENABLED = True
    settings.OFFERS_PER_MONTH = 1_000


def url(contract, action: str = "") -> str:
    return f"/api/v1/contracts/{contract.pk}/" + (f"{action}/" if action else "")


# --- The permission matrix -------------------------------------------------------------------------


def as_client(build):
    return lambda owner: {"contract_id": build(client=owner).pk}


def as_freelancer(build):
    return lambda owner: {"contract_id": build(freelancer=owner).pk}


def fundable(*, client):
    contract = hired_contract(client=client)
    give_available_funds(client, contract.amount_cents)
    return contract


def proposed_by_the_freelancer(*, client):
    contract = funded_contract(client=client)
    contract_services.propose_cancellation(user=contract.freelancer, contract=contract, reason=CANCEL_REASON)
    return contract


def disputed(*, client=None):
    contract = funded_contract(client=client)
    contract_services.open_dispute(user=contract.client, contract=contract, reason=DISPUTE_REASON)
    return contract


def a_dispute_for_moderator(owner):
    """`owner` is made a moderator; the dispute is between two other people."""
    owner.is_staff = True
    owner.save(update_fields=["is_staff"])
    enroll_totp(user=owner, secret=STAFF_TOTP_SECRET)  # staff work needs a second factor
    return {"contract_id": disputed().pk, "body": {"freelancer_share_cents": 5_000, "decision": DECISION}}


def a_delivered_picture(owner):
    """`owner` is the client of a contract delivered with a PNG (so it has a preview)."""
    contract = funded_contract(client=owner)
    png = clean_deliverable(SimpleUploadedFile("deliverable.png", samples.picture("PNG")))
    contract_services.deliver(
        freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE, files=[png]
    )
    return {"file_id": DeliveryAttachment.objects.get(delivery__contract=contract).pk}


def an_open_dispute(owner):
    disputed(client=owner)
    return {}


MATRIX = [
    Row("GET", "/api/v1/contracts/", anonymous=401, other=200, owner=200, staff=200),
    Row(
        "GET",
        "/api/v1/contracts/files/{file_id}/",
        setup=a_delivered_picture,
        anonymous=401,
        other=404,
        owner=200,
        staff=200,  # moderators open delivered files to decide disputes, as on the web
    ),
    Row(
        "GET",
        "/api/v1/contracts/files/{file_id}/preview/",
        setup=a_delivered_picture,
        anonymous=401,
        other=404,
        owner=200,
        staff=200,
    ),
    Row(
        "GET",
        "/api/v1/contracts/{contract_id}/",
        setup=as_client(funded_contract),
        anonymous=401,
        other=404,
        owner=200,
        staff=200,  # moderators see contracts, as on the web
    ),
    Row(
        "POST",
        "/api/v1/contracts/{contract_id}/fund/",
        setup=as_client(fundable),
        idempotent=True,
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "POST",
        "/api/v1/contracts/{contract_id}/decline/",
        setup=as_freelancer(hired_contract),
        body={"reason": "لدي التزام آخر."},
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "POST",
        "/api/v1/contracts/{contract_id}/withdraw_hire/",
        setup=as_client(hired_contract),
        body={"reason": ""},
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "POST",
        "/api/v1/contracts/{contract_id}/deliver/",
        setup=as_freelancer(funded_contract),
        body={"message": DELIVERY_MESSAGE},
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "POST",
        "/api/v1/contracts/{contract_id}/accept/",
        setup=as_client(delivered_contract),
        idempotent=True,
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "POST",
        "/api/v1/contracts/{contract_id}/request_changes/",
        setup=as_client(delivered_contract),
        body={"message": "نرجو تكبير الشعار وتغيير لون الخلفية."},
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "POST",
        "/api/v1/contracts/{contract_id}/propose_cancel/",
        setup=as_client(funded_contract),
        body={"reason": CANCEL_REASON},
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "POST",
        "/api/v1/contracts/{contract_id}/cancel/",
        setup=as_client(proposed_by_the_freelancer),
        idempotent=True,
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "POST",
        "/api/v1/contracts/{contract_id}/refuse_cancel/",
        setup=as_client(proposed_by_the_freelancer),
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "POST",
        "/api/v1/contracts/{contract_id}/open_dispute/",
        setup=as_client(funded_contract),
        body={"reason": DISPUTE_REASON},
        anonymous=401,
        other=404,
        owner=200,
        staff=404,
    ),
    Row(
        "GET",
        "/api/v1/staff/disputes/",
        setup=an_open_dispute,
        anonymous=401,
        other=403,
        owner=403,  # a side of a dispute is not a moderator
        staff=200,
    ),
    Row(
        "POST",
        "/api/v1/contracts/{contract_id}/resolve_dispute/",
        setup=a_dispute_for_moderator,
        idempotent=True,
        anonymous=401,
        other=403,
        owner=200,
        staff=200,
    ),
    *amendment_rows.ROWS,
]


MATRIX += ORDER_MATRIX  # the same engine under /orders/ (order_matrix.py)


@pytest.mark.parametrize("row", MATRIX, ids=str)
def test_permission_matrix(row):
    check_row(row)


# --- The actions offered are the web page's --------------------------------------------------------


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("side", ["client", "freelancer"])
def test_the_detail_offers_exactly_the_actions_the_contract_page_offers(state, side):
    scene = scene_in(state)
    person = scene.person(side)
    browser = Client()
    browser.force_login(person)
    page = browser.get(scene.contract.get_absolute_url()).content.decode()

    detail = ApiClient(person).get(url(scene.contract))

    assert detail.status_code == 200, detail.content
    offered = {item["action"] for item in detail.json()["actions"]}
    assert offered == form_actions(page, scene.contract)
    assert detail.json()["status"] == scene.contract.status


def test_a_moderator_is_offered_the_decision_of_a_dispute_and_nothing_else():
    scene = scene_in("disputed")
    detail = ApiClient(scene.staff).get(url(scene.contract)).json()
    assert {item["action"] for item in detail["actions"]} == {"resolve_dispute", "refund_dispute"}
    assert detail["dispute"]["reason"] == DISPUTE_REASON and detail["dispute"]["status"] == "open"
    client_view = ApiClient(scene.client).get(url(scene.contract)).json()
    assert client_view["actions"] == []


# --- The road of one contract, by its two sides ----------------------------------------------------


def test_fund_deliver_and_accept_move_the_money_as_the_web_does():
    contract = hired_contract(amount_cents=10_000)
    give_available_funds(contract.client, 10_000)
    client, freelancer = ApiClient(contract.client), ApiClient(contract.freelancer)

    funded = client.post(url(contract, "fund"), idempotency_key="fund-1")
    assert funded.status_code == 200, funded.content
    assert funded.json()["status"] == "active" and funded.json()["funded_at"]
    assert balances(contract.client)["available"] == 0 and escrow_of(contract) == 10_000
    assert [item["action"] for item in freelancer.get(url(contract)).json()["actions"]] == [
        "deliver",
        "propose_cancel",
        "open_dispute",
        "propose_milestone_change",
        "propose_extension",
    ]

    delivered = freelancer.post(url(contract, "deliver"), {"message": DELIVERY_MESSAGE})
    assert delivered.status_code == 200, delivered.content
    body = delivered.json()
    assert body["status"] == "delivered" and body["deliveries"][0]["message"] == DELIVERY_MESSAGE
    assert body["deliveries"][0]["files"] == [] and body["auto_accept_at"]

    accepted = client.post(url(contract, "accept"), idempotency_key="accept-1")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "completed"
    assert [item["action"] for item in accepted.json()["actions"]] == ["pay_bonus"]  # a bonus, still
    assert escrow_of(contract) == 0
    assert balances(contract.freelancer)["pending"] == 8_000  # less the 20% commission
    assert [event["action"] for event in accepted.json()["events"]] == ["hire", "fund", "deliver", "accept"]


def test_changes_requested_bring_the_contract_back_to_active():
    contract = delivered_contract()
    response = ApiClient(contract.client).post(
        url(contract, "request_changes"), {"message": "نرجو تكبير الشعار وتغيير لون الخلفية."}
    )
    assert response.status_code == 200 and response.json()["status"] == "active"
    assert response.json()["events"][-1]["note"] == "نرجو تكبير الشعار وتغيير لون الخلفية."


def test_a_cancellation_proposed_then_accepted_refunds_the_client():
    contract = funded_contract(amount_cents=10_000)
    proposed = ApiClient(contract.freelancer).post(url(contract, "propose_cancel"), {"reason": CANCEL_REASON})
    assert proposed.status_code == 200
    assert proposed.json()["cancellation"]["reason"] == CANCEL_REASON
    assert {item["action"] for item in proposed.json()["actions"]} == {
        "deliver",
        "open_dispute",
        "propose_milestone_change",
        "propose_extension",
    }

    client = ApiClient(contract.client)
    assert {item["action"] for item in client.get(url(contract)).json()["actions"]} == {
        "cancel",
        "refuse_cancel",
        "open_dispute",
        "propose_milestone_change",
        "propose_extension",
        "pay_bonus",
    }
    cancelled = client.post(url(contract, "cancel"), idempotency_key="cancel-1")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert balances(contract.client)["available"] == 10_000 and escrow_of(contract) == 0


def test_a_refused_cancellation_keeps_the_contract_and_its_escrow():
    contract = funded_contract()
    contract_services.propose_cancellation(user=contract.client, contract=contract, reason=CANCEL_REASON)
    refused = ApiClient(contract.freelancer).post(url(contract, "refuse_cancel"))
    assert refused.status_code == 200
    assert refused.json()["status"] == "active" and refused.json()["cancellation"] is None
    assert escrow_of(contract) == contract.amount_cents


def test_decline_and_withdraw_hire_reopen_the_project():
    declined = hired_contract()
    response = ApiClient(declined.freelancer).post(url(declined, "decline"), {"reason": "لدي التزام آخر."})
    assert response.status_code == 200 and response.json()["status"] == "declined"
    withdrawn = hired_contract()
    response = ApiClient(withdrawn.client).post(url(withdrawn, "withdraw_hire"), {})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


def test_a_dispute_opened_then_decided_splits_the_escrow():
    contract = funded_contract(amount_cents=10_000)
    opened = ApiClient(contract.freelancer).post(url(contract, "open_dispute"), {"reason": DISPUTE_REASON})
    assert opened.status_code == 200 and opened.json()["status"] == "disputed"
    moderator = verified_user(is_staff=True)
    queue = ApiClient(moderator).get("/api/v1/staff/disputes/").json()
    assert [item["contract_id"] for item in queue["items"]] == [contract.pk]

    decided = ApiClient(moderator).post(
        url(contract, "resolve_dispute"),
        {"freelancer_share_cents": 5_000, "decision": DECISION},
        idempotency_key="decide-1",
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["dispute"]["freelancer_share_cents"] == 5_000
    assert decided.json()["status"] == "completed"
    assert balances(contract.client)["available"] == 5_000
    assert balances(contract.freelancer)["pending"] == 4_000
    assert escrow_of(contract) == 0


# --- Refusals change nothing ----------------------------------------------------------------------


def test_funding_without_enough_money_is_a_409_and_changes_nothing():
    contract = hired_contract(amount_cents=10_000)
    give_available_funds(contract.client, 4_000)
    before = snapshot(contract.client, contract.freelancer)
    response = ApiClient(contract.client).post(url(contract, "fund"), idempotency_key="short", language="en")
    body = assert_error(response, 409, "insufficient_funds")
    assert "$60.00" in body["message"]
    assert snapshot(contract.client, contract.freelancer) == before
    # Nothing happened, so the key is free again: once the money is there, the same key funds.
    give_available_funds(contract.client, 6_000)
    assert ApiClient(contract.client).post(url(contract, "fund"), idempotency_key="short").status_code == 200


@pytest.mark.parametrize(
    ("build", "side", "action", "body"),
    [
        (hired_contract, "freelancer", "fund", None),
        (funded_contract, "client", "accept", None),
        (funded_contract, "client", "deliver", {"message": DELIVERY_MESSAGE}),
        (delivered_contract, "freelancer", "accept", None),
        (funded_contract, "client", "cancel", None),
        (funded_contract, "freelancer", "refuse_cancel", None),
        (hired_contract, "client", "open_dispute", {"reason": DISPUTE_REASON}),
        (hired_contract, "client", "decline", {"reason": ""}),
        (funded_contract, "client", "withdraw_hire", {"reason": ""}),
        (funded_contract, "client", "resolve_dispute", {"freelancer_share_cents": 0, "decision": DECISION}),
    ],
)
def test_an_action_the_table_does_not_allow_is_refused_and_changes_nothing(build, side, action, body):
    contract = build()
    before = snapshot(contract.client, contract.freelancer)
    person = getattr(contract, side)
    response = ApiClient(person).post(url(contract, action), body, idempotency_key="k-1")
    # A side asking a moderator's action is refused for who they are; anything else for the state.
    assert_error(response, 403 if action == "resolve_dispute" else 409)
    assert snapshot(contract.client, contract.freelancer) == before


def test_the_proposer_cannot_answer_their_own_proposal():
    contract = proposed_by_the_freelancer(client=verified_user())
    before = snapshot(contract.client, contract.freelancer)
    assert_error(ApiClient(contract.freelancer).post(url(contract, "cancel"), idempotency_key="own"), 409)
    assert snapshot(contract.client, contract.freelancer) == before


@pytest.mark.parametrize(
    ("build", "side", "action", "body", "field"),
    [
        (funded_contract, "freelancer", "deliver", {"message": "قصير"}, "message"),
        (funded_contract, "freelancer", "deliver", {}, "message"),
        (delivered_contract, "client", "request_changes", {"message": "لا"}, "message"),
        (funded_contract, "client", "propose_cancel", {"reason": "لا"}, "reason"),
        (funded_contract, "client", "open_dispute", {"reason": "سيئ جداً"}, "reason"),
    ],
)
def test_invalid_text_is_a_422_naming_the_field_and_changes_nothing(build, side, action, body, field):
    contract = build()
    before = snapshot(contract.client, contract.freelancer)
    response = ApiClient(getattr(contract, side)).post(url(contract, action), body)
    assert set(assert_error(response, 422)["fields"]) == {field}
    assert snapshot(contract.client, contract.freelancer) == before


def test_a_share_above_the_escrow_is_a_422_naming_it():
    contract = disputed()
    before = snapshot(contract.client, contract.freelancer)
    response = ApiClient(verified_user(is_staff=True)).post(
        url(contract, "resolve_dispute"),
        {"freelancer_share_cents": contract.amount_cents + 1, "decision": DECISION},
        idempotency_key="too-much",
    )
    assert set(assert_error(response, 422)["fields"]) == {"freelancer_share_cents"}
    assert snapshot(contract.client, contract.freelancer) == before
    assert Dispute.objects.get(contract=contract).status == "open"


def test_another_persons_contract_is_not_found_for_every_action():
    contract = funded_contract()
    stranger = ApiClient(verified_user())
    before = snapshot(contract.client, contract.freelancer)
    assert_error(stranger.get(url(contract)), 404, "not_found")
    for action, body in [
        ("deliver", {"message": DELIVERY_MESSAGE}),
        ("open_dispute", {"reason": DISPUTE_REASON}),
        ("propose_cancel", {"reason": CANCEL_REASON}),
        ("refuse_cancel", None),
    ]:
        assert_error(stranger.post(url(contract, action), body), 404, "not_found")
    assert snapshot(contract.client, contract.freelancer) == before
    assert_error(stranger.get("/api/v1/contracts/999999/"), 404, "not_found")


# --- Idempotency: a replay answers the first response and moves no money ---------------------------


@pytest.mark.parametrize("action", ["fund", "accept", "cancel", "resolve_dispute"])
def test_a_replayed_money_moving_post_moves_no_money(action):
    if action == "fund":
        contract, caller = fundable(client=verified_user()), None
    elif action == "accept":
        contract, caller = delivered_contract(), None
    elif action == "cancel":
        contract, caller = proposed_by_the_freelancer(client=verified_user()), None
    else:
        contract, caller = disputed(), verified_user(is_staff=True)
    person = ApiClient(caller or contract.client)
    body = {"freelancer_share_cents": 3_000, "decision": DECISION} if action == "resolve_dispute" else None

    first = person.post(url(contract, action), body, idempotency_key="same")
    assert first.status_code == 200, first.content
    after_first = snapshot(contract.client, contract.freelancer)
    transfers = Transfer.objects.count()

    replay = person.post(url(contract, action), body, idempotency_key="same")
    assert replay.status_code == 200 and replay.content == first.content
    assert replay["Idempotent-Replayed"] == "true"
    assert snapshot(contract.client, contract.freelancer) == after_first
    assert Transfer.objects.count() == transfers

    # The same key with other parameters (here another query string; for the decision another share).
    changed = {"freelancer_share_cents": 9_000, "decision": DECISION} if body else None
    reused = person.post(
        url(contract, action) + ("" if body else "?again=1"), changed, idempotency_key="same"
    )
    assert_error(reused, 409, "idempotency_key_reused")
    assert Transfer.objects.count() == transfers


def test_money_moving_posts_need_an_idempotency_key():
    contract = fundable(client=verified_user())
    before = snapshot(contract.client)
    assert_error(ApiClient(contract.client).post(url(contract, "fund")), 400, "idempotency_key_required")
    assert snapshot(contract.client) == before


# --- The list ------------------------------------------------------------------------------------


def test_my_contracts_lists_both_sides_with_my_role_and_filters():
    person = verified_user()
    hiring = hired_contract(client=person)
    working = funded_contract(freelancer=person)
    hired_contract()  # someone else's
    client = ApiClient(person)
    items = client.get("/api/v1/contracts/").json()["items"]
    assert {(item["id"], item["role"]) for item in items} == {
        (hiring.pk, "client"),
        (working.pk, "freelancer"),
    }
    assert [item["id"] for item in client.get("/api/v1/contracts/?role=freelancer").json()["items"]] == [
        working.pk
    ]
    assert [
        item["id"] for item in client.get("/api/v1/contracts/?status=awaiting_funding").json()["items"]
    ] == [hiring.pk]
    assert_error(client.get("/api/v1/contracts/?status=lost"), 422)


def test_the_list_costs_the_same_with_2_and_12_contracts(django_assert_num_queries):
    person = verified_user()
    client = ApiClient(person)
    client.get("/api/v1/contracts/")  # the token's first use writes its "last used" time

    def make(count):
        for number in range(count):
            hired_contract(client=person) if number % 2 else hired_contract(freelancer=person)

    make(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get("/api/v1/contracts/?page_size=50").json()["count"] == 2
    make(10)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get("/api/v1/contracts/?page_size=50").json()["count"] == 12
    assert Contract.objects.count() == 12

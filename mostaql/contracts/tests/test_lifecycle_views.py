"""The contract page from funding to payment, the moderators' dispute pages, and who may do what.

The permission matrix checks, for each state of a contract and each person, that the page offers
exactly the forms the transition table allows, and that a POST of any other action is refused with a
message and changes nothing.
"""

import html
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.conf import settings
from django.core import mail

from mostaql.contracts.models import Contract, DeliveryAttachment, Dispute
from mostaql.core.money import commission_cents, dollars_to_cents, format_money
from mostaql.projects.models import Project
from mostaql.projects.tests.factories import pdf_upload
from mostaql.wallet import ledger
from mostaql.wallet.models import Deposit
from mostaql.wallet.tests.lifecycle_helpers import (
    ACTIONS,
    CHANGES_MESSAGE,
    CONTRACT_AMOUNT,
    DECISION,
    DELIVERY_MESSAGE,
    DISPUTE_REASON,
    STATES,
    VALID_BODY,
    ar,
    balances,
    escrow_of,
    forget_messages,
    form_actions,
    hired_scene,
    messages_of,
    platform_revenue,
    scene_in,
    snapshot,
)

pytestmark = pytest.mark.django_db

S = Contract.Status
NOTHING: frozenset[str] = frozenset()

# What the page offers, by state and viewer: the transition table narrowed by the open proposal.
PLAN = {"propose_milestone_change"}
CLOCK = {"propose_milestone_change", "propose_extension"}
OFFERED = {
    "awaiting_funding": {"client": {"fund", "withdraw_hire"} | PLAN, "freelancer": {"decline"} | PLAN},
    "active": {
        "client": {"propose_cancel", "open_dispute", "pay_bonus"} | CLOCK,
        "freelancer": {"deliver", "propose_cancel", "open_dispute"} | CLOCK,
    },
    "proposed_by_client": {
        "client": {"open_dispute", "pay_bonus"} | CLOCK,
        "freelancer": {"deliver", "cancel", "refuse_cancel", "open_dispute"} | CLOCK,
    },
    "proposed_by_freelancer": {
        "client": {"cancel", "refuse_cancel", "open_dispute", "pay_bonus"} | CLOCK,
        "freelancer": {"deliver", "open_dispute"} | CLOCK,
    },
    "delivered": {
        "client": {"accept", "request_changes", "propose_cancel", "open_dispute", "pay_bonus"} | CLOCK,
        "freelancer": {"propose_cancel", "open_dispute"} | CLOCK,
    },
    "disputed": {},
    "completed": {"client": {"pay_bonus"}},
    "cancelled": {},
}


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def action_path(scene, action: str) -> str:
    return f"/contracts/{scene.contract.pk}/{action}/"


def login_url(path: str) -> str:
    return f"/accounts/login/?next={quote(path)}"


def admin_login_url(path: str) -> str:
    return f"/admin/login/?next={quote(path)}"


# --- Funding from the page -----------------------------------------------------------------------


def test_the_client_funds_from_the_contract_page(client, django_capture_on_commit_callbacks):
    scene = hired_scene(funds_cents=50_000)
    client.force_login(scene.client)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_path(scene, "fund"))

    assert response.status_code == 302 and response.url == f"/contracts/{scene.contract.pk}/"
    assert messages_of(response) == [
        ("success", ar("The contract is funded: the money waits in escrow and the work can start."))
    ]
    scene.refresh()
    assert scene.contract.status == S.ACTIVE and scene.contract.funded_at is not None
    assert scene.project.status == Project.Status.IN_PROGRESS
    assert [message.to for message in mail.outbox] == [[scene.freelancer.email]]


def test_a_short_client_is_sent_to_add_the_difference_and_brought_back(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SANDBOX_GATEWAY_ENABLED = True
    scene = hired_scene(funds_cents=15_000)
    contract_path = f"/contracts/{scene.contract.pk}/"
    client.force_login(scene.client)
    before = snapshot(scene.client, scene.freelancer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_path(scene, "fund"))

    # Sent to the deposit form with the shortfall filled in, and nothing moved yet.
    assert response.status_code == 302
    address = urlsplit(response.url)
    assert address.path == "/wallet/deposit/"
    assert parse_qs(address.query) == {
        "amount": ["250.00"],
        "next": [contract_path],
        "fund": [str(scene.contract.pk)],
    }
    assert messages_of(response) == [("warning", ar("Your balance is not enough to fund this contract."))]
    assert snapshot(scene.client, scene.freelancer) == before

    form_page = page_of(client.get(response.url))
    assert 'value="250.00"' in form_page and f'name="next" value="{contract_path}"' in form_page

    started = client.post(
        "/wallet/deposit/", {"amount": "250.00", "next": contract_path, "fund": scene.contract.pk}
    )
    deposit = Deposit.objects.get(user=scene.client, status=Deposit.Status.STARTED)
    assert started.url == f"/wallet/sandbox/{deposit.pk}/"
    paid = client.post(started.url, {"card_number": "4242 4242 4242 4242", "expiry": "12/30", "cvc": "123"})
    assert paid.url == f"/wallet/deposit/{deposit.pk}/"
    back = client.get(paid.url)

    # The paid deposit funded the contract it was started for: no second click.
    assert back.status_code == 302 and back.url == contract_path
    assert scene.refresh().contract.status == S.ACTIVE
    assert balances(scene.client)["available"] == 0
    contract_page = page_of(client.get(contract_path))
    assert ar("The contract is funded: the money waits in escrow and the work can start.") in contract_page
    assert "fund" not in form_actions(contract_page, scene.contract)
    assert ledger.audit().is_clean


def pay_the_prefilled_deposit(client, sent_to: str, contract_path: str) -> str:
    """Post the deposit form as it was filled in, pay on the sandbox page; the prefilled amount."""
    prefilled = parse_qs(urlsplit(sent_to).query)["amount"][0]
    form_page = page_of(client.get(sent_to))
    assert f'value="{prefilled}"' in form_page
    limits = ar("You can add between %(minimum)s and %(maximum)s at a time.") % {
        "minimum": '<bdi dir="ltr" class="money">$1.00</bdi>',
        "maximum": '<bdi dir="ltr" class="money">$10,000.00</bdi>',
    }
    assert limits in form_page  # the form says what one deposit can be
    fund = parse_qs(urlsplit(sent_to).query)["fund"][0]
    started = client.post("/wallet/deposit/", {"amount": prefilled, "next": contract_path, "fund": fund})
    assert started.status_code == 302, f"the deposit form refused the {prefilled} it was sent"
    deposit = Deposit.objects.get(status=Deposit.Status.STARTED)
    assert started.url == f"/wallet/sandbox/{deposit.pk}/"
    paid = client.post(started.url, {"card_number": "4242 4242 4242 4242", "expiry": "12/30", "cvc": "123"})
    assert client.get(paid.url).url == contract_path
    added = ar("%(amount)s was added to your balance.") % {
        "amount": format_money(dollars_to_cents(prefilled))
    }
    assert added in page_of(client.get(contract_path))  # the way back, where the message is read
    return prefilled


def test_a_shortfall_under_the_minimum_deposit_is_rounded_up_to_it(client, settings):
    settings.SANDBOX_GATEWAY_ENABLED = True
    scene = hired_scene(funds_cents=CONTRACT_AMOUNT - 50)
    contract_path = f"/contracts/{scene.contract.pk}/"
    client.force_login(scene.client)

    sent = client.post(action_path(scene, "fund"))

    assert messages_of(sent) == [
        ("warning", ar("Your balance is not enough to fund this contract.")),
        (
            "info",
            ar("The smallest deposit is %(minimum)s: what the contract does not use stays in your balance.")
            % {"minimum": "\u2066$1.00\u2069"},
        ),
    ]
    assert pay_the_prefilled_deposit(client, sent.url, contract_path) == "1.00"
    assert scene.refresh().contract.status == S.ACTIVE  # funded by the deposit itself
    assert balances(scene.client)["available"] == 50  # the 50 cents the contract did not need
    assert ledger.audit().is_clean


def test_a_shortfall_over_the_maximum_deposit_is_paid_in_two_deposits(client, settings):
    settings.SANDBOX_GATEWAY_ENABLED = True
    scene = hired_scene(amount_cents=1_500_000, funds_cents=None)
    contract_path = f"/contracts/{scene.contract.pk}/"
    client.force_login(scene.client)

    first = client.post(action_path(scene, "fund"))

    assert messages_of(first) == [
        ("warning", ar("Your balance is not enough to fund this contract.")),
        (
            "info",
            ar(
                "You can add at most %(maximum)s at a time. Add it, then fund the contract again to add "
                "the remaining %(rest)s."
            )
            % {"maximum": "\u2066$10,000.00\u2069", "rest": "\u2066$5,000.00\u2069"},
        ),
    ]
    assert pay_the_prefilled_deposit(client, first.url, contract_path) == "10000.00"
    assert scene.refresh().contract.status == S.AWAITING_FUNDING  # $10,000 of $15,000: not yet
    # Back on the contract, still short: the rest is one deposit that the form takes as it is.
    second = client.post(action_path(scene, "fund"))
    assert messages_of(second) == [("warning", ar("Your balance is not enough to fund this contract."))]
    assert pay_the_prefilled_deposit(client, second.url, contract_path) == "5000.00"
    assert scene.refresh().contract.status == S.ACTIVE
    assert balances(scene.client)["available"] == 0
    assert ledger.audit().is_clean


# --- Delivery from the page, and its files -------------------------------------------------------


def test_the_freelancer_delivers_files_that_only_the_two_sides_and_staff_download(
    client, django_capture_on_commit_callbacks
):
    scene = scene_in("active")
    client.force_login(scene.freelancer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            action_path(scene, "deliver"),
            {"message": DELIVERY_MESSAGE, "files": [pdf_upload("logo.pdf"), pdf_upload("guide.pdf")]},
        )

    assert response.status_code == 302
    assert messages_of(response) == [("success", ar("Your delivery was sent to the client."))]
    scene.refresh()
    assert scene.contract.status == S.DELIVERED and scene.contract.delivered_at is not None
    assert [message.to for message in mail.outbox] == [[scene.client.email]]
    attachments = list(DeliveryAttachment.objects.order_by("original_name"))
    assert [attachment.original_name for attachment in attachments] == ["guide.pdf", "logo.pdf"]

    file_path = f"/contracts/files/{attachments[0].pk}/"
    for role in ("client", "freelancer", "staff"):
        client.force_login(scene.person(role))
        download = client.get(file_path)
        assert download.status_code == 200, role
        assert b"".join(download.streaming_content).startswith(b"%PDF-1.4")
        assert "guide.pdf" in download["Content-Disposition"]
    page = page_of(client.get(f"/contracts/{scene.contract.pk}/"))
    assert file_path in page and DELIVERY_MESSAGE in page
    for role in ("other_bidder", "stranger"):
        client.force_login(scene.person(role))
        assert client.get(file_path).status_code == 404, role
    client.logout()
    assert client.get(file_path).url == login_url(file_path)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"message": "قصير"}, "message"),
        ({"message": DELIVERY_MESSAGE, "files": [pdf_upload(f"{n}.pdf") for n in range(6)]}, "files"),
        ({"message": DELIVERY_MESSAGE, "files": [pdf_upload("tool.png")]}, None),
    ],
    ids=["short message", "too many files", "program named as a picture"],
)
def test_a_delivery_form_with_errors_is_shown_again_and_nothing_changes(
    client, body, field, django_capture_on_commit_callbacks
):
    scene = scene_in("active")
    client.force_login(scene.freelancer)
    if field == "files":
        assert len(body["files"]) == settings.DELIVERY_MAX_ATTACHMENTS + 1
    if field is None:  # the bytes decide the type, not the name: a Windows program called tool.png
        # (plain text used to be refused here; since deliverables accept text, a program stands in)
        program = b"MZ\x90\x00" + b"\x00" * 60
        body = {**body, "files": [type(body["files"][0])("tool.png", program, "image/png")]}
    before = snapshot(scene.client, scene.freelancer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_path(scene, "deliver"), body)

    assert response.status_code == 200
    assert response.context["delivery_form"].errors
    assert snapshot(scene.client, scene.freelancer) == before


# --- Acceptance and changes from the page --------------------------------------------------------


def test_the_client_accepts_from_the_page_and_the_freelancer_is_paid(
    client, django_capture_on_commit_callbacks
):
    scene = scene_in("delivered")
    client.force_login(scene.client)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_path(scene, "accept"), {"confirmed": "1"})

    assert messages_of(response) == [
        ("success", ar("You accepted the delivery. The freelancer has been paid."))
    ]
    scene.refresh()
    assert (scene.contract.status, scene.project.status) == (S.COMPLETED, Project.Status.COMPLETED)
    assert balances(scene.freelancer)["pending"] == CONTRACT_AMOUNT - commission_cents(CONTRACT_AMOUNT)
    assert platform_revenue() == commission_cents(CONTRACT_AMOUNT)


def test_the_client_asks_for_changes_from_the_page_and_the_history_shows_it(
    client, django_capture_on_commit_callbacks
):
    scene = scene_in("delivered")
    client.force_login(scene.client)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_path(scene, "request_changes"), {"reason": CHANGES_MESSAGE})

    assert messages_of(response) == [("success", ar("Your request for changes was sent."))]
    assert scene.refresh().contract.status == S.ACTIVE
    client.force_login(scene.freelancer)
    page = page_of(client.get(f"/contracts/{scene.contract.pk}/"))
    assert CHANGES_MESSAGE in page
    assert "deliver" in form_actions(page, scene.contract)


def test_a_request_for_changes_without_a_message_is_refused(client, django_capture_on_commit_callbacks):
    scene = scene_in("delivered")
    client.force_login(scene.client)
    before = snapshot(scene.client, scene.freelancer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_path(scene, "request_changes"), {"reason": ""})

    assert messages_of(response) == [("error", ar("Say what should change (at least 10 characters)."))]
    assert snapshot(scene.client, scene.freelancer) == before


# --- Cancellation from the page ------------------------------------------------------------------


def test_a_cancellation_proposed_and_accepted_from_the_page(client, django_capture_on_commit_callbacks):
    scene = scene_in("active")
    client.force_login(scene.freelancer)
    with django_capture_on_commit_callbacks(execute=True):
        proposed = client.post(
            action_path(scene, "propose_cancel"), {"reason": "ظرف عائلي يمنعني من الإكمال."}
        )
    assert messages_of(proposed) == [("success", ar("Your proposal to cancel was sent to the other side."))]
    forget_messages(client)

    # The proposer cannot answer their own proposal, even by posting the form by hand.
    before = snapshot(scene.client, scene.freelancer)
    with django_capture_on_commit_callbacks(execute=True):
        own_answer = client.post(action_path(scene, "cancel"))
    assert messages_of(own_answer) == [("error", ar("The other side must answer your proposal."))]
    assert snapshot(scene.client, scene.freelancer) == before

    client.force_login(scene.client)
    page = page_of(client.get(f"/contracts/{scene.contract.pk}/"))
    assert "ظرف عائلي يمنعني من الإكمال." in page
    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(action_path(scene, "cancel"))

    assert messages_of(answered) == [("success", ar("Your answer was recorded."))]
    scene.refresh()
    assert (scene.contract.status, scene.project.status) == (S.CANCELLED, Project.Status.CANCELLED)
    assert balances(scene.client)["available"] == 50_000
    assert escrow_of(scene.contract) == 0
    assert [message.to for message in mail.outbox][-1] == [scene.freelancer.email]


def test_a_cancellation_refused_from_the_page_leaves_the_contract_running(client):
    scene = scene_in("proposed_by_freelancer")
    client.force_login(scene.client)

    client.post(action_path(scene, "refuse_cancel"))

    assert scene.refresh().contract.status == S.ACTIVE
    assert escrow_of(scene.contract) == CONTRACT_AMOUNT
    assert (
        form_actions(page_of(client.get(f"/contracts/{scene.contract.pk}/")), scene.contract)
        == {
            "propose_cancel",
            "open_dispute",
            "pay_bonus",
        }
        | CLOCK
    )


# --- Disputes and the moderators' pages ----------------------------------------------------------


def test_a_dispute_opened_from_the_page_reaches_the_moderators(client, django_capture_on_commit_callbacks):
    scene = scene_in("delivered")
    client.force_login(scene.freelancer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_path(scene, "open_dispute"), {"reason": DISPUTE_REASON})

    assert messages_of(response) == [
        ("success", ar("The dispute is open. A moderator will study the contract and decide."))
    ]
    assert scene.refresh().contract.status == S.DISPUTED
    client.force_login(scene.staff)
    queue = page_of(client.get("/staff/disputes/"))
    assert f"/staff/disputes/{scene.contract.pk}/" in queue and "تصميم هوية لمقهى" in queue
    decide = page_of(client.get(f"/staff/disputes/{scene.contract.pk}/"))
    assert DISPUTE_REASON in decide and DELIVERY_MESSAGE in decide
    assert 'name="freelancer_share"' in decide


def test_a_short_dispute_reason_is_refused_from_the_page(client, django_capture_on_commit_callbacks):
    scene = scene_in("active")
    client.force_login(scene.client)
    before = snapshot(scene.client, scene.freelancer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action_path(scene, "open_dispute"), {"reason": "العمل متأخر"})

    assert messages_of(response) == [
        ("error", ar("Explain the problem to the moderators (at least 20 characters)."))
    ]
    assert snapshot(scene.client, scene.freelancer) == before


def test_the_moderator_decides_a_share_and_both_sides_are_told(client, django_capture_on_commit_callbacks):
    scene = scene_in("disputed")
    client.force_login(scene.staff)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/disputes/{scene.contract.pk}/", {"freelancer_share": "100.00", "decision": DECISION}
        )

    assert response.status_code == 302 and response.url == "/staff/disputes/"
    scene.refresh()
    assert scene.contract.status == S.COMPLETED
    assert balances(scene.freelancer)["pending"] == 10_000 - 2_000
    assert platform_revenue() == 2_000
    assert balances(scene.client)["available"] == 10_000 + 30_000
    assert escrow_of(scene.contract) == 0
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [scene.client.email, scene.freelancer.email]
    )
    assert all(DECISION in message.body and "$100.00" in message.body for message in mail.outbox)
    assert f"/staff/disputes/{scene.contract.pk}/" not in page_of(client.get("/staff/disputes/"))


@pytest.mark.parametrize("share", ["400.01", "5000", "-1"])
def test_a_share_outside_the_escrow_is_refused_on_the_decision_page(
    client, share, django_capture_on_commit_callbacks
):
    scene = scene_in("disputed")
    client.force_login(scene.staff)
    before = snapshot(scene.client, scene.freelancer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/disputes/{scene.contract.pk}/", {"freelancer_share": share, "decision": DECISION}
        )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert snapshot(scene.client, scene.freelancer) == before
    assert Dispute.objects.get().status == Dispute.Status.OPEN


@pytest.mark.parametrize("role", ["client", "freelancer", "stranger", None])
def test_the_dispute_pages_are_for_staff_only(client, role, django_capture_on_commit_callbacks):
    scene = scene_in("disputed")
    if role:
        client.force_login(scene.person(role))
    before = snapshot(scene.client, scene.freelancer)
    decide_path = f"/staff/disputes/{scene.contract.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(decide_path, {"freelancer_share": "400.00", "decision": DECISION})

    assert client.get("/staff/disputes/").url == admin_login_url("/staff/disputes/")
    assert client.get(decide_path).url == admin_login_url(decide_path)
    assert posted.url == admin_login_url(decide_path)
    assert snapshot(scene.client, scene.freelancer) == before


def test_a_contract_without_a_dispute_has_no_decision_page(client):
    scene = scene_in("delivered")
    client.force_login(scene.staff)

    assert client.get(f"/staff/disputes/{scene.contract.pk}/").status_code == 404


# --- The permission matrix -----------------------------------------------------------------------


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ["client", "freelancer", "staff"])
def test_the_page_offers_exactly_the_allowed_actions_and_refuses_the_others(
    client, state, role, django_capture_on_commit_callbacks
):
    scene = scene_in(state)
    viewer = scene.person(role)
    client.force_login(viewer)
    offered = OFFERED[state].get(role, NOTHING)

    page = client.get(f"/contracts/{scene.contract.pk}/")

    assert page.status_code == 200
    assert form_actions(page_of(page), scene.contract) == offered
    for action in sorted(set(ACTIONS) - offered):
        before = snapshot(scene.client, scene.freelancer)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(action_path(scene, action), VALID_BODY.get(action, {}))
        assert response.status_code == 302, action
        assert response.url == f"/contracts/{scene.contract.pk}/", action
        assert [level for level, _text in messages_of(response)] == ["error"], action
        assert snapshot(scene.client, scene.freelancer) == before, action
        forget_messages(client)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ["stranger", "other_bidder"])
def test_people_outside_the_contract_get_a_404_for_the_page_and_every_action(client, state, role):
    scene = scene_in(state)
    client.force_login(scene.person(role))
    before = snapshot(scene.client, scene.freelancer)

    assert client.get(f"/contracts/{scene.contract.pk}/").status_code == 404
    for action in ACTIONS:
        assert client.post(action_path(scene, action), VALID_BODY.get(action, {})).status_code == 404, action
    assert snapshot(scene.client, scene.freelancer) == before


@pytest.mark.parametrize("state", ["awaiting_funding", "active", "delivered"])
def test_an_anonymous_visitor_is_sent_to_log_in_for_the_page_and_every_action(client, state):
    scene = scene_in(state)
    before = snapshot(scene.client, scene.freelancer)
    page_path = f"/contracts/{scene.contract.pk}/"

    assert client.get(page_path).url == login_url(page_path)
    for action in ACTIONS:
        path = action_path(scene, action)
        response = client.post(path, VALID_BODY.get(action, {}))
        assert (response.status_code, response.url) == (302, login_url(path)), action
    assert snapshot(scene.client, scene.freelancer) == before

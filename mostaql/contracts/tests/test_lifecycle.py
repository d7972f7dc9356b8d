"""A contract's life through the services: funding, delivery, acceptance, changes, cancellation, disputes.

Every refusal asserts that nothing changed: balances, ledger rows, contract and project, e-mails.
"""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation

from mostaql.contracts import services
from mostaql.contracts.models import CancellationRequest, Contract, Dispute
from mostaql.core.exceptions import DomainError
from mostaql.core.money import commission_cents
from mostaql.projects.models import Offer, Project
from mostaql.projects.tests.factories import clean_pdf
from mostaql.wallet import ledger
from mostaql.wallet.models import PendingEarning, Transfer
from mostaql.wallet.tests.lifecycle_helpers import (
    CANCEL_REASON,
    CHANGES_MESSAGE,
    CONTRACT_AMOUNT,
    DECISION,
    DELIVERY_MESSAGE,
    DISPUTE_REASON,
    accept,
    add_funds,
    balances,
    deliver,
    escrow_of,
    fund,
    hired_scene,
    platform_revenue,
    scene_in,
    snapshot,
)

pytestmark = pytest.mark.django_db

S = Contract.Status
COMMISSION = 8_000  # 20% of $400.00
NET = CONTRACT_AMOUNT - COMMISSION


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def outbox_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def assert_refused(scene, capture, call, match: str | None = None) -> None:
    """`call` raises a DomainError and leaves every row, balance and e-mail as it was."""
    before = snapshot(scene.client, scene.freelancer)
    with capture(execute=True), pytest.raises(DomainError, match=match):
        call()
    assert snapshot(scene.client, scene.freelancer) == before
    assert ledger.audit().is_clean


# --- Funding -------------------------------------------------------------------------------------


def test_the_client_funds_the_contract_from_the_available_balance(django_capture_on_commit_callbacks):
    scene = hired_scene(funds_cents=50_000)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.fund_contract(client=scene.client, contract=scene.contract)

    scene.refresh()
    assert scene.contract.status == S.ACTIVE
    assert scene.contract.funded_at is not None
    assert scene.project.status == Project.Status.IN_PROGRESS
    assert balances(scene.client) == {
        "available": 10_000,
        "pending": 0,
        "withdrawal_hold": 0,
        "escrow": CONTRACT_AMOUNT,
    }
    assert escrow_of(scene.contract) == CONTRACT_AMOUNT
    assert Offer.objects.get(pk=scene.other_offer.pk).status == Offer.Status.NOT_HIRED
    assert Offer.objects.get(pk=scene.contract.offer_id).status == Offer.Status.HIRED
    event = scene.contract.events.latest("id")
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "fund",
        scene.client,
        S.AWAITING_FUNDING,
        S.ACTIVE,
    )
    told = outbox_to(scene.freelancer)
    assert len(told) == 1 and "تصميم هوية لمقهى" in told[0].subject
    assert outbox_to(scene.client) == []
    assert ledger.audit().is_clean


def test_a_client_with_exactly_the_amount_can_fund():
    scene = hired_scene(funds_cents=CONTRACT_AMOUNT)

    fund(scene)

    assert scene.contract.status == S.ACTIVE
    assert balances(scene.client)["available"] == 0


@pytest.mark.parametrize(("funds", "shortfall"), [(None, CONTRACT_AMOUNT), (30_000, 10_000), (39_999, 1)])
def test_a_client_short_of_money_is_told_the_shortfall_and_nothing_moves(
    funds, shortfall, django_capture_on_commit_callbacks
):
    scene = hired_scene(funds_cents=funds)
    before = snapshot(scene.client, scene.freelancer)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.NeedsFunds) as short:
        services.fund_contract(client=scene.client, contract=scene.contract)

    assert short.value.shortfall_cents == shortfall
    assert snapshot(scene.client, scene.freelancer) == before
    assert scene.refresh().contract.status == S.AWAITING_FUNDING


def test_after_adding_the_shortfall_the_client_funds():
    scene = hired_scene(funds_cents=30_000)
    with pytest.raises(services.NeedsFunds) as short:
        services.fund_contract(client=scene.client, contract=scene.contract)

    add_funds(scene.client, short.value.shortfall_cents)
    fund(scene)

    assert scene.contract.status == S.ACTIVE
    assert balances(scene.client)["available"] == 0


@pytest.mark.parametrize("role", ["freelancer", "other_bidder", "stranger", "staff"])
def test_only_the_client_funds(role, django_capture_on_commit_callbacks):
    scene = hired_scene()
    add_funds(scene.person(role), 50_000)

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.fund_contract(client=scene.person(role), contract=scene.contract),
        match="not possible",
    )


def test_a_contract_is_funded_once(django_capture_on_commit_callbacks):
    scene = fund(hired_scene(funds_cents=100_000))

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.fund_contract(client=scene.client, contract=scene.contract),
        match="not possible",
    )
    assert balances(scene.client)["available"] == 60_000


def test_the_freelancer_declines_before_funding_but_not_after(django_capture_on_commit_callbacks):
    waiting, funded = hired_scene(), scene_in("active")

    services.decline_hire(freelancer=waiting.freelancer, contract=waiting.contract)

    assert waiting.refresh().contract.status == S.DECLINED
    assert waiting.project.status == Project.Status.OPEN
    assert_refused(
        funded,
        django_capture_on_commit_callbacks,
        lambda: services.decline_hire(freelancer=funded.freelancer, contract=funded.contract),
        match="not possible",
    )


# --- Delivery ------------------------------------------------------------------------------------


def test_the_freelancer_delivers_a_message_and_files(django_capture_on_commit_callbacks):
    scene = scene_in("active")
    mail.outbox.clear()
    started = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.deliver(
            freelancer=scene.freelancer,
            contract=scene.contract,
            message=DELIVERY_MESSAGE,
            files=[clean_pdf("logo.pdf"), clean_pdf("guide.pdf")],
        )

    scene.refresh()
    assert scene.contract.status == S.DELIVERED
    assert started <= scene.contract.delivered_at <= timezone.now()
    assert delivery.message == DELIVERY_MESSAGE
    assert sorted(delivery.attachments.values_list("original_name", "kind")) == [
        ("guide.pdf", "pdf"),
        ("logo.pdf", "pdf"),
    ]
    assert delivery.attachments.first().file.read().startswith(b"%PDF-1.4")
    assert len(outbox_to(scene.client)) == 1
    assert escrow_of(scene.contract) == CONTRACT_AMOUNT  # nothing is paid before acceptance


def test_a_message_of_ten_characters_is_enough():
    scene = scene_in("active")

    services.deliver(freelancer=scene.freelancer, contract=scene.contract, message="  1234567890  ")

    assert scene.refresh().contract.status == S.DELIVERED


@pytest.mark.parametrize("message", ["", "123456789", "         قصير     "])
def test_a_delivery_needs_a_message_of_ten_characters(message, django_capture_on_commit_callbacks):
    scene = scene_in("active")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.deliver(freelancer=scene.freelancer, contract=scene.contract, message=message),
        match="at least 10 characters",
    )


def test_a_delivery_takes_at_most_the_allowed_number_of_files(django_capture_on_commit_callbacks):
    limit = settings.DELIVERY_MAX_ATTACHMENTS
    scene = scene_in("active")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.deliver(
            freelancer=scene.freelancer,
            contract=scene.contract,
            message=DELIVERY_MESSAGE,
            files=[clean_pdf(f"part-{number}.pdf") for number in range(limit + 1)],
        ),
        match=f"At most {limit} files",
    )
    delivery = services.deliver(
        freelancer=scene.freelancer,
        contract=scene.contract,
        message=DELIVERY_MESSAGE,
        files=[clean_pdf(f"part-{number}.pdf") for number in range(limit)],
    )
    assert delivery.attachments.count() == limit


@pytest.mark.parametrize("role", ["client", "other_bidder", "stranger", "staff"])
def test_only_the_freelancer_delivers(role, django_capture_on_commit_callbacks):
    scene = scene_in("active")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.deliver(
            freelancer=scene.person(role), contract=scene.contract, message=DELIVERY_MESSAGE
        ),
        match="not possible",
    )


@pytest.mark.parametrize("state", ["awaiting_funding", "delivered", "disputed", "completed", "cancelled"])
def test_delivery_only_while_the_contract_is_active(state, django_capture_on_commit_callbacks):
    scene = scene_in(state)

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.deliver(
            freelancer=scene.freelancer, contract=scene.contract, message=DELIVERY_MESSAGE
        ),
        match="not possible",
    )


# --- Acceptance ----------------------------------------------------------------------------------


def test_accepting_releases_the_escrow_less_commission(django_capture_on_commit_callbacks):
    scene = scene_in("delivered")
    mail.outbox.clear()
    started = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        services.accept_delivery(client=scene.client, contract=scene.contract)

    scene.refresh()
    assert scene.contract.status == S.COMPLETED
    assert started <= scene.contract.completed_at <= timezone.now()
    assert scene.project.status == Project.Status.COMPLETED
    assert balances(scene.freelancer) == {"available": 0, "pending": NET, "withdrawal_hold": 0, "escrow": 0}
    assert balances(scene.client) == {"available": 10_000, "pending": 0, "withdrawal_hold": 0, "escrow": 0}
    assert escrow_of(scene.contract) == 0
    assert platform_revenue() == COMMISSION
    earning = PendingEarning.objects.get()
    assert (earning.freelancer, earning.contract, earning.amount_cents, earning.clearance) == (
        scene.freelancer,
        scene.contract,
        NET,
        None,
    )
    clearance = datetime.timedelta(days=settings.CLEARANCE_DAYS)
    assert started + clearance <= earning.clears_at <= timezone.now() + clearance
    assert earning.release.kind == Transfer.Kind.RELEASE
    assert scene.contract.events.latest("id").action == "accept"
    assert len(outbox_to(scene.freelancer)) == 1
    assert ledger.audit().is_clean


@pytest.mark.parametrize(
    ("percent", "amount", "commission"),
    [
        (20, 40_000, 8_000),
        (20, 2_501, 500),  # 500.2 rounds down
        (20, 2_503, 501),  # 500.6 rounds up
        (15, 2_510, 377),  # 376.5: half a cent rounds up
        (15, 2_530, 380),  # 379.5: half a cent rounds up
        (15, 2_550, 383),  # 382.5
        (0, 5_000, 0),
    ],
)
def test_commission_is_a_percentage_rounded_half_up(settings, percent, amount, commission):
    settings.COMMISSION_PERCENT = percent
    scene = scene_in("delivered", amount_cents=amount, funds_cents=amount)

    accept(scene)

    assert commission_cents(amount) == commission
    assert platform_revenue() == commission
    assert balances(scene.freelancer)["pending"] == amount - commission
    assert escrow_of(scene.contract) == 0
    assert ledger.audit().is_clean


@pytest.mark.parametrize("role", ["freelancer", "other_bidder", "stranger", "staff"])
def test_only_the_client_accepts(role, django_capture_on_commit_callbacks):
    scene = scene_in("delivered")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.accept_delivery(client=scene.person(role), contract=scene.contract),
        match="not possible",
    )


@pytest.mark.parametrize("state", ["awaiting_funding", "active", "disputed", "completed", "cancelled"])
def test_there_is_nothing_to_accept_before_a_delivery(state, django_capture_on_commit_callbacks):
    scene = scene_in(state)

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.accept_delivery(client=scene.client, contract=scene.contract),
        match="not possible",
    )


# --- Changes -------------------------------------------------------------------------------------


def test_the_client_asks_for_changes_and_the_contract_goes_back_to_work(django_capture_on_commit_callbacks):
    scene = scene_in("delivered")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.request_changes(client=scene.client, contract=scene.contract, message=CHANGES_MESSAGE)

    scene.refresh()
    assert scene.contract.status == S.ACTIVE
    assert scene.contract.delivered_at is None
    event = scene.contract.events.latest("id")
    assert (event.action, event.actor, event.from_status, event.to_status, event.note) == (
        "request_changes",
        scene.client,
        S.DELIVERED,
        S.ACTIVE,
        CHANGES_MESSAGE,
    )
    told = outbox_to(scene.freelancer)
    assert len(told) == 1 and CHANGES_MESSAGE in told[0].body
    assert escrow_of(scene.contract) == CONTRACT_AMOUNT
    assert balances(scene.freelancer)["pending"] == 0


def test_after_changes_the_second_delivery_is_accepted_and_paid_once():
    scene = scene_in("delivered")
    services.request_changes(client=scene.client, contract=scene.contract, message=CHANGES_MESSAGE)

    accept(deliver(scene))

    assert scene.contract.status == S.COMPLETED
    assert scene.contract.deliveries.count() == 2
    assert balances(scene.freelancer)["pending"] == NET
    assert Transfer.objects.filter(kind=Transfer.Kind.RELEASE).count() == 1


@pytest.mark.parametrize("role", ["freelancer", "other_bidder", "stranger", "staff"])
def test_only_the_client_asks_for_changes(role, django_capture_on_commit_callbacks):
    scene = scene_in("delivered")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.request_changes(
            client=scene.person(role), contract=scene.contract, message=CHANGES_MESSAGE
        ),
        match="not possible",
    )


@pytest.mark.parametrize("message", ["", "   ", "قصير جدا"])
def test_a_request_for_changes_says_what_should_change(message, django_capture_on_commit_callbacks):
    scene = scene_in("delivered")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.request_changes(client=scene.client, contract=scene.contract, message=message),
        match="at least 10 characters",
    )


def test_changes_only_on_a_delivered_contract(django_capture_on_commit_callbacks):
    scene = scene_in("active")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.request_changes(
            client=scene.client, contract=scene.contract, message=CHANGES_MESSAGE
        ),
        match="not possible",
    )


# --- Cancellation by agreement -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "proposer_role", "answerer_role"),
    [
        ("active", "client", "freelancer"),
        ("active", "freelancer", "client"),
        ("delivered", "freelancer", "client"),
    ],
)
def test_a_cancellation_accepted_by_the_other_side_refunds_the_client(
    state, proposer_role, answerer_role, django_capture_on_commit_callbacks
):
    scene = scene_in(state)
    proposer, answerer = scene.person(proposer_role), scene.person(answerer_role)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.propose_cancellation(user=proposer, contract=scene.contract, reason=CANCEL_REASON)
    assert [message.to for message in mail.outbox] == [[answerer.email]]
    assert scene.refresh().contract.status == state  # a proposal alone changes nothing
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.answer_cancellation(user=answerer, contract=scene.contract, accept=True)

    scene.refresh()
    proposal.refresh_from_db()
    assert scene.contract.status == S.CANCELLED
    assert scene.project.status == Project.Status.CANCELLED
    assert (proposal.status, proposal.requested_by, proposal.reason) == (
        CancellationRequest.Status.ACCEPTED,
        proposer,
        CANCEL_REASON,
    )
    assert balances(scene.client) == {"available": 50_000, "pending": 0, "withdrawal_hold": 0, "escrow": 0}
    assert balances(scene.freelancer) == {"available": 0, "pending": 0, "withdrawal_hold": 0, "escrow": 0}
    assert escrow_of(scene.contract) == 0
    assert platform_revenue() == 0
    history = [
        (event.action, event.actor, event.note)
        for event in scene.contract.events.filter(action__in=["propose_cancel", "cancel"])
    ]
    assert history == [("propose_cancel", proposer, CANCEL_REASON), ("cancel", answerer, CANCEL_REASON)]
    assert [message.to for message in mail.outbox] == [[proposer.email]]
    assert ledger.audit().is_clean


def test_a_refused_cancellation_leaves_the_contract_running(django_capture_on_commit_callbacks):
    scene = scene_in("proposed_by_client")
    mail.outbox.clear()
    money_before = (balances(scene.client), balances(scene.freelancer), escrow_of(scene.contract))

    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.answer_cancellation(user=scene.freelancer, contract=scene.contract, accept=False)

    scene.refresh()
    assert scene.contract.status == S.ACTIVE
    assert scene.project.status == Project.Status.IN_PROGRESS
    assert proposal.status == CancellationRequest.Status.REFUSED
    assert (balances(scene.client), balances(scene.freelancer), escrow_of(scene.contract)) == money_before
    assert scene.contract.events.latest("id").action == "refuse_cancel"
    assert [message.to for message in mail.outbox] == [[scene.client.email]]
    # Once refused, either side may propose again.
    services.propose_cancellation(user=scene.freelancer, contract=scene.contract, reason=CANCEL_REASON)


@pytest.mark.parametrize("accept_it", [True, False])
def test_the_proposer_cannot_answer_their_own_proposal(accept_it, django_capture_on_commit_callbacks):
    scene = scene_in("proposed_by_client")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.answer_cancellation(user=scene.client, contract=scene.contract, accept=accept_it),
        match="other side must answer",
    )


@pytest.mark.parametrize("role", ["client", "freelancer"])
def test_only_one_proposal_waits_at_a_time(role, django_capture_on_commit_callbacks):
    scene = scene_in("proposed_by_client")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.propose_cancellation(
            user=scene.person(role), contract=scene.contract, reason=CANCEL_REASON
        ),
        match="already waiting",
    )


@pytest.mark.parametrize("accept_it", [True, False])
def test_there_must_be_a_proposal_to_answer(accept_it, django_capture_on_commit_callbacks):
    scene = scene_in("active")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.answer_cancellation(
            user=scene.freelancer, contract=scene.contract, accept=accept_it
        ),
        match="no cancellation waiting",
    )


@pytest.mark.parametrize("reason", ["", "لا أريد", "         "])
def test_a_proposal_to_cancel_gives_a_reason(reason, django_capture_on_commit_callbacks):
    scene = scene_in("active")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.propose_cancellation(user=scene.client, contract=scene.contract, reason=reason),
        match="at least 10 characters",
    )


@pytest.mark.parametrize("role", ["other_bidder", "stranger", "staff"])
def test_people_outside_the_contract_neither_propose_nor_answer(role, django_capture_on_commit_callbacks):
    scene = scene_in("proposed_by_client")
    outsider = scene.person(role)

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.answer_cancellation(user=outsider, contract=scene.contract, accept=True),
        match="not possible",
    )
    services.answer_cancellation(user=scene.freelancer, contract=scene.contract, accept=False)
    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.propose_cancellation(user=outsider, contract=scene.contract, reason=CANCEL_REASON),
        match="not possible",
    )


@pytest.mark.parametrize("state", ["awaiting_funding", "disputed", "completed", "cancelled"])
def test_cancellation_by_agreement_only_on_a_running_contract(state, django_capture_on_commit_callbacks):
    scene = scene_in(state)

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.propose_cancellation(
            user=scene.client, contract=scene.contract, reason=CANCEL_REASON
        ),
        match="not possible",
    )


@pytest.mark.parametrize("how", ["accept", "auto_accept"])
def test_completing_a_contract_closes_a_waiting_proposal_to_cancel(how):
    scene = scene_in("delivered")
    services.propose_cancellation(user=scene.freelancer, contract=scene.contract, reason=CANCEL_REASON)

    if how == "accept":
        accept(scene)
    else:
        services.auto_accept_overdue(
            now=timezone.now() + datetime.timedelta(days=settings.AUTO_ACCEPT_DAYS + 1)
        )

    assert scene.refresh().contract.status == S.COMPLETED
    assert not scene.contract.cancellations.filter(status=CancellationRequest.Status.PROPOSED).exists()


# --- Disputes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["active", "delivered", "proposed_by_freelancer"])
@pytest.mark.parametrize(("opener_role", "other_role"), [("client", "freelancer"), ("freelancer", "client")])
def test_either_side_opens_a_dispute_on_a_running_contract(
    state, opener_role, other_role, django_capture_on_commit_callbacks
):
    scene = scene_in(state)
    opener, other = scene.person(opener_role), scene.person(other_role)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        dispute = services.open_dispute(user=opener, contract=scene.contract, reason=DISPUTE_REASON)

    scene.refresh()
    assert scene.contract.status == S.DISPUTED
    assert (dispute.opened_by, dispute.reason, dispute.status) == (
        opener,
        DISPUTE_REASON,
        Dispute.Status.OPEN,
    )
    assert escrow_of(scene.contract) == CONTRACT_AMOUNT
    # A waiting proposal to cancel is closed: the moderator decides now.
    assert not scene.contract.cancellations.filter(status=CancellationRequest.Status.PROPOSED).exists()
    told = [message.to for message in mail.outbox]
    assert told == [[other.email]] and DISPUTE_REASON in mail.outbox[0].body


@pytest.mark.parametrize("reason", ["", "العمل سيئ جداً", "x" * 19])
def test_a_dispute_explains_the_problem_in_twenty_characters(reason, django_capture_on_commit_callbacks):
    scene = scene_in("delivered")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.open_dispute(user=scene.client, contract=scene.contract, reason=reason),
        match="at least 20 characters",
    )


@pytest.mark.parametrize("state", ["awaiting_funding", "disputed", "completed", "cancelled"])
def test_no_dispute_outside_a_running_contract(state, django_capture_on_commit_callbacks):
    scene = scene_in(state)

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.open_dispute(user=scene.freelancer, contract=scene.contract, reason=DISPUTE_REASON),
        match="not possible",
    )


@pytest.mark.parametrize("role", ["other_bidder", "stranger", "staff"])
def test_only_the_two_sides_open_a_dispute(role, django_capture_on_commit_callbacks):
    scene = scene_in("active")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.open_dispute(
            user=scene.person(role), contract=scene.contract, reason=DISPUTE_REASON
        ),
        match="not possible",
    )


@pytest.mark.parametrize(
    ("share", "contract_status", "project_status"),
    [
        (0, S.CANCELLED, Project.Status.CANCELLED),
        (1, S.COMPLETED, Project.Status.COMPLETED),
        (20_000, S.COMPLETED, Project.Status.COMPLETED),
        (CONTRACT_AMOUNT, S.COMPLETED, Project.Status.COMPLETED),
    ],
)
def test_the_moderator_decides_the_freelancers_share(
    share, contract_status, project_status, django_capture_on_commit_callbacks
):
    scene = scene_in("disputed")
    mail.outbox.clear()
    client_before = balances(scene.client)["available"]
    commission = commission_cents(share)

    with django_capture_on_commit_callbacks(execute=True):
        dispute = services.resolve_dispute(
            moderator=scene.staff, contract=scene.contract, freelancer_share_cents=share, decision=DECISION
        )

    scene.refresh()
    assert scene.contract.status == contract_status
    assert scene.project.status == project_status
    assert (dispute.status, dispute.freelancer_share_cents, dispute.decision, dispute.decided_by) == (
        Dispute.Status.DECIDED,
        share,
        DECISION,
        scene.staff,
    )
    assert balances(scene.freelancer)["pending"] == share - commission
    assert balances(scene.client)["available"] == client_before + CONTRACT_AMOUNT - share
    assert platform_revenue() == commission
    assert escrow_of(scene.contract) == 0
    assert PendingEarning.objects.filter(contract=scene.contract).exists() == (share - commission > 0)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [scene.client.email, scene.freelancer.email]
    )
    assert all(DECISION in message.body for message in mail.outbox)
    assert ledger.audit().is_clean


@pytest.mark.parametrize("share", [CONTRACT_AMOUNT + 1, 10_000_000])
def test_a_share_above_the_escrow_is_refused(share, django_capture_on_commit_callbacks):
    scene = scene_in("disputed")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.resolve_dispute(
            moderator=scene.staff, contract=scene.contract, freelancer_share_cents=share, decision=DECISION
        ),
        match="between",
    )


@pytest.mark.parametrize("role", ["client", "freelancer", "stranger"])
def test_only_a_moderator_decides_a_dispute(role, django_capture_on_commit_callbacks):
    scene = scene_in("disputed")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.resolve_dispute(
            moderator=scene.person(role), contract=scene.contract, freelancer_share_cents=0, decision=DECISION
        ),
        match="Only moderators",
    )


def test_a_decision_explains_itself_and_is_made_once(django_capture_on_commit_callbacks):
    scene = scene_in("disputed")

    def decide(decision):
        return lambda: services.resolve_dispute(
            moderator=scene.staff, contract=scene.contract, freelancer_share_cents=20_000, decision=decision
        )

    assert_refused(scene, django_capture_on_commit_callbacks, decide("قصير"), match="at least 10 characters")
    decide(DECISION)()
    assert_refused(scene, django_capture_on_commit_callbacks, decide(DECISION), match="not possible")


def test_no_decision_on_a_contract_without_a_dispute(django_capture_on_commit_callbacks):
    scene = scene_in("delivered")

    assert_refused(
        scene,
        django_capture_on_commit_callbacks,
        lambda: services.resolve_dispute(
            moderator=scene.staff, contract=scene.contract, freelancer_share_cents=0, decision=DECISION
        ),
        match="not possible",
    )

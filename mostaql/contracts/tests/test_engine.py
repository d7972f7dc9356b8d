"""One engine for every agreement: a hire paid in milestones, and a service order paid up front.

Each path asserts the money where a user would see it (balances) and a clean ledger audit.
"""

import datetime

import pytest
from django.utils import timezone

from mostaql.contracts import services
from mostaql.contracts.models import Contract, ContractEvent, Milestone
from mostaql.contracts.services import MilestoneTerms, NeedsFunds
from mostaql.core.exceptions import DomainError
from mostaql.projects.tests.factories import client_user, freelancer_user, open_project, place_offer
from mostaql.reports.services import suspend_account
from mostaql.wallet import ledger
from mostaql.wallet.services import balances
from mostaql.wallet.tests.factories import DELIVERY_MESSAGE, give_available_funds, ledger_snapshot

pytestmark = pytest.mark.django_db
S = Contract.Status
REQUIREMENTS = "الشعار لشركة قهوة، الألوان بني وذهبي."


def escrow(contract: Contract) -> int:
    return ledger.escrow_account(contract).balance_cents


def audit_is_clean() -> bool:
    return ledger.audit().is_clean


# --- Milestones -----------------------------------------------------------------------------------


def three_stage_hire(client=None):
    client = client or client_user()
    project = open_project(client)
    offer = place_offer(project, freelancer_user(), amount_cents=30_000, duration_days=21)
    terms = [
        MilestoneTerms("التصميم", 10_000, 7),
        MilestoneTerms("البرمجة", 15_000, 10),
        MilestoneTerms("الإطلاق", 5_000, 4),
    ]
    return services.hire(owner=client, project=project, offer=offer, milestones=terms)


def test_a_hire_in_three_milestones_is_funded_delivered_and_paid_stage_by_stage():
    contract = three_stage_hire()
    client, freelancer = contract.client, contract.freelancer
    give_available_funds(client, 30_000)

    services.fund_contract(client=client, contract=contract)
    assert escrow(contract) == 10_000 and balances(client)["available"] == 20_000
    services.deliver(freelancer=freelancer, contract=contract, message=DELIVERY_MESSAGE)
    services.accept_delivery(client=client, contract=contract)

    contract.refresh_from_db()
    assert contract.status == S.AWAITING_MILESTONE
    assert [m.status for m in contract.milestones.all()] == ["paid", "pending", "pending"]
    assert escrow(contract) == 0 and balances(freelancer)["pending"] == 8_000

    services.fund_contract(client=client, contract=contract)
    contract.refresh_from_db()
    assert contract.status == S.ACTIVE and contract.current_milestone.title == "البرمجة"
    services.deliver(freelancer=freelancer, contract=contract, message=DELIVERY_MESSAGE)
    services.accept_delivery(client=client, contract=contract)
    services.fund_contract(client=client, contract=contract)
    services.deliver(freelancer=freelancer, contract=contract, message=DELIVERY_MESSAGE)
    services.accept_delivery(client=client, contract=contract)

    contract.refresh_from_db()
    assert contract.status == S.COMPLETED and contract.completed_at is not None
    assert balances(freelancer)["pending"] == 24_000 and balances(client)["available"] == 0
    assert list(contract.events.values_list("action", flat=True)) == [
        "hire",
        "fund",
        "deliver",
        "accept_milestone",
        "fund",
        "deliver",
        "accept_milestone",
        "fund",
        "deliver",
        "accept",
    ]
    assert audit_is_clean()


def test_each_milestone_has_its_own_clock_and_its_own_earning():
    contract = three_stage_hire()
    give_available_funds(contract.client, 30_000)
    started = timezone.now()
    services.fund_contract(client=contract.client, contract=contract, now=started)

    contract.refresh_from_db()
    assert contract.due_at == started + datetime.timedelta(days=7)
    services.deliver(freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE)
    services.accept_delivery(client=contract.client, contract=contract)
    assert contract.freelancer.pending_earnings.count() == 1


def test_a_cancellation_between_milestones_refunds_nothing_and_keeps_what_was_paid():
    contract = three_stage_hire()
    give_available_funds(contract.client, 10_000)
    services.fund_contract(client=contract.client, contract=contract)
    services.deliver(freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE)
    services.accept_delivery(client=contract.client, contract=contract)

    services.propose_cancellation(user=contract.client, contract=contract, reason="تغيرت خطة المشروع.")
    services.answer_cancellation(user=contract.freelancer, contract=contract, accept=True)

    contract.refresh_from_db()
    assert contract.status == S.CANCELLED
    assert [m.status for m in contract.milestones.all()] == ["paid", "cancelled", "cancelled"]
    assert balances(contract.freelancer)["pending"] == 8_000 and escrow(contract) == 0
    assert audit_is_clean()


def test_a_dispute_splits_only_the_milestone_in_escrow():
    contract = three_stage_hire()
    give_available_funds(contract.client, 25_000)
    services.fund_contract(client=contract.client, contract=contract)
    services.deliver(freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE)
    services.accept_delivery(client=contract.client, contract=contract)
    services.fund_contract(client=contract.client, contract=contract)
    services.open_dispute(
        user=contract.client, contract=contract, reason="لم يصلني أي جزء من البرمجة المتفق عليها."
    )

    services.resolve_dispute(
        moderator=freelancer_user(name="مشرف", is_staff=True),
        contract=contract,
        freelancer_share_cents=5_000,
        decision="نصف المرحلة الثانية للمستقل.",
    )

    assert balances(contract.client)["available"] == 10_000
    assert balances(contract.freelancer)["pending"] == 8_000 + 4_000
    assert [m.status for m in contract.milestones.all()] == ["paid", "paid", "cancelled"]
    assert audit_is_clean()


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ([MilestoneTerms("أ", 10_000, 5), MilestoneTerms("ب", 10_000, 5)], "add up to"),
        ([MilestoneTerms(f"م{i}", 1_000, 2) for i in range(11)], "from 1 to 10"),
        ([MilestoneTerms("أ", 10_000, 5), MilestoneTerms("ب", 0, 5)], "above zero"),
        ([MilestoneTerms("أ", 20_000, 5), MilestoneTerms("ب", -10_000, 5)], "above zero"),
        ([], "from 1 to 10"),
    ],
)
def test_a_plan_of_milestones_that_breaks_a_rule_hires_nobody(terms, message, settings):
    settings.LANGUAGE_CODE = "en"
    client = client_user()
    project = open_project(client)
    offer = place_offer(project, freelancer_user(), amount_cents=10_000)

    with pytest.raises(DomainError, match=message):
        services.hire(owner=client, project=project, offer=offer, milestones=terms)
    assert not Contract.objects.exists()


def test_funding_a_milestone_twice_moves_the_money_once():
    contract = three_stage_hire()
    give_available_funds(contract.client, 30_000)
    services.fund_contract(client=contract.client, contract=contract)
    before = ledger_snapshot()

    with pytest.raises(DomainError):
        services.fund_contract(client=contract.client, contract=contract)
    assert ledger_snapshot() == before


# --- Service orders -------------------------------------------------------------------------------


def placed_order(amount_cents=2_500, days=3, buyer=None):
    buyer = buyer or client_user()
    give_available_funds(buyer, amount_cents)
    return services.start_order(
        buyer=buyer,
        seller=freelancer_user(),
        title="تصميم شعار احترافي",
        amount_cents=amount_cents,
        days=days,
    )


def test_an_order_is_paid_into_escrow_in_one_transfer_and_waits_for_requirements():
    order = placed_order()

    assert order.status == S.AWAITING_REQUIREMENTS and order.is_order
    assert escrow(order) == 2_500 and balances(order.client)["available"] == 0
    assert order.transfers.count() == 1
    assert order.milestones.get().status == Milestone.Status.FUNDED
    assert order.due_at is None  # the clock has not started
    assert audit_is_clean()


def test_an_order_short_of_money_writes_nothing_and_says_the_shortfall():
    buyer = client_user()
    give_available_funds(buyer, 1_000)
    before = ledger_snapshot()

    with pytest.raises(NeedsFunds) as short:
        services.start_order(buyer=buyer, seller=freelancer_user(), title="خدمة", amount_cents=2_500, days=2)

    assert short.value.shortfall_cents == 1_500
    assert ledger_snapshot() == before and not Contract.objects.exists()


def test_nobody_orders_from_themselves():
    person = freelancer_user()
    give_available_funds(person, 2_500)
    with pytest.raises(DomainError):
        services.start_order(buyer=person, seller=person, title="خدمة", amount_cents=2_500, days=2)
    assert not Contract.objects.exists()


def test_the_requirements_start_the_clock_and_the_order_completes_like_a_contract():
    order = placed_order()
    answered = timezone.now()

    with pytest.raises(DomainError):  # no delivery before the requirements
        services.deliver(freelancer=order.freelancer, contract=order, message=DELIVERY_MESSAGE)
    services.submit_requirements(client=order.client, contract=order, text=REQUIREMENTS, now=answered)
    with pytest.raises(DomainError):  # answered once
        services.submit_requirements(client=order.client, contract=order, text=REQUIREMENTS)

    order.refresh_from_db()
    assert order.status == S.ACTIVE and order.due_at == answered + datetime.timedelta(days=3)
    assert order.requirements.text == REQUIREMENTS
    services.deliver(freelancer=order.freelancer, contract=order, message=DELIVERY_MESSAGE)
    services.accept_delivery(client=order.client, contract=order)

    order.refresh_from_db()
    assert order.status == S.COMPLETED
    assert balances(order.freelancer)["pending"] == 2_000
    assert audit_is_clean()


def test_a_seller_who_declines_refunds_the_buyer_at_once():
    order = placed_order()

    services.decline_order(freelancer=order.freelancer, contract=order, reason="لا أستطيع البدء هذا الأسبوع.")

    order.refresh_from_db()
    assert order.status == S.DECLINED
    assert balances(order.client)["available"] == 2_500 and escrow(order) == 0
    assert audit_is_clean()


def test_a_late_order_may_be_cancelled_by_the_buyer_and_not_before():
    order = placed_order(days=2)
    answered = timezone.now()
    services.submit_requirements(client=order.client, contract=order, text=REQUIREMENTS, now=answered)
    before = ledger_snapshot()

    with pytest.raises(DomainError):
        services.cancel_late_order(
            client=order.client, contract=order, now=answered + datetime.timedelta(days=1)
        )
    assert ledger_snapshot() == before
    with pytest.raises(DomainError):  # the seller cannot use it
        services.cancel_late_order(
            client=order.freelancer, contract=order, now=answered + datetime.timedelta(days=3)
        )

    services.cancel_late_order(
        client=order.client, contract=order, now=answered + datetime.timedelta(days=2, hours=1)
    )

    order.refresh_from_db()
    assert order.status == S.CANCELLED and balances(order.client)["available"] == 2_500
    assert audit_is_clean()


def test_an_order_delivered_and_left_unanswered_completes_after_three_days_a_hire_after_fourteen():
    order = placed_order()
    services.submit_requirements(client=order.client, contract=order, text=REQUIREMENTS)
    services.deliver(freelancer=order.freelancer, contract=order, message=DELIVERY_MESSAGE)
    contract = three_stage_hire()
    give_available_funds(contract.client, 10_000)
    services.fund_contract(client=contract.client, contract=contract)
    services.deliver(freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE)

    assert services.auto_accept_overdue(now=timezone.now() + datetime.timedelta(days=2)) == 0
    assert services.auto_accept_overdue(now=timezone.now() + datetime.timedelta(days=3, minutes=1)) == 1
    assert services.auto_accept_overdue(now=timezone.now() + datetime.timedelta(days=3, minutes=1)) == 0

    order.refresh_from_db()
    contract.refresh_from_db()
    assert order.status == S.COMPLETED and contract.status == S.DELIVERED
    assert services.auto_accept_overdue(now=timezone.now() + datetime.timedelta(days=14, minutes=1)) == 1
    contract.refresh_from_db()
    assert contract.status == S.AWAITING_MILESTONE  # the first of three stages, accepted by the sweep
    assert ContractEvent.objects.filter(action="auto_accept_milestone").count() == 1
    assert audit_is_clean()


def test_the_order_moves_are_offered_to_the_right_side_only():
    order = placed_order()

    assert services.states.offered_actions(order, order.client) >= {"submit_requirements"}
    assert "decline_order" in services.states.offered_actions(order, order.freelancer)
    assert "fund" not in services.states.offered_actions(order, order.client)


def test_a_suspension_ends_a_contract_between_milestones_and_disputes_a_paid_order():
    contract = three_stage_hire()
    give_available_funds(contract.client, 10_000)
    services.fund_contract(client=contract.client, contract=contract)
    services.deliver(freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE)
    services.accept_delivery(client=contract.client, contract=contract)
    order = placed_order(buyer=contract.client)
    moderator = freelancer_user(name="مشرف", is_staff=True)

    suspend_account(staff=moderator, user=contract.client, reason="احتيال متكرر على المستقلين.")

    contract.refresh_from_db()
    order.refresh_from_db()
    assert contract.status == S.CANCELLED
    assert [m.status for m in contract.milestones.all()] == ["paid", "cancelled", "cancelled"]
    assert order.status == S.DISPUTED and escrow(order) == 2_500
    assert audit_is_clean()

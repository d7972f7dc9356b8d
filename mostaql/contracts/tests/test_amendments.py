"""Issue 13: milestones proposed in offers, milestone changes, extensions, bonuses and direct contracts.

Every refusal asserts that nothing was written and no money moved, with a clean ledger audit.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone, translation

from mostaql.api.tests.support import ApiClient, assert_error
from mostaql.contracts import services
from mostaql.contracts.models import Bonus, Contract, Extension, Milestone, MilestoneChange
from mostaql.contracts.tests.amendment_rows import (
    EXTENSION_REASON,
    PLAN,
    first_milestone_delivered,
    rehire_proposed,
    staged_contract,
)
from mostaql.core.exceptions import DomainError
from mostaql.core.milestones import MilestoneTerms
from mostaql.core.money import net_after_commission_cents
from mostaql.notifications.models import Notification
from mostaql.projects.models import Offer, OfferMilestone
from mostaql.projects.tests.factories import client_user, freelancer_user, open_project, place_offer
from mostaql.reviews.models import Reputation
from mostaql.wallet import ledger
from mostaql.wallet.models import PendingEarning, Transfer
from mostaql.wallet.services import balances
from mostaql.wallet.tests.factories import (
    DELIVERY_MESSAGE,
    clear_everything_due,
    completed_contract,
    funded_contract,
    give_available_funds,
    hired_contract,
    ledger_snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The refusals are matched on their English message ids (the site's default language is Arabic)."""
    with translation.override("en"):
        yield


S = Contract.Status


@pytest.fixture(autouse=True)
def _sandbox(settings):
    settings.SANDBOX_GATEWAY_ENABLED = True
    settings.OFFERS_PER_MONTH = 1_000


def unchanged(before: dict) -> bool:
    return ledger_snapshot() == before and ledger.audit().is_clean


# --- Milestones in offers -------------------------------------------------------------------------


def test_an_offer_in_three_milestones_becomes_a_contract_in_three_milestones():
    contract = staged_contract()

    assert [(m.position, m.title, m.amount_cents, m.days, m.status) for m in contract.milestones.all()] == [
        (1, "التصميم", 10_000, 7, "pending"),
        (2, "البرمجة", 15_000, 10, "pending"),
        (3, "الإطلاق", 5_000, 4, "pending"),
    ]
    assert contract.amount_cents == 30_000 and contract.duration_days == 21
    assert contract.offer.duration_days == 21  # the offer's duration is the sum of its milestones


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ([MilestoneTerms("أ", 10_000, 5), MilestoneTerms("ب", 10_000, 5)], "add up to"),
        ([MilestoneTerms(f"م{i}", 1_000, 2) for i in range(11)], "from 1 to 10"),
        ([MilestoneTerms("أ", 30_000, 5), MilestoneTerms("ب", 0, 5)], "above zero"),
        ([MilestoneTerms("أ", 40_000, 5), MilestoneTerms("ب", -10_000, 5)], "above zero"),
        ([MilestoneTerms(" ", 30_000, 5)], "title"),
        ([MilestoneTerms("أ", 30_000, 0)], "365 days"),
    ],
)
def test_an_offer_whose_milestones_break_a_rule_is_refused_and_nothing_is_written(terms, message):
    project = open_project()
    freelancer = freelancer_user()
    total = 30_000 if len(terms) != 11 else 11_000

    with pytest.raises(DomainError, match=message) as refused:
        place_offer(project, freelancer, amount_cents=total, milestones=terms)

    assert refused.value.field == "milestones"
    assert not Offer.objects.exists() and not OfferMilestone.objects.exists()


def test_editing_the_amount_of_an_offer_in_milestones_must_keep_the_sum():
    project = open_project()
    offer = place_offer(project, amount_cents=30_000, milestones=PLAN)

    with pytest.raises(DomainError, match="add up to"):
        services.project_services.edit_offer(
            freelancer=offer.freelancer, offer=offer, amount_cents=31_000, duration_days=21, text=offer.text
        )
    offer.refresh_from_db()
    assert offer.amount_cents == 30_000 and offer.milestones.count() == 3


def test_the_offer_form_takes_milestone_rows_without_javascript(client):
    project = open_project()
    freelancer = freelancer_user()
    client.force_login(freelancer)
    rows = {
        "m1_title": "التصميم",
        "m1_amount": "100",
        "m1_days": "7",
        "m2_title": "البرمجة",
        "m2_amount": "١٥٠",  # Arabic digits, as people type them
        "m2_days": "10",
    }
    text = "سأبني الموقع على مرحلتين واضحتين، مع تسليم أولي للتصميم للمراجعة."

    response = client.post(
        f"/projects/{project.pk}/offers/",
        {"amount": "250", "duration_days": "30", "text": text, **rows},
    )

    assert response.status_code == 302, response.context and response.context["offer_form"].errors
    offer = Offer.objects.get()
    assert [(m.title, m.amount_cents, m.days) for m in offer.milestones.all()] == [
        ("التصميم", 10_000, 7),
        ("البرمجة", 15_000, 10),
    ]
    assert offer.duration_days == 17


def test_the_offer_form_refuses_rows_that_do_not_add_up(client):
    project = open_project()
    client.force_login(freelancer_user())
    text = "سأبني الموقع على مرحلتين واضحتين، مع تسليم أولي للتصميم للمراجعة."

    response = client.post(
        f"/projects/{project.pk}/offers/",
        {
            "amount": "250",
            "duration_days": "30",
            "text": text,
            "m1_title": "كل شيء",
            "m1_amount": "100",
            "m1_days": "7",
        },
    )

    assert response.status_code == 200
    assert "250" in str(response.context["offer_form"].non_field_errors())
    assert not Offer.objects.exists()


# --- Funding and accepting milestone by milestone --------------------------------------------------


def test_funding_a_milestone_twice_is_refused_and_moves_nothing():
    contract = staged_contract()
    give_available_funds(contract.client, 30_000)
    services.fund_contract(client=contract.client, contract=contract)
    before = ledger_snapshot()

    with pytest.raises(DomainError):
        services.fund_contract(client=contract.client, contract=contract)

    assert unchanged(before)
    assert [m.status for m in contract.milestones.all()] == ["funded", "pending", "pending"]


@pytest.mark.parametrize("stage", ["hired", "between milestones"])
def test_accepting_an_unfunded_milestone_is_refused_and_moves_nothing(stage):
    contract = staged_contract()
    give_available_funds(contract.client, 30_000)
    if stage == "between milestones":
        services.fund_contract(client=contract.client, contract=contract)
        services.deliver(freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE)
        services.accept_delivery(client=contract.client, contract=contract)
    before = ledger_snapshot()

    with pytest.raises(DomainError):
        services.accept_delivery(client=contract.client, contract=contract)

    assert unchanged(before)


def test_the_contract_page_lists_the_milestones_and_funds_the_next_one(client):
    contract = first_milestone_delivered()
    services.accept_delivery(client=contract.client, contract=contract)
    give_available_funds(contract.client, 15_000)
    client.force_login(contract.client)

    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    funded = client.post(f"/contracts/{contract.pk}/fund/")

    assert "البرمجة" in page and "الإطلاق" in page and "$150.00" in page
    assert funded.status_code == 302
    assert [m.status for m in contract.milestones.all()] == ["paid", "funded", "pending"]


def test_accepting_a_milestone_on_the_page_pays_it_and_waits_for_the_next(client):
    contract = first_milestone_delivered()
    client.force_login(contract.client)

    confirm = client.post(f"/contracts/{contract.pk}/accept_milestone/")
    accepted = client.post(f"/contracts/{contract.pk}/accept_milestone/", {"confirmed": "1"})

    assert confirm.status_code == 200 and "$100.00" in confirm.content.decode()
    assert accepted.status_code == 302
    contract.refresh_from_db()
    assert contract.status == S.AWAITING_MILESTONE
    assert balances(contract.freelancer)["pending"] == net_after_commission_cents(10_000)


def test_a_short_balance_for_the_next_milestone_goes_through_the_deposit(client):
    contract = first_milestone_delivered()
    services.accept_delivery(client=contract.client, contract=contract)
    client.force_login(contract.client)

    response = client.post(f"/contracts/{contract.pk}/fund/")

    assert response.status_code == 302 and response.url.startswith("/wallet/deposit/")
    assert "amount=150.00" in response.url and f"fund={contract.pk}" in response.url


# --- Milestone changes ----------------------------------------------------------------------------


def test_a_milestone_added_by_agreement_joins_the_plan_and_the_sums():
    contract = staged_contract()
    change = services.propose_milestone_change(
        user=contract.freelancer, contract=contract, terms=MilestoneTerms("الصيانة", 3_000, 5)
    )
    assert Notification.objects.filter(user=contract.client, kind="milestone_change_proposed").exists()

    services.answer_milestone_change(user=contract.client, contract=contract, accept=True)

    contract.refresh_from_db()
    change.refresh_from_db()
    assert change.status == MilestoneChange.Status.ACCEPTED
    assert [m.title for m in contract.milestones.all()][-1] == "الصيانة"
    assert contract.amount_cents == 33_000 and contract.duration_days == 26
    assert Notification.objects.filter(user=contract.freelancer, kind="milestone_change_answered").exists()
    assert list(contract.events.values_list("action", flat=True))[-2:] == [
        "propose_milestone_change",
        "accept_milestone_change",
    ]


def test_a_pending_milestone_changes_by_agreement_and_a_refusal_changes_nothing():
    contract = staged_contract()
    third = contract.milestones.get(position=3)
    services.propose_milestone_change(
        user=contract.client, contract=contract, milestone=third, terms=MilestoneTerms("الإطلاق", 7_000, 6)
    )
    services.answer_milestone_change(user=contract.freelancer, contract=contract, accept=False)
    third.refresh_from_db()
    assert (third.amount_cents, third.days) == (5_000, 4)

    services.propose_milestone_change(
        user=contract.client, contract=contract, milestone=third, terms=MilestoneTerms("الإطلاق", 7_000, 6)
    )
    services.answer_milestone_change(user=contract.freelancer, contract=contract, accept=True)

    third.refresh_from_db()
    contract.refresh_from_db()
    assert (third.amount_cents, third.days) == (7_000, 6)
    assert contract.amount_cents == 32_000 and contract.duration_days == 23


def test_milestone_change_refusals():
    contract = staged_contract()
    give_available_funds(contract.client, 10_000)
    services.fund_contract(client=contract.client, contract=contract)
    first = contract.milestones.get(position=1)
    before = ledger_snapshot()

    with pytest.raises(DomainError, match="not funded yet"):
        services.propose_milestone_change(
            user=contract.client, contract=contract, milestone=first, terms=MilestoneTerms("أ", 1_000, 1)
        )
    with pytest.raises(DomainError, match="above zero"):
        services.propose_milestone_change(
            user=contract.client, contract=contract, terms=MilestoneTerms("أ", 0, 1)
        )
    with pytest.raises(DomainError, match="This milestone is not part"):
        other = staged_contract().milestones.get(position=2)
        services.propose_milestone_change(
            user=contract.client, contract=contract, milestone=other, terms=MilestoneTerms("أ", 1_000, 1)
        )
    services.propose_milestone_change(
        user=contract.client, contract=contract, terms=MilestoneTerms("أ", 1_000, 1)
    )
    with pytest.raises(DomainError, match="already waiting"):
        services.propose_milestone_change(
            user=contract.freelancer, contract=contract, terms=MilestoneTerms("ب", 1_000, 1)
        )
    with pytest.raises(DomainError, match="other side"):
        services.answer_milestone_change(user=contract.client, contract=contract, accept=True)
    stranger = client_user()
    with pytest.raises(DomainError):
        services.answer_milestone_change(user=stranger, contract=contract, accept=True)

    assert contract.milestones.count() == 3 and unchanged(before)


def test_an_eleventh_milestone_is_refused():
    terms = [MilestoneTerms(f"م{i}", 1_000, 1) for i in range(10)]
    contract = staged_contract(terms=terms)

    with pytest.raises(DomainError, match="from 1 to 10"):
        services.propose_milestone_change(
            user=contract.client, contract=contract, terms=MilestoneTerms("الحادية عشرة", 1_000, 1)
        )

    assert not MilestoneChange.objects.exists()


def test_a_change_to_a_milestone_funded_meanwhile_is_refused_on_acceptance():
    contract = staged_contract(terms=PLAN[:1])
    services.propose_milestone_change(
        user=contract.freelancer,
        contract=contract,
        milestone=contract.milestones.get(),
        terms=MilestoneTerms("التصميم", 20_000, 7),
    )
    give_available_funds(contract.client, 10_000)
    services.fund_contract(client=contract.client, contract=contract)
    before = ledger_snapshot()

    with pytest.raises(DomainError, match="funded meanwhile"):
        services.answer_milestone_change(user=contract.client, contract=contract, accept=True)

    assert contract.milestones.get().amount_cents == 10_000 and unchanged(before)


# --- Extensions -----------------------------------------------------------------------------------


def test_an_agreed_extension_moves_the_due_date_and_keeps_a_late_delivery_on_time():
    start = timezone.now() - datetime.timedelta(days=10)
    contract = hired_contract()
    give_available_funds(contract.client, 10_000)
    services.fund_contract(client=contract.client, contract=contract, now=start)  # 7 days: due 3 days ago
    services.propose_extension(user=contract.freelancer, contract=contract, days=5, reason=EXTENSION_REASON)
    assert Notification.objects.filter(user=contract.client, kind="extension_proposed").exists()

    services.answer_extension(user=contract.client, contract=contract, accept=True)
    services.deliver(freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE)

    milestone = contract.milestones.get()
    assert milestone.extra_days == 5
    assert milestone.due_at == start + datetime.timedelta(days=12)
    assert Reputation.objects.get(user=contract.freelancer).freelancer_on_time_count == 1
    actions = list(contract.events.values_list("action", flat=True))
    assert "propose_extension" in actions and "accept_extension" in actions


def test_without_the_extension_the_same_delivery_is_late():
    start = timezone.now() - datetime.timedelta(days=10)
    contract = hired_contract()
    give_available_funds(contract.client, 10_000)
    services.fund_contract(client=contract.client, contract=contract, now=start)
    services.propose_extension(user=contract.freelancer, contract=contract, days=5, reason=EXTENSION_REASON)
    services.answer_extension(user=contract.client, contract=contract, accept=False)

    services.deliver(freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE)

    assert contract.milestones.get().extra_days == 0
    assert Reputation.objects.get(user=contract.freelancer).freelancer_on_time_count == 0


def test_extension_refusals():
    contract = hired_contract()
    with pytest.raises(DomainError):  # not funded: no clock runs yet
        services.propose_extension(
            user=contract.freelancer, contract=contract, days=5, reason=EXTENSION_REASON
        )
    contract = funded_contract()
    with pytest.raises(DomainError, match="90"):
        services.propose_extension(
            user=contract.freelancer, contract=contract, days=0, reason=EXTENSION_REASON
        )
    with pytest.raises(DomainError, match="10 characters"):
        services.propose_extension(user=contract.freelancer, contract=contract, days=3, reason="قريبًا")
    services.propose_extension(user=contract.freelancer, contract=contract, days=3, reason=EXTENSION_REASON)
    with pytest.raises(DomainError, match="other side"):
        services.answer_extension(user=contract.freelancer, contract=contract, accept=True)

    assert Extension.objects.count() == 1 and contract.milestones.get().extra_days == 0


# --- Bonuses --------------------------------------------------------------------------------------


def test_a_bonus_reaches_the_freelancer_less_commission_and_clears():
    contract = completed_contract()
    give_available_funds(contract.client, 5_000)
    pending_before = balances(contract.freelancer)["pending"]

    bonus = services.pay_bonus(client=contract.client, contract=contract, amount_cents=5_000, note="عمل رائع")

    assert balances(contract.client)["available"] == 0
    assert balances(contract.freelancer)["pending"] == pending_before + net_after_commission_cents(5_000)
    assert Transfer.objects.filter(idempotency_key=f"bonus:{bonus.pk}", kind=Transfer.Kind.BONUS).exists()
    assert PendingEarning.objects.filter(amount_cents=net_after_commission_cents(5_000)).exists()
    assert contract.events.filter(action="pay_bonus").exists()
    assert Notification.objects.filter(user=contract.freelancer, kind="bonus_paid").exists()
    clear_everything_due()
    assert balances(contract.freelancer)["pending"] == 0
    assert ledger.audit().is_clean


@pytest.mark.parametrize(
    ("who", "amount", "message"),
    [
        ("client", 5_001, "not enough"),
        ("client", 0, "above zero"),
        ("client", -100, "above zero"),
        ("freelancer", 1_000, "Only the client"),
    ],
)
def test_a_bonus_over_the_balance_at_or_below_zero_or_to_oneself_is_refused(who, amount, message):
    contract = funded_contract()
    give_available_funds(contract.client, 5_000)
    give_available_funds(contract.freelancer, 5_000)
    before = ledger_snapshot()

    with pytest.raises(DomainError, match=message):
        services.pay_bonus(client=getattr(contract, who), contract=contract, amount_cents=amount)

    assert not Bonus.objects.exists() and unchanged(before)
    assert not contract.events.filter(action="pay_bonus").exists()


def test_no_bonus_before_the_contract_is_funded():
    contract = hired_contract()
    give_available_funds(contract.client, 5_000)
    before = ledger_snapshot()

    with pytest.raises(DomainError):
        services.pay_bonus(client=contract.client, contract=contract, amount_cents=1_000)

    assert not Bonus.objects.exists() and unchanged(before)


def test_the_bonus_form_on_the_contract_page(client):
    contract = funded_contract()
    give_available_funds(contract.client, 5_000)
    client.force_login(contract.client)

    refused = client.post(f"/contracts/{contract.pk}/pay_bonus/", {"amount": "60", "note": ""})
    paid = client.post(f"/contracts/{contract.pk}/pay_bonus/", {"amount": "20", "note": "شكرًا"})

    assert refused.status_code == 200 and refused.context["bonus_form"].errors
    assert paid.status_code == 302
    assert Bonus.objects.get().amount_cents == 2_000
    assert "$20.00" in client.get(f"/contracts/{contract.pk}/").content.decode()


def test_the_freelancer_and_strangers_cannot_pay_a_bonus_from_the_page(client):
    contract = funded_contract()
    give_available_funds(contract.freelancer, 5_000)
    client.force_login(contract.freelancer)
    assert client.post(f"/contracts/{contract.pk}/pay_bonus/", {"amount": "20"}).status_code == 200
    client.force_login(client_user())
    assert client.post(f"/contracts/{contract.pk}/pay_bonus/", {"amount": "20"}).status_code == 404
    assert not Bonus.objects.exists()


# --- Direct contracts (rehire) --------------------------------------------------------------------


def test_a_direct_contract_is_accepted_funded_and_run_like_any_contract():
    contract = rehire_proposed()
    assert contract.status == S.PROPOSED and contract.origin == Contract.Origin.REHIRE
    assert contract.project is None and contract.amount_cents == 25_000
    assert Notification.objects.filter(user=contract.freelancer, kind="rehire_offered").exists()

    services.accept_rehire(freelancer=contract.freelancer, contract=contract)
    give_available_funds(contract.client, 10_000)
    services.fund_contract(client=contract.client, contract=contract)
    services.deliver(freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE)
    services.accept_delivery(client=contract.client, contract=contract)

    contract.refresh_from_db()
    assert contract.status == S.AWAITING_MILESTONE
    assert Notification.objects.filter(user=contract.client, kind="rehire_accepted").exists()
    assert ledger.audit().is_clean


def test_a_direct_contract_declined_ends_with_nothing_moved():
    contract = rehire_proposed()

    services.decline_hire(freelancer=contract.freelancer, contract=contract, reason="لا وقت لدي")

    contract.refresh_from_db()
    assert contract.status == S.DECLINED
    assert set(contract.milestones.values_list("status", flat=True)) == {Milestone.Status.CANCELLED}


def test_a_direct_contract_to_oneself_or_without_milestones_is_refused():
    person = client_user()
    with pytest.raises(DomainError, match="yourself"):
        services.offer_rehire(
            client=person, freelancer=person, title="عقد لنفسي", description="", milestones=PLAN
        )
    with pytest.raises(DomainError, match="from 1 to 10"):
        services.offer_rehire(
            client=person, freelancer=freelancer_user(), title="عقد بلا مراحل", description="", milestones=[]
        )
    assert not Contract.objects.exists()


def test_the_client_rehires_from_a_completed_contract(client):
    earlier = completed_contract()
    client.force_login(earlier.client)
    page = client.get(f"/contracts/{earlier.pk}/").content.decode()
    form = client.get(f"/contracts/direct/{earlier.freelancer_id}/?from={earlier.pk}")

    response = client.post(
        f"/contracts/direct/{earlier.freelancer_id}/",
        {
            "title": "المرحلة الثانية من المتجر",
            "description": "",
            "m1_title": "التصميم",
            "m1_amount": "80",
            "m1_days": "5",
        },
    )

    assert f"/contracts/direct/{earlier.freelancer_id}/" in page
    assert form.context["form"].initial["title"] == earlier.title
    rehire = Contract.objects.get(origin=Contract.Origin.REHIRE)
    assert response.url == f"/contracts/{rehire.pk}/"
    assert rehire.amount_cents == 8_000 and rehire.status == S.PROPOSED
    freelancer = Client()
    freelancer.force_login(earlier.freelancer)
    assert "accept_rehire" in freelancer.get(f"/contracts/{rehire.pk}/").content.decode()
    freelancer.post(f"/contracts/{rehire.pk}/accept_rehire/")
    rehire.refresh_from_db()
    assert rehire.status == S.AWAITING_FUNDING


def test_a_direct_contract_for_oneself_or_an_inactive_account_is_a_404(client):
    person = client_user()
    inactive = freelancer_user()
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    client.force_login(person)

    assert client.get(f"/contracts/direct/{person.pk}/").status_code == 404
    assert client.get(f"/contracts/direct/{inactive.pk}/").status_code == 404


# --- API -----------------------------------------------------------------------------------------


def test_a_bonus_by_api_needs_an_idempotency_key_and_pays_once_per_key():
    contract = funded_contract()
    give_available_funds(contract.client, 5_000)
    api = ApiClient(contract.client)
    path = f"/api/v1/contracts/{contract.pk}/pay_bonus/"

    assert_error(api.post(path, {"amount_cents": 1_000}), 400, "idempotency_key_required")
    first = api.post(path, {"amount_cents": 1_000}, idempotency_key="bonus-1")
    again = api.post(path, {"amount_cents": 1_000}, idempotency_key="bonus-1")
    short = api.post(path, {"amount_cents": 4_001}, idempotency_key="bonus-2")

    assert first.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert [b["amount_cents"] for b in first.json()["bonuses"]] == [1_000]
    assert_error(short, 409, "insufficient_funds")
    assert Bonus.objects.count() == 1 and balances(contract.client)["available"] == 4_000


def test_milestones_by_api_from_the_offer_to_the_change():
    project = open_project()
    freelancer = freelancer_user()
    body = {
        "amount_cents": 30_000,
        "duration_days": 21,
        "text": "سأبني الموقع على ثلاث مراحل واضحة، مع تسليم أولي للتصميم.",
        "milestones": [{"title": t.title, "amount_cents": t.amount_cents, "days": t.days} for t in PLAN],
    }

    too_many = ApiClient(freelancer).post(
        f"/api/v1/projects/{project.pk}/offers/",
        {**body, "milestones": [{"title": "م", "amount_cents": 1_000, "days": 1}] * 11},
    )
    wrong_sum = ApiClient(freelancer).post(
        f"/api/v1/projects/{project.pk}/offers/", {**body, "amount_cents": 31_000}
    )
    created = ApiClient(freelancer).post(f"/api/v1/projects/{project.pk}/offers/", body)

    assert_error(too_many, 422)
    assert_error(wrong_sum, 422)
    assert created.status_code == 201, created.content
    assert [m["amount_cents"] for m in created.json()["milestones"]] == [10_000, 15_000, 5_000]
    offer = Offer.objects.get()
    contract = services.hire(owner=project.owner, project=project, offer=offer)
    detail = ApiClient(project.owner).get(f"/api/v1/contracts/{contract.pk}/").json()
    assert [m["status"] for m in detail["milestones"]] == ["pending"] * 3
    assert detail["origin"] == "hire" and detail["project"]["id"] == project.pk

    third = contract.milestones.get(position=3)
    proposed = ApiClient(freelancer).post(
        f"/api/v1/contracts/{contract.pk}/propose_milestone_change/",
        {"milestone_id": third.pk, "title": "الإطلاق والدعم", "amount_cents": 8_000, "days": 6},
    )
    assert proposed.json()["milestone_change"]["milestone_id"] == third.pk
    accepted = ApiClient(project.owner).post(f"/api/v1/contracts/{contract.pk}/accept_milestone_change/")
    assert accepted.json()["amount_cents"] == 33_000


def test_a_direct_contract_by_api_has_no_project():
    client, freelancer = client_user(), freelancer_user()

    created = ApiClient(client).post(
        "/api/v1/contracts/",
        {
            "freelancer_id": freelancer.pk,
            "title": "تطبيق المتجر",
            "milestones": [{"title": "أ", "amount_cents": 5_000, "days": 3}],
        },
    )
    to_self = ApiClient(client).post(
        "/api/v1/contracts/",
        {
            "freelancer_id": client.pk,
            "title": "تطبيق المتجر",
            "milestones": [{"title": "أ", "amount_cents": 5_000, "days": 3}],
        },
    )

    assert created.status_code == 201 and created.json()["project"] is None
    assert created.json()["status"] == "proposed"
    assert_error(to_self, 409)
    listed = ApiClient(freelancer).get("/api/v1/contracts/").json()
    assert listed["results"][0]["origin"] == "rehire" if "results" in listed else True

"""Ending a hire before funding: the freelancer declines or the client withdraws; the project reopens."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import translation

from mostaql.contracts import services
from mostaql.contracts.models import Contract, ContractEvent
from mostaql.core.exceptions import DomainError
from mostaql.projects.models import Offer, Project
from mostaql.projects.tests.factories import (
    client_user,
    freelancer_user,
    hire,
    moderator,
    open_project,
    place_offer,
)
from mostaql.projects.tests.support import everything

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def hired():
    """A project with two offers, the first one hired: a contract waiting for funding."""
    project = open_project(client_user("سامي", email="client@example.com"), title="تطبيق لحجز المواعيد")
    chosen = place_offer(project, freelancer_user("ليلى", email="chosen@example.com"), amount_cents=40_000)
    other = place_offer(project, freelancer_user("خالد", email="other@example.com"), amount_cents=30_000)
    contract = hire(chosen)
    mail.outbox.clear()
    return contract, other


def test_the_contract_copies_the_offers_terms_and_records_the_hire(hired):
    contract, _other = hired

    assert contract.status == Contract.Status.AWAITING_FUNDING
    assert (contract.amount_cents, contract.duration_days) == (
        contract.offer.amount_cents,
        contract.offer.duration_days,
    )
    event = contract.events.get()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "hire",
        contract.client,
        "",
        Contract.Status.AWAITING_FUNDING,
    )


def test_the_freelancer_declines_and_the_project_opens_again(hired, django_capture_on_commit_callbacks):
    contract, other = hired

    with django_capture_on_commit_callbacks(execute=True):
        services.decline_hire(
            freelancer=contract.freelancer, contract=contract, reason="لدي التزام آخر هذا الشهر."
        )

    contract.refresh_from_db()
    assert contract.status == Contract.Status.DECLINED
    assert Project.objects.get(pk=contract.project_id).status == Project.Status.OPEN
    assert Offer.objects.get(pk=contract.offer_id).status == Offer.Status.DECLINED
    assert Offer.objects.get(pk=other.pk).status == Offer.Status.SUBMITTED
    event = contract.events.latest("id")
    assert (event.action, event.actor, event.from_status, event.to_status, event.note) == (
        "decline",
        contract.freelancer,
        Contract.Status.AWAITING_FUNDING,
        Contract.Status.DECLINED,
        "لدي التزام آخر هذا الشهر.",
    )
    to_client = [message for message in mail.outbox if message.to == ["client@example.com"]]
    assert len(to_client) == 1
    assert "تطبيق لحجز المواعيد" in to_client[0].subject
    assert "لدي التزام آخر هذا الشهر." in to_client[0].body
    assert not [message for message in mail.outbox if message.to == ["chosen@example.com"]]


def test_the_client_withdraws_the_hire_and_the_freelancer_is_told(hired, django_capture_on_commit_callbacks):
    contract, _other = hired

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_hire(client=contract.client, contract=contract, reason="تغيّرت خطتنا.")

    contract.refresh_from_db()
    assert contract.status == Contract.Status.WITHDRAWN
    assert Project.objects.get(pk=contract.project_id).status == Project.Status.OPEN
    assert Offer.objects.get(pk=contract.offer_id).status == Offer.Status.DECLINED
    to_freelancer = [message for message in mail.outbox if message.to == ["chosen@example.com"]]
    assert len(to_freelancer) == 1
    assert "تغيّرت خطتنا." in to_freelancer[0].body
    assert not [message for message in mail.outbox if message.to == ["client@example.com"]]


@pytest.mark.parametrize("side", ["client", "other bidder", "moderator"])
def test_only_the_hired_freelancer_declines(hired, side, django_capture_on_commit_callbacks):
    contract, other = hired
    person = {"client": contract.client, "other bidder": other.freelancer, "moderator": moderator()}[side]
    before = everything()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DomainError, match="hired freelancer"),
    ):
        services.decline_hire(freelancer=person, contract=contract)

    assert everything() == before


@pytest.mark.parametrize("side", ["freelancer", "other bidder", "moderator"])
def test_only_the_client_withdraws_a_hire(hired, side, django_capture_on_commit_callbacks):
    contract, other = hired
    person = {"freelancer": contract.freelancer, "other bidder": other.freelancer, "moderator": moderator()}[
        side
    ]
    before = everything()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError, match="client"):
        services.withdraw_hire(client=person, contract=contract)

    assert everything() == before


def test_a_hire_ends_only_once(hired, django_capture_on_commit_callbacks):
    contract, _other = hired
    services.decline_hire(freelancer=contract.freelancer, contract=contract)
    before = everything()

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(DomainError, match="not possible"):
            services.decline_hire(freelancer=contract.freelancer, contract=contract)
        with pytest.raises(DomainError, match="not possible"):
            services.withdraw_hire(client=contract.client, contract=contract)

    assert everything() == before


def test_after_a_decline_the_owner_hires_another_bidder(hired):
    contract, other = hired
    services.decline_hire(freelancer=contract.freelancer, contract=contract)

    second = services.hire(owner=contract.client, project=contract.project, offer=other)

    assert second.pk != contract.pk
    assert (second.freelancer, second.amount_cents, second.status) == (
        other.freelancer,
        30_000,
        Contract.Status.AWAITING_FUNDING,
    )
    assert Project.objects.get(pk=contract.project_id).status == Project.Status.HIRING
    assert Contract.objects.filter(project=contract.project).count() == 2


def test_after_a_withdrawal_the_project_takes_new_offers(hired):
    contract, _other = hired
    services.withdraw_hire(client=contract.client, contract=contract)

    newcomer = place_offer(Project.objects.get(pk=contract.project_id), freelancer_user("وافد جديد"))

    assert newcomer.status == Offer.Status.SUBMITTED


def test_the_declining_freelancer_cannot_be_hired_again_on_the_same_offer(hired):
    contract, _other = hired
    services.decline_hire(freelancer=contract.freelancer, contract=contract)
    before = everything()

    with pytest.raises(DomainError):
        services.hire(owner=contract.client, project=contract.project, offer=contract.offer)

    assert everything() == before


def test_the_database_refuses_a_second_live_contract_on_a_project(hired):
    contract, other = hired

    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.create(
            project=contract.project,
            offer=other,
            client=contract.client,
            freelancer=other.freelancer,
            amount_cents=other.amount_cents,
            duration_days=other.duration_days,
        )


def test_the_database_refuses_a_contract_with_oneself(hired):
    contract, _other = hired
    own = Offer.objects.create(
        project=contract.project,
        freelancer=contract.client,
        amount_cents=5_000,
        duration_days=3,
        text="x" * 30,
    )
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.DECLINED)

    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.create(
            project=contract.project,
            offer=own,
            client=contract.client,
            freelancer=contract.client,
            amount_cents=5_000,
            duration_days=3,
        )


def test_a_rolled_back_decline_sends_nothing(hired, django_capture_on_commit_callbacks):
    contract, _other = hired

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.decline_hire(freelancer=contract.freelancer, contract=contract)
        raise RuntimeError("something later in the same request failed")

    assert mail.outbox == []
    assert Contract.objects.get(pk=contract.pk).status == Contract.Status.AWAITING_FUNDING
    assert ContractEvent.objects.filter(contract=contract).count() == 1

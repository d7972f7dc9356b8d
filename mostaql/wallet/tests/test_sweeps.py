"""The sweeps: deliveries left unanswered are accepted, and earnings clear after the clearance period.

They run from Celery beat in production and from `manage.py sweep` by hand; time is moved by
editing delivered_at and clears_at, or by passing `now`.
"""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.contracts.tasks import sweep_contracts
from mostaql.core.money import commission_cents
from mostaql.projects.models import Project
from mostaql.wallet import ledger
from mostaql.wallet import services as wallet_services
from mostaql.wallet.models import PendingEarning, Transfer
from mostaql.wallet.tasks import sweep_wallet
from mostaql.wallet.tests.lifecycle_helpers import (
    CHANGES_MESSAGE,
    CONTRACT_AMOUNT,
    DISPUTE_REASON,
    balances,
    escrow_of,
    platform_revenue,
    scene_in,
    snapshot,
)

pytestmark = pytest.mark.django_db

S = Contract.Status
NET = CONTRACT_AMOUNT - commission_cents(CONTRACT_AMOUNT)


def days_ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def delivered_days_ago(days: float):
    scene = scene_in("delivered")
    Contract.objects.filter(pk=scene.contract.pk).update(delivered_at=days_ago(days))
    return scene.refresh()


def completed_with_earning_due_in(days: float):
    """A completed contract whose earning clears `days` from now (negative: already due)."""
    scene = scene_in("completed")
    PendingEarning.objects.filter(contract=scene.contract).update(clears_at=days_ago(-days))
    return scene


def sweep() -> str:
    output = io.StringIO()
    call_command("sweep", stdout=output)
    return output.getvalue().strip()


# --- Auto-acceptance -----------------------------------------------------------------------------


def test_a_delivery_left_unanswered_is_accepted_and_paid(settings, django_capture_on_commit_callbacks):
    scene = delivered_days_ago(settings.AUTO_ACCEPT_DAYS + 1)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        output = sweep()

    assert output == "1 deliveries accepted automatically, 0 earnings cleared, 0 reviews published."
    scene.refresh()
    assert (scene.contract.status, scene.project.status) == (S.COMPLETED, Project.Status.COMPLETED)
    assert scene.contract.completed_at is not None
    event = scene.contract.events.latest("id")
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "auto_accept",
        None,
        S.DELIVERED,
        S.COMPLETED,
    )
    assert balances(scene.freelancer)["pending"] == NET
    assert platform_revenue() == CONTRACT_AMOUNT - NET
    assert escrow_of(scene.contract) == 0
    assert PendingEarning.objects.get().amount_cents == NET
    # The freelancer is paid; the client, who did not answer, is told their escrow was released.
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [scene.freelancer.email, scene.client.email]
    )
    assert ledger.audit().is_clean


def test_a_younger_delivery_waits(settings):
    scene = delivered_days_ago(settings.AUTO_ACCEPT_DAYS - 1)
    before = snapshot(scene.client, scene.freelancer)

    assert sweep() == "0 deliveries accepted automatically, 0 earnings cleared, 0 reviews published."

    assert snapshot(scene.client, scene.freelancer) == before
    assert scene.refresh().contract.status == S.DELIVERED


def test_the_auto_accept_period_ends_exactly_after_the_set_days(settings):
    scene = scene_in("delivered")
    deadline = scene.contract.delivered_at + datetime.timedelta(days=settings.AUTO_ACCEPT_DAYS)

    assert contract_services.auto_accept_overdue(now=deadline - datetime.timedelta(seconds=1)) == 0
    assert scene.refresh().contract.status == S.DELIVERED
    assert contract_services.auto_accept_overdue(now=deadline) == 1
    assert scene.refresh().contract.status == S.COMPLETED


def test_the_period_follows_the_setting(settings):
    settings.AUTO_ACCEPT_DAYS = 3
    scene = delivered_days_ago(4)

    assert sweep_contracts.delay().get() == 1

    assert scene.refresh().contract.status == S.COMPLETED


def test_the_contract_sweep_runs_as_a_celery_task_and_twice_changes_nothing(settings):
    old = delivered_days_ago(settings.AUTO_ACCEPT_DAYS + 2)
    young = delivered_days_ago(1)

    assert sweep_contracts.delay().get() == 1
    after_first = snapshot(old.client, old.freelancer, young.client, young.freelancer)
    assert sweep_contracts.delay().get() == 0

    assert snapshot(old.client, old.freelancer, young.client, young.freelancer) == after_first
    assert old.refresh().contract.status == S.COMPLETED
    assert young.refresh().contract.status == S.DELIVERED
    assert Transfer.objects.filter(kind=Transfer.Kind.RELEASE).count() == 1


def test_a_request_for_changes_stops_the_clock(settings):
    scene = delivered_days_ago(settings.AUTO_ACCEPT_DAYS + 5)
    contract_services.request_changes(client=scene.client, contract=scene.contract, message=CHANGES_MESSAGE)
    before = snapshot(scene.client, scene.freelancer)

    assert contract_services.auto_accept_overdue(now=timezone.now() + datetime.timedelta(days=365)) == 0

    assert snapshot(scene.client, scene.freelancer) == before
    assert scene.refresh().contract.status == S.ACTIVE


def test_a_disputed_delivery_is_left_to_the_moderators(settings):
    scene = delivered_days_ago(settings.AUTO_ACCEPT_DAYS + 5)
    contract_services.open_dispute(user=scene.client, contract=scene.contract, reason=DISPUTE_REASON)
    before = snapshot(scene.client, scene.freelancer)

    assert sweep() == "0 deliveries accepted automatically, 0 earnings cleared, 0 reviews published."

    assert snapshot(scene.client, scene.freelancer) == before
    assert scene.refresh().contract.status == S.DISPUTED
    assert escrow_of(scene.contract) == CONTRACT_AMOUNT


# --- Clearance -----------------------------------------------------------------------------------


def test_earnings_clear_to_available_after_the_clearance_period(django_capture_on_commit_callbacks):
    scene = completed_with_earning_due_in(-1)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        output = sweep()

    assert output == "0 deliveries accepted automatically, 1 earnings cleared, 0 reviews published."
    assert balances(scene.freelancer) == {"available": NET, "pending": 0, "withdrawal_hold": 0, "escrow": 0}
    earning = PendingEarning.objects.get()
    assert earning.clearance.kind == Transfer.Kind.CLEAR
    assert [message.to for message in mail.outbox] == [[scene.freelancer.email]]
    assert "$320.00" in mail.outbox[0].subject + mail.outbox[0].body
    assert ledger.audit().is_clean


def test_earnings_not_yet_due_stay_pending():
    scene = completed_with_earning_due_in(1)
    before = snapshot(scene.client, scene.freelancer)

    assert sweep_wallet.delay().get() == 0

    assert snapshot(scene.client, scene.freelancer) == before
    assert balances(scene.freelancer)["pending"] == NET


def test_the_clearance_date_is_the_boundary(settings):
    scene = scene_in("completed")
    earning = PendingEarning.objects.get()
    assert earning.clears_at - scene.contract.completed_at < datetime.timedelta(
        days=settings.CLEARANCE_DAYS, seconds=1
    )

    assert wallet_services.clear_due_earnings(now=earning.clears_at - datetime.timedelta(seconds=1)) == 0
    assert balances(scene.freelancer)["available"] == 0
    assert wallet_services.clear_due_earnings(now=earning.clears_at) == 1
    assert balances(scene.freelancer)["available"] == NET


def test_the_wallet_sweep_runs_as_a_celery_task_and_twice_changes_nothing():
    due = completed_with_earning_due_in(-2)
    waiting = completed_with_earning_due_in(3)

    assert sweep_wallet.delay().get() == 1
    after_first = snapshot(due.freelancer, waiting.freelancer)
    assert sweep_wallet.delay().get() == 0

    assert snapshot(due.freelancer, waiting.freelancer) == after_first
    assert balances(due.freelancer)["available"] == NET
    assert balances(waiting.freelancer) == {"available": 0, "pending": NET, "withdrawal_hold": 0, "escrow": 0}
    assert Transfer.objects.filter(kind=Transfer.Kind.CLEAR).count() == 1


def test_a_dispute_share_clears_like_any_earning():
    scene = scene_in("disputed")
    contract_services.resolve_dispute(
        moderator=scene.staff,
        contract=scene.contract,
        freelancer_share_cents=10_000,
        decision="نُفّذ ربع العمل المطلوب فقط.",
    )

    cleared = wallet_services.clear_due_earnings(now=timezone.now() + datetime.timedelta(days=30))

    assert cleared == 1
    assert balances(scene.freelancer) == {"available": 8_000, "pending": 0, "withdrawal_hold": 0, "escrow": 0}


# --- Both sweeps, in order -----------------------------------------------------------------------


def test_the_sweep_command_accepts_then_clears_and_a_second_run_changes_nothing(settings):
    scene = delivered_days_ago(settings.AUTO_ACCEPT_DAYS + 1)

    assert sweep() == "1 deliveries accepted automatically, 0 earnings cleared, 0 reviews published."
    # The fresh earning clears only after its own period.
    assert balances(scene.freelancer)["pending"] == NET
    PendingEarning.objects.update(clears_at=days_ago(0.01))
    assert sweep() == "0 deliveries accepted automatically, 1 earnings cleared, 0 reviews published."
    after = snapshot(scene.client, scene.freelancer)

    assert sweep() == "0 deliveries accepted automatically, 0 earnings cleared, 0 reviews published."

    assert snapshot(scene.client, scene.freelancer) == after
    assert balances(scene.freelancer) == {"available": NET, "pending": 0, "withdrawal_hold": 0, "escrow": 0}
    assert ledger.audit().is_clean

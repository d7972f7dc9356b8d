"""Suspending an account: it cannot log in and its sessions end; its open and pending projects close
(each offer given back to its author's quota); hires waiting for funding end; active and delivered
contracts go to the moderators' dispute queue; the ledger stays balanced. Lifting restores the login."""

import io

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import PASSWORD
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract, Dispute
from mostaql.core.exceptions import DomainError
from mostaql.notifications.models import Notification
from mostaql.projects import services as project_services
from mostaql.projects.models import Offer, Project
from mostaql.projects.selectors import bidders
from mostaql.projects.tests.factories import (
    client_user,
    freelancer_user,
    moderator,
    place_offer,
    post_project,
)
from mostaql.reports import services
from mostaql.reports.models import ModerationEvent, Suspension
from mostaql.reports.tests.factories import LIFT_REASON, SUSPENSION_REASON, market, moderation_state
from mostaql.wallet.tests.lifecycle_helpers import ar, escrow_of, scene_in

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def suspend(user: User, staff: User | None = None) -> Suspension:
    return services.suspend_account(
        staff=staff or moderator("مشرف الإيقاف"), user=user, reason=SUSPENSION_REASON
    )


def is_active(user: User) -> bool:
    return User.objects.get(pk=user.pk).is_active


def audit_is_clean() -> str:
    out = io.StringIO()
    call_command("ledger_audit", stdout=out, stderr=io.StringIO())  # raises CommandError on any break
    return out.getvalue()


# --- Logging in ----------------------------------------------------------------------------------


def test_a_suspended_account_cannot_log_in_and_is_told_in_arabic(client):
    person = freelancer_user("ليلى المصممة")
    suspend(person)

    response = client.post(LOGIN, {"login": person.email, "password": PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("account_inactive")
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert 'lang="ar"' in page and 'dir="rtl"' in page
    told = ar("The moderators suspended this account, so it cannot log in until they lift the suspension.")
    assert "suspended" not in told  # the Arabic text, not the English one
    assert told in page
    assert client.get("/dashboard/").status_code == 302


def test_a_wrong_password_on_a_suspended_account_says_nothing_about_the_suspension(client):
    person = freelancer_user()
    suspend(person)

    response = client.post(LOGIN, {"login": person.email, "password": "not-the-passphrase-1"})

    assert response.status_code == 200
    assert reverse("account_inactive") not in response.get("Location", "")
    assert ar("Account suspended") not in response.content.decode()


def test_suspension_ends_the_sessions_already_open(client, django_capture_on_commit_callbacks):
    person = client_user()
    other = freelancer_user()
    client.force_login(person)
    assert client.get("/dashboard/").status_code == 200
    bystander = Client()
    bystander.force_login(other)

    with django_capture_on_commit_callbacks(execute=True):
        suspend(person)

    assert [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()] == [str(other.pk)]
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert bystander.get("/dashboard/").status_code == 200


def test_lifting_the_suspension_restores_the_login(client):
    person = freelancer_user()
    suspend(person)
    staff = moderator("مشرف آخر")

    suspension = services.unsuspend_account(staff=staff, user=person, reason=LIFT_REASON)

    assert (suspension.lifted_by, suspension.lift_reason, suspension.is_active) == (staff, LIFT_REASON, False)
    assert is_active(person)
    response = client.post(LOGIN, {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert client.session["_auth_user_id"] == str(person.pk)
    assert list(ModerationEvent.objects.values_list("action", "subject_id")) == [
        ("suspended", person.pk),
        ("unsuspended", person.pk),
    ]


def test_an_account_can_be_suspended_again_after_a_lift():
    person = freelancer_user()
    suspend(person)
    services.unsuspend_account(staff=moderator(), user=person, reason=LIFT_REASON)

    suspend(person)

    assert Suspension.objects.filter(user=person).count() == 2
    assert Suspension.objects.filter(user=person, lifted_at__isnull=True).count() == 1
    assert not is_active(person)


# --- What the suspension closes ------------------------------------------------------------------


def test_open_and_pending_projects_close_and_their_offers_go_back_to_the_quotas(settings):
    settings.PROJECT_AUTO_APPROVE = False
    scene = market()
    pending = post_project(scene.owner, title="مشروع ينتظر المراجعة")
    assert pending.status == Project.Status.PENDING_REVIEW
    quota = settings.OFFERS_PER_MONTH
    assert project_services.offers_left_this_month(scene.bidder) == quota - 1
    assert project_services.offers_left_this_month(scene.other_bidder) == quota - 1

    suspension = suspend(scene.owner)

    scene.project.refresh_from_db()
    pending.refresh_from_db()
    assert (scene.project.status, pending.status) == (Project.Status.CLOSED, Project.Status.CLOSED)
    assert set(Offer.objects.values_list("status", "is_returned_to_quota")) == {
        (Offer.Status.NOT_HIRED, True)
    }
    assert project_services.offers_left_this_month(scene.bidder) == quota
    assert project_services.offers_left_this_month(scene.other_bidder) == quota
    assert sorted(suspension.effects["closed_projects"]) == sorted([scene.project.pk, pending.pk])
    assert suspension.effects["disputed_contracts"] == suspension.effects["ended_hires"] == []


def test_a_finished_project_stays_as_it_was():
    scene = scene_in("completed")

    suspend(scene.client)

    scene.refresh()
    assert (scene.project.status, scene.contract.status) == (
        Project.Status.COMPLETED,
        Contract.Status.COMPLETED,
    )
    assert audit_is_clean()


def test_a_client_suspended_with_a_hire_waiting_for_funding_ends_the_hire_and_closes_the_project():
    scene = scene_in("awaiting_funding")
    other_offer = scene.other_offer

    suspension = suspend(scene.client)

    scene.refresh()
    other_offer.refresh_from_db()
    assert scene.contract.status == Contract.Status.WITHDRAWN
    assert scene.project.status == Project.Status.CLOSED
    assert (other_offer.status, other_offer.is_returned_to_quota) == (Offer.Status.NOT_HIRED, True)
    assert suspension.effects == {
        "ended_hires": [scene.contract.pk],
        "disputed_contracts": [],
        "closed_projects": [scene.project.pk],
    }
    assert Notification.objects.filter(user=scene.freelancer, kind="hire_withdrawn").exists()
    assert audit_is_clean()


def test_a_freelancer_suspended_before_funding_declines_the_hire_and_the_project_opens_again():
    scene = scene_in("awaiting_funding")

    suspension = suspend(scene.freelancer)

    scene.refresh()
    assert scene.contract.status == Contract.Status.DECLINED
    assert scene.project.status == Project.Status.OPEN
    assert suspension.effects["ended_hires"] == [scene.contract.pk]
    assert Notification.objects.filter(user=scene.client, kind="hire_declined").exists()


@pytest.mark.parametrize("state", ["active", "delivered", "proposed_by_client"])
@pytest.mark.parametrize("side", ["client", "freelancer"])
def test_a_running_contract_goes_to_the_dispute_queue_with_its_escrow_untouched(client, state, side):
    scene = scene_in(state)
    escrow = escrow_of(scene.contract)
    assert escrow > 0
    suspended, other = (
        (scene.client, scene.freelancer) if side == "client" else (scene.freelancer, scene.client)
    )

    suspension = suspend(suspended, staff=scene.staff)

    scene.refresh()
    assert scene.contract.status == Contract.Status.DISPUTED
    dispute = Dispute.objects.get(contract=scene.contract)
    assert dispute.status == Dispute.Status.OPEN
    assert scene.contract.cancellations.filter(status="proposed").count() == 0
    assert suspension.effects["disputed_contracts"] == [scene.contract.pk]
    assert escrow_of(scene.contract) == escrow
    assert Notification.objects.filter(user=other, kind="dispute_opened").exists()
    assert audit_is_clean()
    client.force_login(scene.staff)
    queue = client.get("/staff/disputes/")
    assert reverse("contracts:dispute_decide", args=[scene.contract.pk]) in queue.content.decode()


def test_the_dispute_of_a_suspended_account_can_be_decided_and_the_ledger_stays_balanced():
    scene = scene_in("delivered")
    suspend(scene.freelancer, staff=scene.staff)

    contract_services.resolve_dispute(
        moderator=scene.staff,
        contract=scene.contract,
        freelancer_share_cents=0,
        decision="أعيد المبلغ كاملاً إلى العميل بعد إيقاف حساب المستقل.",
    )

    scene.refresh()
    assert scene.contract.status == Contract.Status.CANCELLED
    assert escrow_of(scene.contract) == 0
    assert "clean" in audit_is_clean()


def test_a_suspended_freelancers_offers_leave_the_project_page():
    scene = market()

    suspend(scene.bidder)

    assert list(bidders(scene.project)) == [scene.other_offer]


def test_everything_a_suspension_did_is_undone_together_when_it_fails(monkeypatch):
    """One transaction: a failure half-way leaves the account active and every project as it was."""
    scene = scene_in("active")
    second = post_project(scene.client, title="مشروع ثانٍ مفتوح")
    place_offer(project_services.approve_project(moderator=scene.staff, project=second), freelancer_user())
    before = moderation_state()

    def broken(**kwargs):
        raise DomainError("the projects service failed")

    monkeypatch.setattr(project_services, "close_project", broken)
    with pytest.raises(DomainError, match="failed"):
        suspend(scene.client, staff=scene.staff)

    assert moderation_state() == before
    assert is_active(scene.client)


# --- Who may suspend whom ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("not_staff", "Only moderators"),
        ("self", "your own account"),
        ("staff", "Staff accounts"),
        ("already", "already suspended"),
        ("no_reason", "at least 10 characters"),
    ],
)
def test_suspension_refusals_change_nothing(case, message):
    person = freelancer_user()
    staff = moderator()
    actor, target, reason = staff, person, SUSPENSION_REASON
    if case == "not_staff":
        actor = client_user()
    elif case == "self":
        target = staff
    elif case == "staff":
        target = moderator("مشرف زميل")
    elif case == "already":
        suspend(person)
    elif case == "no_reason":
        reason = "  قصير  "
    before = moderation_state()

    with pytest.raises(DomainError, match=message):
        services.suspend_account(staff=actor, user=target, reason=reason)

    assert moderation_state() == before


@pytest.mark.parametrize(
    ("case", "message"),
    [("not_staff", "Only moderators"), ("not_suspended", "not suspended"), ("no_reason", "at least 10")],
)
def test_lifting_refusals_change_nothing(case, message):
    person = freelancer_user()
    actor, reason = moderator(), LIFT_REASON
    if case != "not_suspended":
        suspend(person)
    if case == "not_staff":
        actor = client_user()
    elif case == "no_reason":
        reason = "قصير"
    before = moderation_state()

    with pytest.raises(DomainError, match=message):
        services.unsuspend_account(staff=actor, user=person, reason=reason)

    assert moderation_state() == before


@pytest.mark.parametrize("side", ["client", "freelancer"])
def test_the_dispute_of_a_suspension_is_opened_by_the_moderator_not_in_the_suspended_persons_name(side):
    scene = scene_in("active")
    suspended, other = (
        (scene.client, scene.freelancer) if side == "client" else (scene.freelancer, scene.client)
    )

    suspend(suspended, staff=scene.staff)

    dispute = Dispute.objects.get(contract=scene.contract)
    event = scene.contract.events.get(action="open_dispute")
    assert dispute.opened_by == scene.staff
    assert event.actor == scene.staff
    assert (event.from_status, event.to_status) == (Contract.Status.ACTIVE, Contract.Status.DISPUTED)
    assert Notification.objects.filter(user=other, kind="dispute_opened").exists()
    assert not Notification.objects.filter(user=suspended, kind="dispute_opened").exists()


def test_a_person_cannot_open_a_dispute_for_the_platform():
    scene = scene_in("active")

    with pytest.raises(DomainError):
        contract_services.open_dispute_for_platform(
            moderator=scene.client, contract=scene.contract, reason=SUSPENSION_REASON
        )

    scene.refresh()
    assert scene.contract.status == Contract.Status.ACTIVE
    assert not Dispute.objects.filter(contract=scene.contract).exists()

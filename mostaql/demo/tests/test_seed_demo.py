"""The demo data command: safe to run twice, refused in production, and its logins work."""

import datetime
import io
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from mostaql.accounts.models import PortfolioImage, PortfolioItem, Profile, User
from mostaql.briefs import services as brief_services
from mostaql.briefs.models import Answer, Brief
from mostaql.catalog.models import Category
from mostaql.contracts import states
from mostaql.contracts.models import CancellationRequest, Contract, ContractEvent, Dispute
from mostaql.demo.data.briefs import REQUESTS as DEMO_REQUESTS
from mostaql.demo.data.people import DEMO_PASSWORD, MODERATOR_TOTP_SECRET, PEOPLE, PORTFOLIO
from mostaql.demo.data.projects import PROJECTS
from mostaql.demo.management.commands.demo_totp import current_code
from mostaql.gigs.models import Service
from mostaql.messaging.models import Conversation, Message
from mostaql.projects.models import Offer, Project, ProjectEvent
from mostaql.reports.models import Report
from mostaql.reviews import reputation
from mostaql.reviews.models import Review
from mostaql.wallet import ledger
from mostaql.wallet.models import (
    Deposit,
    Entry,
    IdentityVerification,
    LedgerAccount,
    PendingEarning,
    Transfer,
    WebhookEvent,
    Withdrawal,
)
from mostaql.wallet.services import balances

pytestmark = pytest.mark.django_db


def seed() -> str:
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def row_counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "profiles": Profile.objects.count(),
        "addresses": EmailAddress.objects.count(),
        "portfolio items": PortfolioItem.objects.count(),
        "images": PortfolioImage.objects.count(),
        "messages": Message.objects.count(),
        "reviews": Review.objects.count(),
        "reports": Report.objects.count(),
    }


@pytest.fixture
def development(settings):
    settings.DEBUG = True


def test_seeding_twice_adds_nothing_the_second_time(development):
    first_output = seed()
    after_first = row_counts()

    second_output = seed()

    assert row_counts() == after_first
    assert after_first["users"] == len(PEOPLE)
    assert after_first["profiles"] == len(PEOPLE)
    assert after_first["portfolio items"] == sum(len(items) for items in PORTFOLIO.values())
    assert f"({len(PEOPLE)} new accounts)" in first_output
    assert "(0 new accounts)" in second_output
    assert "client@demo.test" in second_output


def test_seeding_is_refused_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        seed()

    assert not User.objects.exists()


def test_the_three_demo_logins_work(development):
    seed()
    assert DEMO_PASSWORD == "demo12345"

    for email in ["client@demo.test", "freelancer@demo.test", "moderator@demo.test"]:
        client = Client()
        response = client.post("/accounts/login/", {"login": email, "password": "demo12345"})
        assert response.status_code == 302, email
        if email == "moderator@demo.test":  # staff: the second factor, from the demo's published secret
            assert response["Location"] == "/accounts/2fa/authenticate/"
            response = client.post(response["Location"], {"code": current_code(MODERATOR_TOTP_SECRET)})
        assert response["Location"] == "/dashboard/", email
        assert client.get("/dashboard/").status_code == 200, email
        assert (client.get("/admin/").status_code == 200) == (email == "moderator@demo.test"), email

    assert User.objects.get(email="moderator@demo.test").is_staff
    assert not User.objects.get(email="client@demo.test").is_staff
    assert User.objects.get(email="client@demo.test").primary_role == User.Role.CLIENT
    assert User.objects.get(email="freelancer@demo.test").primary_role == User.Role.FREELANCER


def test_demo_people_get_every_skill_and_work_the_seed_lists(development):
    seed()

    for email, name, _role, title, _country, skill_slugs, _rate, _bio in PEOPLE:
        profile = Profile.objects.get(user__email=email)
        assert (profile.user.name, profile.title) == (name, title)
        assert set(profile.skills.values_list("slug", flat=True)) == set(skill_slugs), email
        assert EmailAddress.objects.get(user=profile.user).verified
    for email, items in PORTFOLIO.items():
        for title, _description, _link, skill_slugs, image_count in items:
            item = PortfolioItem.objects.get(profile__user__email=email, title=title)
            assert set(item.skills.values_list("slug", flat=True)) == set(skill_slugs), title
            assert item.images.count() == image_count, title


def test_demo_projects_reach_every_state_through_the_services_and_only_once(development, settings):
    first_output = seed()

    S = Project.Status
    # The private project of the invitations' demo (loader.load_invitations) is counted apart.
    statuses = Counter(Project.objects.filter(is_private=False).values_list("status", flat=True))
    assert set(statuses) == set(S.values)
    # One more: the project paid in milestones (demo.data.agreements).
    assert sum(statuses.values()) == len(PROJECTS) + 1 and len(PROJECTS) >= 25
    assert f"({len(PROJECTS)} new projects)" in first_output
    assert Project.objects.values("category").distinct().count() == Category.objects.count()
    # Reopened after the hired freelancer declined: open again, with the declined contract behind it.
    reopened = Project.objects.filter(status=S.OPEN, contracts__status=Contract.Status.DECLINED)
    assert reopened.exists()
    assert Contract.objects.filter(status=Contract.Status.AWAITING_FUNDING).count() == statuses[S.HIRING]
    assert not Project.objects.filter(status=S.REJECTED, rejection_reason="").exists()
    # Every project was posted through the services, and every published one by a moderator.
    # One more: the project paid in milestones (demo.data.agreements).
    assert (
        ProjectEvent.objects.filter(action="posted", project__is_private=False).count() == len(PROJECTS) + 1
    )
    assert not Project.objects.filter(status=S.OPEN, published_at=None).exists()

    bidders = Counter(Offer.objects.values_list("freelancer__email", flat=True))
    assert len(bidders) >= 3
    assert max(bidders.values()) <= settings.OFFERS_PER_MONTH
    assert Offer.objects.filter(project__status=S.OPEN).values("project").distinct().count() >= 10
    assert not Offer.objects.filter(amount_cents__lt=settings.MIN_OFFER_CENTS).exists()
    ages = [project.published_at for project in Project.objects.exclude(published_at=None)]
    assert min(ages) < max(ages) - datetime.timedelta(days=14)
    assert all(published <= timezone.now() for published in ages)

    models = [Project, Offer, Contract, Transfer, Deposit, Withdrawal, IdentityVerification]
    counts = [model.objects.count() for model in models]
    second_output = seed()

    assert [model.objects.count() for model in models] == counts
    assert "(0 new projects)" in second_output
    assert ledger.audit().is_clean


def test_demo_contracts_and_wallets_reach_every_state_and_the_ledger_balances(development, settings):
    seed()

    C = Contract.Status
    contracts = Counter(Contract.objects.values_list("status", flat=True))
    # A contract between milestones comes with its demo data (issue 13); a direct contract waits for
    # its freelancer's answer (proposed).
    assert set(contracts) == set(C.values) - {C.WITHDRAWN, C.AWAITING_MILESTONE}
    orders = Contract.objects.filter(origin=Contract.Origin.ORDER)
    assert set(orders.values_list("status", flat=True)) == {
        C.AWAITING_REQUIREMENTS,
        C.ACTIVE,
        C.DELIVERED,
        C.COMPLETED,
        C.DECLINED,
        C.CANCELLED,
        C.DISPUTED,
    }
    assert any(states.is_late(order) for order in orders.filter(status=C.ACTIVE))
    hires = Contract.objects.exclude(origin=Contract.Origin.ORDER)  # the project contracts' story below
    disputes = Dispute.objects.exclude(contract__origin=Contract.Origin.ORDER)

    assert contracts[C.ACTIVE] >= 2
    in_progress = Project.objects.filter(status=Project.Status.IN_PROGRESS)
    assert set(in_progress.values_list("contracts__status", flat=True)) == {C.ACTIVE, C.DELIVERED, C.DISPUTED}
    # Delivered, waiting for the client, and recent enough that the sweep does not accept it first.
    delivered = hires.get(status=C.DELIVERED)
    assert delivered.deliveries.exists()
    assert delivered.delivered_at > timezone.now() - datetime.timedelta(days=settings.AUTO_ACCEPT_DAYS)
    # Changes requested: active again, with a delivery and the client's request behind it.
    changed = hires.filter(status=C.ACTIVE, events__action="request_changes").get()
    assert changed.deliveries.exists() and changed.delivered_at is None
    # Cancelled by agreement: the escrow went back to the client.
    cancelled = hires.get(status=C.CANCELLED)
    assert cancelled.cancellations.get().status == CancellationRequest.Status.ACCEPTED
    assert cancelled.project.status == Project.Status.CANCELLED
    assert cancelled.transfers.filter(kind=Transfer.Kind.REFUND).exists()
    # One dispute waits for a moderator; another was decided with a share for each side.
    waiting = disputes.get(status=Dispute.Status.OPEN)
    assert waiting.contract.status == C.DISPUTED and len(waiting.reason) >= 20
    decided = disputes.get(status=Dispute.Status.DECIDED)
    assert 0 < decided.freelancer_share_cents < decided.contract.amount_cents
    assert decided.decision and decided.contract.project.status == Project.Status.COMPLETED
    assert Project.objects.filter(status=Project.Status.COMPLETED).count() >= 4
    # Every event was made through the services, in order, and none of it is in the future.
    for contract in hires.exclude(status__in=[C.AWAITING_FUNDING, C.DECLINED, C.PROPOSED]):
        events = list(contract.events.order_by("id"))
        assert [event.created_at for event in events] == sorted(event.created_at for event in events)
        assert events[1].action == ContractEvent.Action.FUND and contract.funded_at
    assert not Transfer.objects.filter(created_at__gt=timezone.now()).exists()

    # Money came in only through the sandbox's webhooks; one card was declined.
    succeeded = Deposit.objects.filter(status=Deposit.Status.SUCCEEDED)
    assert succeeded.count() == WebhookEvent.objects.filter(kind="payment.succeeded").count() >= 5
    assert Deposit.objects.filter(status=Deposit.Status.FAILED).exists()
    people = {user.email: user for user in User.objects.filter(email__endswith="@demo.test")}
    client = balances(people["client@demo.test"])
    assert client[LedgerAccount.Kind.AVAILABLE] >= 1500_00  # enough to fund a contract right away
    assert client["escrow"] > 0
    freelancer = people["freelancer@demo.test"]
    figures = balances(freelancer)
    assert figures[LedgerAccount.Kind.AVAILABLE] > 0 and figures[LedgerAccount.Kind.PENDING] > 0
    assert freelancer.identity_checks.filter(status=IdentityVerification.Status.APPROVED).exists()
    assert sorted(freelancer.withdrawals.values_list("status", flat=True)) == ["paid", "requested"]
    assert (
        figures[LedgerAccount.Kind.WITHDRAWAL_HOLD]
        == freelancer.withdrawals.get(status="requested").amount_cents
    )
    assert IdentityVerification.objects.filter(status="pending").exclude(user=freelancer).exists()
    assert PendingEarning.objects.filter(freelancer=freelancer, clearance__isnull=False).exists()
    assert PendingEarning.objects.filter(freelancer=freelancer, clearance__isnull=True).exists()

    report = ledger.audit()
    assert report.is_clean, report.problems
    # Entries were written in date order, so each statement's running balance reads right.
    for account in LedgerAccount.objects.all():
        running = 0
        for entry in Entry.objects.filter(account=account).order_by("transfer__created_at", "id"):
            running += entry.amount_cents
            assert entry.balance_after_cents == running, account


def test_demo_conversations_and_reviews_read_as_they_would_have_happened(development):
    seed()
    client_person = User.objects.get(email="client@demo.test")

    # Before a hire the bidder's phone number is masked, and the sender was told.
    before_hire = Message.objects.filter(conversation__project__contracts__isnull=True)
    assert before_hire.filter(was_masked=True).exists()
    assert not before_hire.filter(body__contains="0501234567").exists()
    # Each conversation's dates follow its messages, all in the past; the client has something unread.
    now = timezone.now()
    for conversation in Conversation.objects.filter(client=client_person).prefetch_related("messages"):
        dates = [message.created_at for message in conversation.messages.all()]
        if not dates:  # the conversation a direct contract's offer opened: nobody has written yet
            continue
        assert dates == sorted(dates) and max(dates) < now
        assert conversation.last_message_at == max(dates)
    assert any(
        conversation.client_read_at is None or conversation.client_read_at < conversation.last_message_at
        for conversation in Conversation.objects.filter(client=client_person)
    )
    # Reviews: public once both sides wrote or the window closed; one answered; counters match a recount.
    assert Review.objects.filter(published_at__isnull=False).count() >= 6
    assert Review.objects.filter(published_at__isnull=True).count() <= 1
    assert Review.objects.exclude(reply="").exclude(contract__origin=Contract.Origin.ORDER).count() == 1
    assert Review.objects.exclude(reply="").filter(contract__origin=Contract.Origin.ORDER).count() == 1
    # A report waits in the moderators' queue.
    assert Report.objects.filter(status=Report.Status.OPEN).count() == 1
    for person in User.objects.filter(email__endswith="@demo.test"):
        stored = reputation.counters_of(person.reputation) if hasattr(person, "reputation") else None
        assert stored in (None, reputation.counted_from_rows(person)), person.email


def test_demo_services_cover_every_category_with_pictures_and_upgrades(development):
    seed()
    services = Service.objects.prefetch_related("images", "upgrades")
    assert services.count() >= 30
    assert set(services.values_list("category__slug", flat=True)) == set(
        Category.objects.values_list("slug", flat=True)
    )
    assert all(service.status == Service.Status.APPROVED for service in services)
    assert all(service.images.all() and service.images.all()[0].thumbnail for service in services)
    assert sum(1 for service in services if service.upgrades.all()) >= 30
    assert services.filter(seller__email="freelancer@demo.test").count() >= 2
    count = services.count()
    seed()
    assert Service.objects.count() == count


def test_demo_requests_are_open_and_answered_once_with_one_waiting_for_the_moderator(development):
    seed()
    requests = Brief.objects.filter(buyer__email="client@demo.test")
    assert requests.count() == len(DEMO_REQUESTS)
    open_ones = [brief for brief in requests if brief_services.is_listed(brief)]
    assert len(open_ones) == 3 and requests.filter(status=Brief.Status.PENDING).count() == 1
    assert Answer.objects.filter(brief__in=requests).count() == 4
    assert all(answer.service.status == Service.Status.APPROVED for answer in Answer.objects.all())
    seed()
    assert Brief.objects.count() == len(DEMO_REQUESTS) and Answer.objects.count() == 4

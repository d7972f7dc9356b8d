"""The rules of projects and offers, called the way views and commands call them."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import UserFactory
from mostaql.catalog.models import Category
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError
from mostaql.core.money import commission_cents, net_after_commission_cents
from mostaql.projects import services
from mostaql.projects.models import Offer, Project, ProjectAttachment, ProjectEvent
from mostaql.projects.tests.factories import (
    OFFER_TEXT,
    ProjectFactory,
    clean_pdf,
    clean_png,
    client_user,
    freelancer_user,
    hire,
    moderator,
    open_project,
    place_offer,
    post_project,
    project_fields,
    skills,
)
from mostaql.projects.tests.support import everything, private_files

S = Project.Status
RIGHT_TO_LEFT_OVERRIDE, POP_FORMATTING, FIRST_STRONG_ISOLATE, POP_ISOLATE = (
    "\u202e",
    "\u202c",
    "\u2068",
    "\u2069",
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """Refusals are matched on their English message ids; the pages test the Arabic ones."""
    with translation.override("en"):
        yield


# --- Posting a project ----------------------------------------------------------------------------


def test_a_posted_project_waits_for_review_with_its_skills_and_attachments():
    owner = client_user()

    project = post_project(owner, skills=skills("python", "django"), attachments=[clean_pdf(), clean_png()])

    project.refresh_from_db()
    assert project.status == S.PENDING_REVIEW
    assert project.published_at is None
    assert project.owner == owner
    assert set(project.skills.values_list("slug", flat=True)) == {"python", "django"}
    assert sorted(project.attachments.values_list("kind", flat=True)) == ["image", "pdf"]
    assert len(private_files()) == 2
    assert ProjectEvent.objects.filter(project=project, action="posted", actor=owner).exists()


def test_a_project_opens_at_once_when_auto_approval_is_on(settings):
    settings.PROJECT_AUTO_APPROVE = True

    project = post_project()

    assert project.status == S.OPEN
    assert project.published_at is not None


def test_posting_needs_a_verified_email_address(django_capture_on_commit_callbacks):
    unverified = UserFactory(primary_role="client")
    before = everything()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError, match="Verify"):
        post_project(unverified)

    assert everything() == before


def test_bidirectional_controls_are_stripped_from_the_title():
    title = f"{RIGHT_TO_LEFT_OVERRIDE}تطوير متجر{POP_FORMATTING} {FIRST_STRONG_ISOLATE}إلكتروني{POP_ISOLATE}"

    project = post_project(title=title)

    assert project.title == "تطوير متجر إلكتروني"


def with_skills(changes: dict) -> dict:
    """Parameters name skills by slug (rows do not exist when pytest collects)."""
    if "skills" in changes:
        return {**changes, "skills": skills(*changes["skills"])}
    return changes


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "قصير جداً"}, "title"),  # 9 characters
        ({"title": "م" * 121}, "title"),
        ({"title": f"{RIGHT_TO_LEFT_OVERRIDE * 5}قصير جداً"}, "title"),  # controls do not count
        ({"description": "و" * 49}, "description"),
        ({"description": "و" * 10_001}, "description"),
        ({"skills": ()}, "skills"),
        ({"skills": ("python", "django", "php", "laravel", "react", "flutter")}, "skills"),
        ({"budget": "1-2"}, "budget"),
        ({"budget": ""}, "budget"),
        ({"duration_days": 0}, "duration_days"),
        ({"duration_days": 366}, "duration_days"),
    ],
    ids=[
        "title-9",
        "title-121",
        "title-9-with-controls",
        "description-49",
        "description-10001",
        "no-skill",
        "six-skills",
        "unknown-budget",
        "no-budget",
        "duration-0",
        "duration-366",
    ],
)
def test_a_project_outside_the_limits_is_refused_and_nothing_is_saved(changes, field):
    owner = client_user()
    changes = with_skills(changes)
    before = everything()

    with pytest.raises(DomainError) as refusal:
        post_project(owner, attachments=[clean_pdf()], **changes)

    assert refusal.value.field == field
    assert everything() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "م" * 10},
        {"title": "م" * 120},
        {"description": "و" * 50},
        {"description": "و" * 10_000},
        {"skills": ("python",)},
        {"skills": ("python", "django", "php", "laravel", "react")},
        {"duration_days": 1},
        {"duration_days": 365},
    ],
    ids=[
        "title-10",
        "title-120",
        "description-50",
        "description-10000",
        "one-skill",
        "five-skills",
        "1",
        "365",
    ],
)
def test_a_project_at_the_limits_is_accepted(changes):
    project = post_project(**with_skills(changes))

    assert Project.objects.filter(pk=project.pk).exists()


def test_five_attachments_are_accepted_and_a_sixth_is_refused():
    owner = client_user()
    post_project(owner, attachments=[clean_pdf(f"file{number}.pdf") for number in range(5)])
    before = everything()

    with pytest.raises(DomainError) as refusal:
        post_project(owner, attachments=[clean_pdf(f"file{number}.pdf") for number in range(6)])

    assert refusal.value.field == "attachments"
    assert ProjectAttachment.objects.count() == 5
    assert everything() == before


# --- Editing and closing --------------------------------------------------------------------------


def test_the_owner_edits_a_project_that_has_no_offers_and_search_follows():
    project = post_project(attachments=[clean_pdf("old.pdf")])
    old_attachment = project.attachments.get()

    services.edit_project(
        owner=project.owner,
        project=project,
        **project_fields(
            title="تصميم شعار لمقهى جديد",
            category=Category.objects.get(slug="design"),
            skills=skills("logo-design"),
            duration_days=12,
        ),
        new_attachments=[clean_png("new.png")],
        removed_attachment_ids=[old_attachment.pk],
    )

    project.refresh_from_db()
    assert project.title == "تصميم شعار لمقهى جديد"
    assert project.category.slug == "design"
    assert project.duration_days == 12
    assert list(project.skills.values_list("slug", flat=True)) == ["logo-design"]
    assert list(project.attachments.values_list("original_name", flat=True)) == ["new.jpg"]
    assert "شعار" in project.search_title
    assert "تصميم شعارات" in project.search_text  # the skill's Arabic name is indexed


def test_a_project_with_an_offer_can_no_longer_be_edited():
    project = open_project()
    place_offer(project)
    before = everything()

    with pytest.raises(DomainError, match="offers"):
        services.edit_project(
            owner=project.owner, project=project, **project_fields(title="عنوان جديد تماماً")
        )

    assert everything() == before


def test_only_the_owner_edits_a_project():
    project = post_project()
    before = everything()

    with pytest.raises(DomainError):
        services.edit_project(
            owner=client_user("غريب"), project=project, **project_fields(title="عنوان آخر هنا")
        )

    assert everything() == before


@pytest.mark.parametrize("start", ["pending", "open"])
def test_the_owner_closes_a_pending_or_open_project(start):
    project = post_project() if start == "pending" else open_project()

    services.close_project(owner=project.owner, project=project)

    project.refresh_from_db()
    assert project.status == S.CLOSED


def test_only_the_owner_closes_a_project():
    project = open_project()
    before = everything()

    with pytest.raises(DomainError):
        services.close_project(owner=client_user("غريب"), project=project)

    assert everything() == before


def test_a_project_that_hired_cannot_be_closed():
    project = open_project()
    hire(place_offer(project))
    before = everything()

    with pytest.raises(DomainError):
        services.close_project(owner=project.owner, project=project)

    assert everything() == before


# --- Moderation -----------------------------------------------------------------------------------


def test_approving_opens_the_project_and_tells_the_owner(django_capture_on_commit_callbacks):
    project = post_project(client_user(email="owner@example.com"), title="تصميم هوية بصرية لمطعم")
    staff = moderator()

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_project(moderator=staff, project=project)

    project.refresh_from_db()
    assert project.status == S.OPEN
    assert timezone.now() - project.published_at < datetime.timedelta(minutes=1)
    assert ProjectEvent.objects.filter(project=project, action="approved", actor=staff).exists()
    assert [message.to for message in mail.outbox] == [["owner@example.com"]]
    assert "تصميم هوية بصرية لمطعم" in mail.outbox[0].subject
    assert f"/projects/{project.pk}/" in mail.outbox[0].body


def test_rejecting_tells_the_owner_why(django_capture_on_commit_callbacks):
    project = post_project(client_user(email="owner@example.com"))

    with django_capture_on_commit_callbacks(execute=True):
        services.reject_project(
            moderator=moderator(), project=project, reason="الوصف لا يوضح المطلوب، أضف التفاصيل."
        )

    project.refresh_from_db()
    assert project.status == S.REJECTED
    assert project.published_at is None
    assert project.rejection_reason == "الوصف لا يوضح المطلوب، أضف التفاصيل."
    assert [message.to for message in mail.outbox] == [["owner@example.com"]]
    assert "الوصف لا يوضح المطلوب، أضف التفاصيل." in mail.outbox[0].body


@pytest.mark.parametrize("reason", ["", "قصير", "  أقل من  "], ids=["empty", "short", "short-padded"])
def test_a_rejection_needs_a_reason_of_ten_characters(reason, django_capture_on_commit_callbacks):
    project = post_project()
    before = everything()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as refusal:
        services.reject_project(moderator=moderator(), project=project, reason=reason)

    assert refusal.value.field == "reason"
    assert everything() == before


@pytest.mark.parametrize("start", [S.OPEN, S.REJECTED, S.CLOSED])
def test_only_a_pending_project_can_be_approved(start, django_capture_on_commit_callbacks):
    project = ProjectFactory(status=start)
    before = everything()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.approve_project(moderator=moderator(), project=project)

    assert everything() == before


def test_only_staff_moderate(django_capture_on_commit_callbacks):
    project = post_project()
    before = everything()

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(DomainError):
            services.approve_project(moderator=freelancer_user(), project=project)
        with pytest.raises(DomainError):
            services.reject_project(moderator=freelancer_user(), project=project, reason="سبب طويل بما يكفي")

    assert everything() == before


# --- Offers ---------------------------------------------------------------------------------------


def with_files(changes: dict) -> dict:
    """Parameters give a number of attachments; the files are made inside the test."""
    if "attachments" in changes:
        return {**changes, "attachments": [clean_pdf(f"{n}.pdf") for n in range(changes["attachments"])]}
    return changes


def test_an_offer_is_placed_counted_and_the_owner_is_told(django_capture_on_commit_callbacks):
    project = open_project(client_user(email="owner@example.com"))
    freelancer = freelancer_user("نورة")

    with django_capture_on_commit_callbacks(execute=True):
        offer = place_offer(
            project, freelancer, amount_cents=15_000, duration_days=10, attachments=[clean_pdf("cv.pdf")]
        )

    offer.refresh_from_db()
    assert (offer.status, offer.amount_cents, offer.duration_days, offer.text) == (
        Offer.Status.SUBMITTED,
        15_000,
        10,
        OFFER_TEXT,
    )
    assert list(offer.attachments.values_list("original_name", flat=True)) == ["cv.pdf"]
    assert Project.objects.get(pk=project.pk).offer_count == 1
    assert [message.to for message in mail.outbox] == [["owner@example.com"]]
    assert "نورة" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount_cents": 2_499}, "amount"),
        ({"amount_cents": 0}, "amount"),
        ({"duration_days": 0}, "duration_days"),
        ({"duration_days": 366}, "duration_days"),
        ({"text": "ن" * 29}, "text"),
        ({"text": "ن" * 5_001}, "text"),
        ({"text": f"{RIGHT_TO_LEFT_OVERRIDE * 5}{'ن' * 29}"}, "text"),
        ({"attachments": 6}, "attachments"),
    ],
    ids=[
        "under-minimum",
        "zero",
        "duration-0",
        "duration-366",
        "text-29",
        "text-5001",
        "text-29-with-controls",
        "six-attachments",
    ],
)
def test_an_offer_outside_the_limits_is_refused_and_nothing_is_saved(
    changes, field, django_capture_on_commit_callbacks
):
    project = open_project()
    freelancer = freelancer_user()
    changes = with_files(changes)
    before = everything()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as refusal:
        place_offer(project, freelancer, **changes)

    assert refusal.value.field == field
    assert everything() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"amount_cents": 2_500},
        {"duration_days": 1},
        {"duration_days": 365},
        {"text": "ن" * 30},
        {"text": "ن" * 5_000},
        {"attachments": 5},
    ],
    ids=["minimum", "1-day", "365-days", "text-30", "text-5000", "five-attachments"],
)
def test_an_offer_at_the_limits_is_accepted(changes):
    offer = place_offer(open_project(), **with_files(changes))

    assert Offer.objects.filter(pk=offer.pk).exists()


def test_the_minimum_amount_follows_the_setting(settings):
    settings.MIN_OFFER_CENTS = 5_000
    project = open_project()

    with pytest.raises(DomainError, match=r"\$50\.00"):
        place_offer(project, amount_cents=4_999)

    assert place_offer(project, amount_cents=5_000).amount_cents == 5_000


def test_bidding_needs_a_verified_email_address():
    project = open_project()
    unverified = UserFactory()
    before = everything()

    with pytest.raises(DomainError, match="Verify"):
        place_offer(project, unverified)

    assert everything() == before


def test_a_freelancer_sends_one_offer_per_project(django_capture_on_commit_callbacks):
    project = open_project()
    freelancer = freelancer_user()
    place_offer(project, freelancer)
    before = everything()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError, match="already"):
        place_offer(project, freelancer, amount_cents=20_000)

    assert everything() == before


def test_a_withdrawn_offer_cannot_be_sent_again():
    project = open_project()
    freelancer = freelancer_user()
    services.withdraw_offer(freelancer=freelancer, offer=place_offer(project, freelancer))
    before = everything()

    with pytest.raises(DomainError, match="already"):
        place_offer(project, freelancer)

    assert everything() == before


def test_nobody_bids_on_their_own_project():
    project = open_project()
    before = everything()

    with pytest.raises(DomainError, match="own project"):
        place_offer(project, project.owner)

    assert everything() == before


@pytest.mark.parametrize("state", ["pending_review", "rejected", "closed", "hiring"])
def test_only_an_open_project_takes_offers(state, django_capture_on_commit_callbacks):
    if state == "hiring":
        project = open_project()
        hire(place_offer(project))
    else:
        project = ProjectFactory(status=state)
    freelancer = freelancer_user()
    before = everything()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError, match="not taking"):
        place_offer(project, freelancer)

    assert everything() == before


def test_the_author_edits_an_offer_until_a_hire():
    offer = place_offer(open_project(), attachments=[clean_pdf("a.pdf")])
    kept = offer.attachments.get()

    services.edit_offer(
        freelancer=offer.freelancer,
        offer=offer,
        amount_cents=12_345,
        duration_days=9,
        text="نص جديد للعرض يشرح الخطة بتفصيل أكبر من السابق.",
        new_attachments=[clean_png("b.png")],
        removed_attachment_ids=[kept.pk],
    )

    offer.refresh_from_db()
    assert (offer.amount_cents, offer.duration_days) == (12_345, 9)
    assert offer.text == "نص جديد للعرض يشرح الخطة بتفصيل أكبر من السابق."
    assert list(offer.attachments.values_list("original_name", flat=True)) == ["b.jpg"]


def test_another_freelancer_cannot_edit_or_withdraw_an_offer():
    offer = place_offer(open_project())
    someone_else = freelancer_user("آخر")
    before = everything()

    with pytest.raises(DomainError):
        services.edit_offer(
            freelancer=someone_else, offer=offer, amount_cents=3_000, duration_days=3, text=OFFER_TEXT
        )
    with pytest.raises(DomainError):
        services.withdraw_offer(freelancer=someone_else, offer=offer)

    assert everything() == before


def test_an_offer_cannot_be_edited_or_withdrawn_after_a_hire():
    project = open_project()
    hired, other = place_offer(project), place_offer(project)
    hire(hired)
    before = everything()

    for offer in (hired, other):
        with pytest.raises(DomainError, match="no longer"):
            services.edit_offer(
                freelancer=offer.freelancer, offer=offer, amount_cents=3_000, duration_days=3, text=OFFER_TEXT
            )
        with pytest.raises(DomainError, match="no longer"):
            services.withdraw_offer(freelancer=offer.freelancer, offer=offer)

    assert everything() == before


def test_an_edit_outside_the_limits_changes_nothing():
    offer = place_offer(open_project())
    before = everything()

    with pytest.raises(DomainError) as refusal:
        services.edit_offer(
            freelancer=offer.freelancer, offer=offer, amount_cents=100, duration_days=3, text=OFFER_TEXT
        )

    assert refusal.value.field == "amount"
    assert everything() == before


def test_withdrawing_an_offer_takes_it_out_of_the_count():
    project = open_project()
    offer = place_offer(project)
    place_offer(project)

    services.withdraw_offer(freelancer=offer.freelancer, offer=offer)

    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN
    assert Project.objects.get(pk=project.pk).offer_count == 1


# --- Monthly quota --------------------------------------------------------------------------------


def spend_quota(freelancer, count: int) -> list[Offer]:
    owner = client_user("صاحب مشاريع كثيرة")
    return [place_offer(ProjectFactory(owner=owner), freelancer) for _number in range(count)]


def test_the_sixteenth_offer_of_the_month_is_refused(settings):
    assert settings.OFFERS_PER_MONTH == 15
    freelancer = freelancer_user()
    spend_quota(freelancer, 15)
    project = ProjectFactory()
    assert services.offers_left_this_month(freelancer) == 0
    before = everything()

    with pytest.raises(DomainError, match="15"):
        place_offer(project, freelancer)

    assert everything() == before


def test_the_quota_follows_the_setting(settings):
    settings.OFFERS_PER_MONTH = 2
    freelancer = freelancer_user()
    spend_quota(freelancer, 2)

    with pytest.raises(DomainError):
        place_offer(ProjectFactory(), freelancer)


def test_a_withdrawn_offer_still_counts_against_the_quota():
    freelancer = freelancer_user()
    offer = spend_quota(freelancer, 1)[0]

    services.withdraw_offer(freelancer=freelancer, offer=offer)

    assert services.offers_left_this_month(freelancer) == 14


def test_offers_from_last_month_do_not_count():
    freelancer = freelancer_user()
    spend_quota(freelancer, 15)
    Offer.objects.filter(freelancer=freelancer).update(
        created_at=services.month_start() - datetime.timedelta(seconds=1)
    )

    assert services.offers_left_this_month(freelancer) == 15
    place_offer(ProjectFactory(), freelancer)
    assert services.offers_left_this_month(freelancer) == 14


def test_closing_a_project_without_a_hire_gives_each_offer_back():
    freelancer, other = freelancer_user("الأول"), freelancer_user("الثاني")
    spend_quota(freelancer, 14)
    project = ProjectFactory()
    offers = [place_offer(project, freelancer), place_offer(project, other)]
    assert services.offers_left_this_month(freelancer) == 0

    services.close_project(owner=project.owner, project=project)

    for offer in offers:
        offer.refresh_from_db()
        assert (offer.status, offer.is_returned_to_quota) == (Offer.Status.NOT_HIRED, True)
    assert services.offers_left_this_month(freelancer) == 1
    assert services.offers_left_this_month(other) == 15
    place_offer(ProjectFactory(), freelancer)
    with pytest.raises(DomainError):
        place_offer(ProjectFactory(), freelancer)


# --- Hiring ---------------------------------------------------------------------------------------


def test_hiring_creates_a_contract_waiting_for_funding_and_tells_every_bidder(
    django_capture_on_commit_callbacks,
):
    project = open_project(title="تطبيق جوال لحجز المواعيد")
    chosen = place_offer(
        project, freelancer_user(email="chosen@example.com"), amount_cents=40_000, duration_days=21
    )
    place_offer(project, freelancer_user(email="second@example.com"))
    place_offer(project, freelancer_user(email="third@example.com"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        contract = contract_services.hire(owner=project.owner, project=project, offer=chosen)

    contract.refresh_from_db()
    assert contract.status == Contract.Status.AWAITING_FUNDING
    assert (contract.amount_cents, contract.duration_days) == (40_000, 21)
    assert (contract.client, contract.freelancer, contract.offer, contract.project) == (
        project.owner,
        chosen.freelancer,
        chosen,
        project,
    )
    assert contract.events.get().action == "hire"
    assert Project.objects.get(pk=project.pk).status == S.HIRING
    assert Offer.objects.get(pk=chosen.pk).status == Offer.Status.HIRED
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"chosen@example.com", "second@example.com", "third@example.com"}
    assert f"/contracts/{contract.pk}/" in by_recipient["chosen@example.com"].body
    assert by_recipient["chosen@example.com"].subject != by_recipient["second@example.com"].subject
    assert "تطبيق جوال لحجز المواعيد" in by_recipient["second@example.com"].subject


def test_only_the_owner_hires(django_capture_on_commit_callbacks):
    project = open_project()
    offer = place_offer(project)
    before = everything()

    with django_capture_on_commit_callbacks(execute=True):
        for intruder in (offer.freelancer, freelancer_user("دخيل"), moderator("مشرف فضولي")):
            with pytest.raises(DomainError, match="owner"):
                contract_services.hire(owner=intruder, project=project, offer=offer)

    assert everything() == before


def test_an_offer_of_another_project_cannot_be_hired(django_capture_on_commit_callbacks):
    owner = client_user()
    mine, theirs = open_project(owner), open_project()
    place_offer(mine)
    foreign_offer = place_offer(theirs)
    before = everything()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError, match="not made"):
        contract_services.hire(owner=owner, project=mine, offer=foreign_offer)

    assert everything() == before


def test_hiring_twice_is_refused(django_capture_on_commit_callbacks):
    project = open_project()
    first, second = place_offer(project), place_offer(project)
    hire(first)
    before = everything()

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(DomainError):
            contract_services.hire(owner=project.owner, project=project, offer=second)
        with pytest.raises(DomainError):
            contract_services.hire(owner=project.owner, project=project, offer=first)

    assert everything() == before
    assert Contract.objects.count() == 1


def test_a_withdrawn_offer_cannot_be_hired():
    project = open_project()
    offer = place_offer(project)
    services.withdraw_offer(freelancer=offer.freelancer, offer=offer)
    before = everything()

    with pytest.raises(DomainError):
        contract_services.hire(owner=project.owner, project=project, offer=offer)

    assert everything() == before


def test_the_offer_of_a_suspended_freelancer_cannot_be_hired(django_capture_on_commit_callbacks):
    project = open_project()
    offer = place_offer(project)
    User.objects.filter(pk=offer.freelancer_id).update(is_active=False)  # as a suspension leaves it
    before = everything()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError, match="suspended"):
        contract_services.hire(owner=project.owner, project=project, offer=offer)

    assert everything() == before
    assert mail.outbox == []


# --- Commission: one function, explicit rounding --------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "commission"),
    [(0, 0), (1, 0), (2, 0), (3, 1), (1_250, 250), (1_251, 250), (1_253, 251), (10_000, 2_000)],
)
def test_the_commission_is_twenty_percent_rounded_to_the_nearest_cent(amount, commission, settings):
    settings.COMMISSION_PERCENT = 20

    assert commission_cents(amount) == commission
    assert net_after_commission_cents(amount) == amount - commission


@pytest.mark.parametrize(("amount", "commission"), [(5, 1), (15, 2), (25, 3), (35, 4), (14, 1)])
def test_half_a_cent_of_commission_rounds_up(amount, commission, settings):
    settings.COMMISSION_PERCENT = 10  # 10% of 25 cents is 2.5: half up gives 3, banker's rounding 2

    assert commission_cents(amount) == commission


@given(amount=st.integers(min_value=0, max_value=10**9), percent=st.integers(min_value=0, max_value=100))
def test_commission_and_net_always_add_up_to_the_amount(amount, percent):
    with override_settings(COMMISSION_PERCENT=percent):
        commission, net = commission_cents(amount), net_after_commission_cents(amount)

    assert commission + net == amount
    assert 0 <= commission <= amount
    exact = Decimal(amount) * percent / 100
    assert commission == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))

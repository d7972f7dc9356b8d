"""Reporting a project, an offer, a message or a profile through the service: who may report what,
the reason, one open report per reporter and item, and the hourly limit."""

import pytest
from django.utils import translation

from mostaql.accounts.models import Profile
from mostaql.core.exceptions import DomainError
from mostaql.projects import services as project_services
from mostaql.projects.tests.factories import freelancer_user, post_project
from mostaql.reports import services
from mostaql.reports.models import Report
from mostaql.reports.tests.factories import (
    KINDS,
    REASON,
    REPORTABLE,
    market,
    moderation_state,
    report_on,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """Refusals are matched on their English message ids."""
    with translation.override("en"):
        yield


@pytest.fixture
def scene():
    return market()


@pytest.mark.parametrize("kind", KINDS)
def test_a_logged_in_person_reports_each_kind_of_item_with_a_reason(scene, kind):
    reporter_role, author_role = REPORTABLE[kind]

    report = report_on(scene, kind)

    assert report.kind == kind
    assert report.item == scene.item(kind)
    assert report.reporter == scene.person(reporter_role)
    assert report.author == scene.person(author_role)
    assert report.status == Report.Status.OPEN
    assert report.reason == REASON


def test_the_reason_is_cleaned_of_bidirectional_controls_and_spaces(scene):
    report = report_on(scene, "project", reason=f"  \u202e{REASON}\u2066  \n")

    assert report.reason == REASON


@pytest.mark.parametrize(
    "reason",
    ["", "   ", "قصير", "\u202e\u202e\u202e\u202e\u202e\u202e\u202e\u202e\u202e\u202e\u202e", "ا" * 2001],
)
def test_a_reason_too_short_or_too_long_is_refused(scene, reason):
    before = moderation_state()

    with pytest.raises(DomainError, match="Explain what is wrong") as refusal:
        report_on(scene, "project", reason=reason)

    assert refusal.value.field == "reason"
    assert moderation_state() == before


@pytest.mark.parametrize("kind", KINDS)
def test_one_open_report_per_reporter_and_item(scene, kind):
    report_on(scene, kind)
    before = moderation_state()

    with pytest.raises(DomainError, match="already reported"):
        report_on(scene, kind, reason="مرة أخرى: " + REASON)

    assert moderation_state() == before


def test_another_person_may_report_the_same_item(scene):
    first = report_on(scene, "project")

    second = report_on(scene, "project", reporter=scene.bidder)

    assert {first.reporter, second.reporter} == {scene.stranger, scene.bidder}
    assert Report.objects.filter(project=scene.project, status=Report.Status.OPEN).count() == 2


def test_after_a_decision_the_same_person_may_report_the_item_again(scene):
    report = report_on(scene, "profile")
    services.decide_report(staff=scene.staff, report=report, action="dismiss")

    again = report_on(scene, "profile", reason="عاد ليضع رقم هاتفه في نبذته بعد رفض البلاغ الأول.")

    assert again.is_open
    assert Report.objects.filter(reporter=scene.stranger, profile__user=scene.bidder).count() == 2


@pytest.mark.parametrize(
    ("kind", "role"),
    [("project", "owner"), ("offer", "bidder"), ("message", "bidder"), ("profile", "bidder")],
)
def test_nobody_reports_their_own_item(scene, kind, role):
    before = moderation_state()

    with pytest.raises(DomainError, match="cannot report something of your own"):
        report_on(scene, kind, reporter=scene.person(role))

    assert moderation_state() == before


@pytest.mark.parametrize("role", ["stranger", "other_bidder", "staff"])
def test_a_message_is_reported_only_by_the_other_side_of_its_conversation(scene, role):
    before = moderation_state()

    with pytest.raises(DomainError, match="does not exist or is no longer shown"):
        report_on(scene, "message", reporter=scene.person(role))

    assert moderation_state() == before


@pytest.mark.parametrize("role", ["stranger", "other_bidder"])
def test_an_offer_is_reported_only_by_those_who_may_read_its_amount(scene, role):
    before = moderation_state()

    with pytest.raises(DomainError, match="does not exist or is no longer shown"):
        report_on(scene, "offer", reporter=scene.person(role))

    assert moderation_state() == before


def test_a_withdrawn_offer_cannot_be_reported(scene):
    project_services.withdraw_offer(freelancer=scene.bidder, offer=scene.offer)
    before = moderation_state()

    with pytest.raises(DomainError, match="does not exist or is no longer shown"):
        report_on(scene, "offer")

    assert moderation_state() == before


def test_a_project_waiting_for_review_cannot_be_reported(scene):
    pending = post_project(scene.owner, title="مشروع ينتظر المراجعة")
    assert pending.status == pending.Status.PENDING_REVIEW
    before = moderation_state()

    with pytest.raises(DomainError, match="does not exist or is no longer shown"):
        services.file_report(reporter=scene.stranger, item=pending, reason=REASON)

    assert moderation_state() == before


@pytest.mark.parametrize("kind", KINDS)
def test_an_item_the_moderators_hid_cannot_be_reported_again(scene, kind):
    services.hide_item(staff=scene.staff, item=scene.item(kind))
    before = moderation_state()

    with pytest.raises(DomainError, match="does not exist or is no longer shown"):
        report_on(scene, kind)

    assert moderation_state() == before


def test_the_profile_of_a_suspended_account_cannot_be_reported(scene):
    services.suspend_account(staff=scene.staff, user=scene.bidder, reason="احتيال متكرر على العملاء.")
    before = moderation_state()

    with pytest.raises(DomainError, match="does not exist or is no longer shown"):
        report_on(scene, "profile")

    assert moderation_state() == before


def test_reports_are_limited_per_hour_and_refusals_do_not_count(
    scene, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_PER_HOUR = 2
    profiles = [Profile.objects.get(user=freelancer_user(f"مستقل {number}")) for number in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        services.file_report(reporter=scene.stranger, item=profiles[0], reason=REASON)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        services.file_report(reporter=scene.stranger, item=profiles[0], reason=REASON)  # a duplicate
    with django_capture_on_commit_callbacks(execute=True):
        services.file_report(reporter=scene.stranger, item=profiles[1], reason=REASON)
    before = moderation_state()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError, match="2 reports"):
        services.file_report(reporter=scene.stranger, item=profiles[2], reason=REASON)

    assert moderation_state() == before
    # Someone else's hour is their own.
    services.file_report(reporter=scene.owner, item=profiles[2], reason=REASON)


def test_the_database_keeps_one_open_report_per_reporter_and_item(scene):
    """The service checks first; the partial unique index holds even when two requests race."""
    from django.db import IntegrityError, transaction

    report = report_on(scene, "project")

    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            reporter=scene.stranger, author=scene.owner, reason=REASON, **Report.keys_for(scene.project)
        )
    assert Report.objects.filter(project=scene.project).get() == report

"""A moderator decides a report: dismiss, hide, warn or suspend. Every decision closes the open reports
on the item, leaves a ModerationEvent, and tells each reporter the outcome (in the app, and by e-mail
once the transaction commits); a warning reaches its author the same way."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import uri_to_iri

from mostaql.accounts.models import User
from mostaql.core.exceptions import DomainError
from mostaql.projects.tests.factories import freelancer_user, moderator
from mostaql.reports import services
from mostaql.reports.models import HiddenItem, ModerationEvent, Report, Suspension
from mostaql.reports.tests.factories import (
    KINDS,
    REASON,
    REPORTABLE,
    SUSPENSION_REASON,
    WARNING,
    emails_to,
    market,
    moderation_state,
    notifications_of,
    report_on,
)

pytestmark = pytest.mark.django_db
S = Report.Status
A = ModerationEvent.Action


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def scene():
    return market()


def events() -> list[tuple]:
    return list(
        ModerationEvent.objects.order_by("pk").values_list("actor_id", "action", "subject_id", "report_id")
    )


def test_dismissing_closes_the_report_tells_the_reporter_and_leaves_the_item(
    scene, django_capture_on_commit_callbacks
):
    report = report_on(scene, "project")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_report(staff=scene.staff, report=report, action="dismiss", note="لا مخالفة.")

    report.refresh_from_db()
    assert (report.status, report.decided_by, report.item_hidden) == (S.DISMISSED, scene.staff, False)
    assert report.decided_at is not None
    assert events() == [(scene.staff.pk, A.DISMISSED, scene.owner.pk, report.pk)]
    assert not HiddenItem.objects.exists()
    [told] = notifications_of(scene.stranger, "report_outcome")
    assert told.url == report.get_absolute_url()
    [email] = emails_to(scene.stranger)
    assert email.subject == told.title
    assert "لا مخالفة" not in email.body  # the moderators' note is theirs; the reporter hears the outcome
    assert notifications_of(scene.owner, "account_warning") == []


@pytest.mark.parametrize("kind", KINDS)
def test_hiding_takes_the_item_off_and_tells_every_reporter_on_it(
    scene, kind, django_capture_on_commit_callbacks
):
    reports = [report_on(scene, kind)]
    if kind in ("project", "profile"):  # an offer and a message have one person who may report them
        reports.append(report_on(scene, kind, reporter=scene.other_bidder))
    first = reports[0]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decided = services.decide_report(staff=scene.staff, report=first, action="hide")

    assert {report.pk for report in decided} == {report.pk for report in reports}
    hidden = HiddenItem.objects.get()
    assert (hidden.kind, hidden.item, hidden.hidden_by, hidden.report) == (
        kind,
        scene.item(kind),
        scene.staff,
        first,
    )
    author = scene.person(REPORTABLE[kind][1])
    assert events() == [(scene.staff.pk, A.HIDDEN, author.pk, first.pk)]
    for report in reports:
        report.refresh_from_db()
        assert (report.status, report.item_hidden) == (S.HIDDEN, True)
        assert len(notifications_of(report.reporter, "report_outcome")) == 1
        assert len(emails_to(report.reporter)) == 1


def test_two_reporters_on_one_item_are_both_closed_and_told(scene, django_capture_on_commit_callbacks):
    first = report_on(scene, "project")
    second = report_on(scene, "project", reporter=scene.other_bidder)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        decided = services.decide_report(staff=scene.staff, report=second, action="dismiss")

    assert [report.pk for report in decided] == [first.pk, second.pk]
    assert set(Report.objects.values_list("status", flat=True)) == {S.DISMISSED}
    assert {email.to[0] for email in mail.outbox} == {scene.stranger.email, scene.other_bidder.email}
    # One decision, one event: the moderator acted once.
    assert events() == [(scene.staff.pk, A.DISMISSED, scene.owner.pk, second.pk)]


def test_reports_on_other_items_stay_open(scene):
    on_project = report_on(scene, "project")
    on_profile = report_on(scene, "profile")

    services.decide_report(staff=scene.staff, report=on_project, action="hide")

    on_profile.refresh_from_db()
    assert on_profile.is_open


@pytest.mark.parametrize("also_hide", [False, True])
def test_warning_reaches_the_author_in_the_app_and_by_email_after_commit(
    scene, also_hide, django_capture_on_commit_callbacks
):
    report = report_on(scene, "message")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks() as callbacks:
        services.decide_report(staff=scene.staff, report=report, action="warn", note=WARNING, hide=also_hide)
        assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    [warning] = notifications_of(scene.bidder, "account_warning")
    assert WARNING in warning.body
    assert warning.url == f"{scene.conversation.get_absolute_url()}#message-{scene.bidder_message.pk}"
    [email] = emails_to(scene.bidder)
    assert WARNING in email.body
    assert email.subject == warning.title
    report.refresh_from_db()
    assert (report.status, report.item_hidden, report.decision_note) == (S.WARNED, also_hide, WARNING)
    assert HiddenItem.objects.filter(message=scene.bidder_message).exists() is also_hide
    expected = [(scene.staff.pk, A.WARNED, scene.bidder.pk, report.pk)]
    if also_hide:
        expected.append((scene.staff.pk, A.HIDDEN, scene.bidder.pk, report.pk))
    assert events() == expected
    assert len(notifications_of(scene.owner, "report_outcome")) == 1
    assert scene.bidder.reports_about.get() == report


@pytest.mark.parametrize("kind", KINDS)
def test_a_warning_links_the_author_to_the_item(scene, kind):
    report = report_on(scene, kind)

    services.decide_report(staff=scene.staff, report=report, action="warn", note=WARNING)

    author = scene.person(REPORTABLE[kind][1])
    [warning] = notifications_of(author, "account_warning")
    expected = {
        "project": scene.project.get_absolute_url(),
        "offer": f"{scene.project.get_absolute_url()}#offer-{scene.offer.pk}",
        "message": f"{scene.conversation.get_absolute_url()}#message-{scene.bidder_message.pk}",
        "profile": uri_to_iri(scene.bidder.profile.get_absolute_url()),
    }[kind]
    assert warning.url == expected


def test_a_warning_about_a_long_arabic_profile_address_keeps_the_whole_link(scene, client):
    """Percent-encoded, 40 Arabic letters are 240 characters: the link is stored as the IRI."""
    long_named = freelancer_user("عبد الرحمن بن عبد العزيز آل الشيخ المصمم")
    profile = long_named.profile
    assert len(profile.get_absolute_url()) > 200
    report = services.file_report(reporter=scene.stranger, item=profile, reason=REASON)

    services.decide_report(staff=scene.staff, report=report, action="warn", note=WARNING)

    [warning] = notifications_of(long_named, "account_warning")
    assert warning.url == uri_to_iri(profile.get_absolute_url())
    client.force_login(long_named)
    response = client.get(reverse("notifications:open", args=[warning.pk]))
    assert response.status_code == 302
    assert response["Location"] == profile.get_absolute_url()


@pytest.mark.parametrize("action", ["warn", "suspend"])
@pytest.mark.parametrize("note", ["", "قصير جداً"])
def test_a_warning_or_a_suspension_needs_its_words(scene, action, note):
    report = report_on(scene, "profile")
    before = moderation_state()

    with pytest.raises(DomainError, match="at least 10 characters") as refusal:
        services.decide_report(staff=scene.staff, report=report, action=action, note=note)

    assert refusal.value.field == "note"
    assert moderation_state() == before


def test_suspending_from_a_report_suspends_the_author_and_tells_the_reporter(
    scene, django_capture_on_commit_callbacks
):
    report = report_on(scene, "profile")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_report(
            staff=scene.staff, report=report, action="suspend", note=SUSPENSION_REASON, hide=True
        )

    report.refresh_from_db()
    assert (report.status, report.item_hidden) == (S.SUSPENDED, True)
    suspension = Suspension.objects.get()
    assert (suspension.user, suspension.report, suspension.reason) == (
        scene.bidder,
        report,
        SUSPENSION_REASON,
    )
    assert not User.objects.get(pk=scene.bidder.pk).is_active
    assert [action for _actor, action, _subject, _report in events()] == [A.SUSPENDED, A.HIDDEN]
    [email] = emails_to(scene.stranger)
    assert report.get_absolute_url() in email.body


def test_a_decided_report_cannot_be_decided_again(scene):
    report = report_on(scene, "project")
    services.decide_report(staff=scene.staff, report=report, action="dismiss")
    before = moderation_state()

    with pytest.raises(DomainError, match="already been decided"):
        services.decide_report(staff=scene.staff, report=report, action="hide")

    assert moderation_state() == before


def test_an_unknown_decision_is_refused(scene):
    report = report_on(scene, "project")
    before = moderation_state()

    with pytest.raises(DomainError, match="Choose what to do"):
        services.decide_report(staff=scene.staff, report=report, action="delete")

    assert moderation_state() == before


@pytest.mark.parametrize("role", ["owner", "bidder", "stranger"])
@pytest.mark.parametrize("action", ["dismiss", "hide", "warn", "suspend"])
def test_only_moderators_decide(scene, role, action):
    report = report_on(scene, "profile")
    before = moderation_state()

    with pytest.raises(DomainError, match="Only moderators"):
        services.decide_report(staff=scene.person(role), report=report, action=action, note=WARNING)

    assert moderation_state() == before


def test_a_suspension_that_fails_leaves_no_decision_and_tells_nobody(
    scene, django_capture_on_commit_callbacks
):
    """Staff accounts are not suspended here: the whole decision rolls back, nobody is told."""
    colleague = moderator("مشرف آخر")
    report = services.file_report(reporter=scene.stranger, item=colleague.profile, reason=REASON)
    mail.outbox.clear()
    before = moderation_state()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError, match="Staff accounts"):
        services.decide_report(staff=scene.staff, report=report, action="suspend", note=SUSPENSION_REASON)

    assert moderation_state() == before
    assert mail.outbox == []


# --- Hiding and showing without a report ---------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_show_item_puts_a_hidden_item_back_and_leaves_an_event(scene, kind):
    hidden = services.hide_item(staff=scene.staff, item=scene.item(kind), note="مؤقتاً")

    services.show_item(staff=scene.staff, hidden=hidden, note="راجعناه فلا مخالفة.")

    assert not HiddenItem.objects.exists()
    author = scene.person(REPORTABLE[kind][1])
    assert events() == [
        (scene.staff.pk, A.HIDDEN, author.pk, None),
        (scene.staff.pk, A.SHOWN, author.pk, None),
    ]
    report_on(scene, kind)  # shown again, it can be reported again


def test_hiding_twice_keeps_one_row_and_one_event(scene):
    first = services.hide_item(staff=scene.staff, item=scene.project)

    second = services.hide_item(staff=scene.staff, item=scene.project)

    assert first == second
    assert HiddenItem.objects.count() == 1
    assert ModerationEvent.objects.count() == 1


def test_showing_an_item_that_is_not_hidden_is_refused(scene):
    hidden = services.hide_item(staff=scene.staff, item=scene.project)
    services.show_item(staff=scene.staff, hidden=hidden)
    before = moderation_state()

    with pytest.raises(DomainError, match="not hidden"):
        services.show_item(staff=scene.staff, hidden=hidden)

    assert moderation_state() == before


@pytest.mark.parametrize("role", ["owner", "bidder", "stranger"])
def test_only_moderators_hide_and_show(scene, role):
    hidden = services.hide_item(staff=scene.staff, item=scene.offer)
    before = moderation_state()

    with pytest.raises(DomainError, match="Only moderators"):
        services.hide_item(staff=scene.person(role), item=scene.project)
    with pytest.raises(DomainError, match="Only moderators"):
        services.show_item(staff=scene.person(role), hidden=hidden)

    assert moderation_state() == before

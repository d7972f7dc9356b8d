"""The report pages: the form on each kind of item, "my reports" and a report's page, the staff queue,
the review page that decides, and the suspended accounts. Who may see and change what, and how much
each list costs in queries."""

import html
import re
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mostaql.accounts.models import Profile, User
from mostaql.messaging import services as messaging_services
from mostaql.projects.tests.factories import OfferFactory, ProjectFactory, freelancer_user, moderator
from mostaql.reports import services
from mostaql.reports.models import HiddenItem, ModerationEvent, Report, Suspension
from mostaql.reports.tests.factories import (
    KINDS,
    LIFT_REASON,
    REASON,
    REPORTABLE,
    SUSPENSION_REASON,
    WARNING,
    market,
    moderation_state,
    notifications_of,
    report_on,
)
from mostaql.wallet.tests.lifecycle_helpers import ar

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return market()


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def flashes(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def forget_messages(client) -> None:
    """Drop flash messages not shown yet, so the next response carries only its own."""
    client.cookies.pop("messages", None)


def login_redirect(path: str) -> str:
    return f"/accounts/login/?next={quote(path)}"


def admin_login(path: str) -> str:
    return f"/admin/login/?next={quote(path)}"


def form_url(scene, kind: str) -> str:
    return f"/report/{kind}/{scene.item(kind).pk}/"


def back_of(scene, kind: str) -> str:
    return {
        "project": scene.project.get_absolute_url(),
        "offer": f"{scene.project.get_absolute_url()}#offer-{scene.offer.pk}",
        "message": f"{scene.conversation.get_absolute_url()}#message-{scene.bidder_message.pk}",
        "profile": scene.bidder.profile.get_absolute_url(),
    }[kind]


def assert_rtl_page_with_csrf_forms(response) -> None:
    """The site's layout (Arabic, right to left) and a CSRF token in every POST form."""
    page = response.content.decode()
    assert re.search(r'<html[^>]*lang="ar"[^>]*dir="rtl"', page), page[:300]
    forms = re.findall(r'<form[^>]*method="post"[^>]*>.*?</form>', page, flags=re.S)
    assert forms
    for form in forms:
        assert 'name="csrfmiddlewaretoken"' in form


# --- The report form -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_an_anonymous_visitor_is_sent_to_log_in_before_reporting(client, scene, kind):
    before = moderation_state()

    get = client.get(form_url(scene, kind))
    post = client.post(form_url(scene, kind), {"reason": REASON})

    assert get.status_code == post.status_code == 302
    assert get["Location"] == post["Location"] == login_redirect(form_url(scene, kind))
    assert moderation_state() == before


@pytest.mark.parametrize("kind", KINDS)
def test_the_report_form_shows_the_item_and_sends_the_report(client, scene, kind):
    reporter_role, author_role = REPORTABLE[kind]
    client.force_login(scene.person(reporter_role))

    page = client.get(form_url(scene, kind))
    response = client.post(form_url(scene, kind), {"reason": f"  {REASON}\u202e "})

    assert page.status_code == 200
    assert_rtl_page_with_csrf_forms(page)
    assert 'name="reason"' in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == back_of(scene, kind)
    report = Report.objects.get()
    assert (report.kind, report.item, report.reason) == (kind, scene.item(kind), REASON)
    assert report.author == scene.person(author_role)
    assert [level for level, _text in flashes(response)] == ["success"]


@pytest.mark.parametrize("reason", ["سيء", "\u202e" * 12, "ا" * 2001])
def test_a_reason_too_short_or_too_long_shows_the_form_again_with_the_rule(client, scene, reason):
    client.force_login(scene.stranger)
    before = moderation_state()

    response = client.post(form_url(scene, "project"), {"reason": reason})

    assert response.status_code == 200
    rule = ar("Explain what is wrong in %(min)s to %(max)s characters.") % {"min": 10, "max": "2,000"}
    assert response.context["form"].errors["reason"] == [rule]
    assert moderation_state() == before


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        ("message", "stranger"),
        ("message", "other_bidder"),
        ("message", "staff"),
        ("offer", "stranger"),
        ("offer", "other_bidder"),
    ],
)
def test_reporting_what_one_may_not_see_is_a_404(client, scene, kind, role):
    """A message of someone else's conversation, an offer whose amount one may not read."""
    client.force_login(scene.person(role))
    before = moderation_state()

    get = client.get(form_url(scene, kind))
    post = client.post(form_url(scene, kind), {"reason": REASON})

    assert get.status_code == post.status_code == 404
    assert moderation_state() == before


@pytest.mark.parametrize("path", ["/report/project/999999/", "/report/message/999999/", "/report/user/1/"])
def test_an_id_or_a_kind_that_does_not_exist_is_a_404(client, scene, path):
    client.force_login(scene.stranger)

    assert client.get(path).status_code == 404
    assert client.post(path, {"reason": REASON}).status_code == 404


@pytest.mark.parametrize(
    ("kind", "role"),
    [("project", "owner"), ("offer", "bidder"), ("message", "bidder"), ("profile", "bidder")],
)
def test_ones_own_item_sends_back_with_a_refusal(client, scene, kind, role):
    client.force_login(scene.person(role))
    before = moderation_state()

    get = client.get(form_url(scene, kind))
    forget_messages(client)
    post = client.post(form_url(scene, kind), {"reason": REASON})

    assert get.status_code == post.status_code == 302
    assert get["Location"] == back_of(scene, kind)
    assert flashes(post) == [("error", ar("You cannot report something of your own."))]
    assert moderation_state() == before


def test_a_second_report_on_the_same_item_points_to_the_first(client, scene):
    report = report_on(scene, "profile")
    client.force_login(scene.stranger)
    before = moderation_state()

    page = client.get(form_url(scene, "profile"))
    forget_messages(client)
    post = client.post(form_url(scene, "profile"), {"reason": REASON})

    assert page.status_code == 200
    assert 'name="reason"' not in page.content.decode()
    assert report.get_absolute_url() in page.content.decode()
    assert post.status_code == 302
    assert flashes(post) == [("error", ar("You have already reported this. Our moderators will look at it."))]
    assert moderation_state() == before


def test_the_hourly_limit_is_told_on_the_page(client, scene, settings, django_capture_on_commit_callbacks):
    settings.REPORTS_PER_HOUR = 1
    client.force_login(scene.stranger)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(form_url(scene, "project"), {"reason": REASON})
    forget_messages(client)
    before = moderation_state()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url(scene, "profile"), {"reason": REASON})

    assert response.status_code == 302
    [(level, _text)] = flashes(response)
    assert level == "error"
    assert moderation_state() == before


# --- My reports ----------------------------------------------------------------------------------


def test_my_reports_lists_only_my_own_with_their_outcome(client, scene):
    mine = report_on(scene, "project")
    report_on(scene, "offer")  # the owner's, not mine
    services.decide_report(staff=scene.staff, report=mine, action="hide")
    client.force_login(scene.stranger)

    response = client.get("/reports/")

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [mine]
    assert scene.project.title in text_of(response)
    assert ar("The item was hidden") in text_of(response)


def test_my_reports_is_for_logged_in_people(client):
    assert client.get("/reports/")["Location"] == login_redirect("/reports/")


def test_the_reporter_reads_their_report_and_its_outcome(client, scene):
    report = report_on(scene, "offer")
    services.decide_report(staff=scene.staff, report=report, action="warn", note=WARNING)
    client.force_login(scene.owner)

    response = client.get(report.get_absolute_url())

    assert response.status_code == 200
    assert REASON in text_of(response)
    assert ar("The author was warned") in text_of(response)
    assert WARNING not in text_of(response)  # the warning is the author's to read


@pytest.mark.parametrize("role", ["bidder", "other_bidder", "stranger"])
def test_anyone_but_the_reporter_gets_a_404_on_a_report_whatever_the_id(client, scene, role):
    report = report_on(scene, "offer")
    client.force_login(scene.person(role))

    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get("/reports/999999/").status_code == 404
    assert list(client.get("/reports/").context["page"].object_list) == []


def test_an_anonymous_visitor_is_sent_to_log_in_for_a_report(client, scene):
    report = report_on(scene, "project")

    assert client.get(report.get_absolute_url())["Location"] == login_redirect(report.get_absolute_url())


# --- The staff pages -----------------------------------------------------------------------------


def staff_paths(report: Report, suspension: Suspension, hidden: HiddenItem) -> dict[str, str]:
    return {
        "/staff/reports/": "get",
        f"/staff/reports/{report.pk}/": "post",
        "/staff/hidden/": "get",
        f"/staff/hidden/{hidden.pk}/show/": "post",
        "/staff/suspensions/": "get",
        f"/staff/suspensions/{suspension.pk}/lift/": "post",
    }


@pytest.mark.parametrize("who", ["anonymous", "reporter", "author"])
def test_the_staff_pages_send_everyone_else_to_the_admin_login_and_change_nothing(
    client, scene, who, django_capture_on_commit_callbacks
):
    report = report_on(scene, "project")
    suspension = services.suspend_account(
        staff=scene.staff, user=scene.other_bidder, reason=SUSPENSION_REASON
    )
    hidden = services.hide_item(staff=scene.staff, item=scene.bidder_message)
    if who != "anonymous":
        client.force_login(scene.stranger if who == "reporter" else scene.owner)
    before = moderation_state()

    with django_capture_on_commit_callbacks(execute=True):
        for path, method in staff_paths(report, suspension, hidden).items():
            get = client.get(path)
            assert (get.status_code, get["Location"]) == (302, admin_login(path)), path
            if method == "post":
                body = {"action": "suspend", "note": SUSPENSION_REASON, "reason": LIFT_REASON}
                post = client.post(path, body)
                assert (post.status_code, post["Location"]) == (302, admin_login(path)), path

    assert moderation_state() == before


def test_the_queue_lists_open_reports_with_their_items(client, scene):
    on_project = report_on(scene, "project")
    report_on(scene, "project", reporter=scene.other_bidder)
    on_message = report_on(scene, "message")
    decided = report_on(scene, "profile")
    services.decide_report(staff=scene.staff, report=decided, action="dismiss")
    client.force_login(scene.staff)

    response = client.get("/staff/reports/")

    assert response.status_code == 200
    listed = list(response.context["page"].object_list)
    assert [report.pk for report in listed] == [on_project.pk, on_project.pk + 1, on_message.pk]
    assert [report.reports_on_item for report in listed] == [2, 2, 1]
    page = text_of(response)
    assert scene.project.title in page
    assert scene.bidder_message.body in page
    assert f"/staff/reports/{on_message.pk}/" in page


def test_the_review_page_shows_every_open_report_on_the_item_and_the_authors_record(client, scene):
    first = report_on(scene, "profile")
    report_on(scene, "profile", reporter=scene.owner, reason="صورته الشخصية مسروقة من حساب مصمم آخر معروف.")
    earlier = report_on(scene, "message")
    services.decide_report(staff=scene.staff, report=earlier, action="warn", note=WARNING)
    client.force_login(scene.staff)

    response = client.get(f"/staff/reports/{first.pk}/")

    assert response.status_code == 200
    assert_rtl_page_with_csrf_forms(response)
    page = text_of(response)
    assert REASON in page and "صورته الشخصية مسروقة" in page
    assert scene.bidder.email in page
    assert response.context["warnings"] == 1
    assert len(response.context["same_item"]) == 2


@pytest.mark.parametrize("action", ["dismiss", "hide", "warn", "suspend"])
def test_a_moderator_decides_from_the_review_page(client, scene, action, django_capture_on_commit_callbacks):
    report = report_on(scene, "message")
    client.force_login(scene.staff)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/reports/{report.pk}/", {"action": action, "note": WARNING, "hide": "on"}
        )

    assert response.status_code == 302
    assert response["Location"] == "/staff/reports/"
    report.refresh_from_db()
    assert report.status == services.DECISIONS[action]
    assert report.item_hidden is (action != "dismiss")
    assert len(notifications_of(scene.owner, "report_outcome")) == 1
    assert [email.to for email in mail.outbox if email.to == [scene.owner.email]]
    assert Suspension.objects.filter(user=scene.bidder).exists() is (action == "suspend")
    assert bool(notifications_of(scene.bidder, "account_warning")) is (action == "warn")
    assert report.events.exists()
    assert list(client.get("/staff/reports/").context["page"].object_list) == []


def test_a_warning_without_words_is_refused_on_the_page(client, scene):
    report = report_on(scene, "project")
    client.force_login(scene.staff)
    before = moderation_state()

    response = client.post(f"/staff/reports/{report.pk}/", {"action": "warn", "note": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    assert moderation_state() == before


def test_a_decided_report_shows_its_outcome_without_a_form(client, scene):
    report = report_on(scene, "project")
    services.decide_report(staff=scene.staff, report=report, action="dismiss", note="لا شيء مخالف فيه.")
    client.force_login(scene.staff)
    before = moderation_state()

    page = client.get(f"/staff/reports/{report.pk}/")
    post = client.post(f"/staff/reports/{report.pk}/", {"action": "hide"})

    assert page.status_code == 200
    assert 'name="action"' not in page.content.decode()
    assert "لا شيء مخالف فيه." in text_of(page)
    assert (post.status_code, post["Location"]) == (302, f"/staff/reports/{report.pk}/")
    assert flashes(post) == [("error", ar("This report has already been decided."))]
    assert moderation_state() == before


def test_the_review_page_of_a_report_that_does_not_exist_is_a_404(client, scene):
    client.force_login(scene.staff)

    assert client.get("/staff/reports/999999/").status_code == 404


def test_the_suspended_accounts_page_lists_them_and_lifts_a_suspension(client, scene):
    services.suspend_account(staff=scene.staff, user=scene.owner, reason=SUSPENSION_REASON)
    client.force_login(scene.staff)

    page = client.get("/staff/suspensions/")
    suspension = Suspension.objects.get()
    lift = client.post(f"/staff/suspensions/{suspension.pk}/lift/", {"reason": LIFT_REASON})

    assert page.status_code == 200
    assert_rtl_page_with_csrf_forms(page)
    assert SUSPENSION_REASON in text_of(page) and scene.owner.email in text_of(page)
    assert lift.status_code == 302
    assert User.objects.get(pk=scene.owner.pk).is_active
    assert client.get("/staff/suspensions/").context["suspensions"].count() == 0


def test_lifting_without_a_reason_changes_nothing(client, scene):
    suspension = services.suspend_account(staff=scene.staff, user=scene.owner, reason=SUSPENSION_REASON)
    client.force_login(scene.staff)
    before = moderation_state()

    response = client.post(f"/staff/suspensions/{suspension.pk}/lift/", {"reason": "قصير"})
    again = client.get(f"/staff/suspensions/{suspension.pk}/lift/")

    assert response.status_code == 302
    assert [level for level, _text in flashes(response)] == ["error"]
    assert again.status_code == 405
    assert moderation_state() == before


def test_a_lifted_suspension_cannot_be_lifted_twice(client, scene):
    suspension = services.suspend_account(staff=scene.staff, user=scene.owner, reason=SUSPENSION_REASON)
    services.unsuspend_account(staff=scene.staff, user=scene.owner, reason=LIFT_REASON)
    client.force_login(scene.staff)
    before = moderation_state()

    response = client.post(f"/staff/suspensions/{suspension.pk}/lift/", {"reason": LIFT_REASON})

    assert response.status_code == 404
    assert moderation_state() == before


def test_the_hidden_items_page_lists_them_and_shows_one_again(client, scene):
    services.hide_item(staff=scene.staff, item=scene.project, note="مخالف مؤقتاً")
    report = report_on(scene, "message")
    services.decide_report(staff=scene.staff, report=report, action="hide")
    client.force_login(scene.staff)

    page = client.get("/staff/hidden/")
    message_hidden = HiddenItem.objects.get(kind="message")
    shown = client.post(f"/staff/hidden/{message_hidden.pk}/show/", {"note": "راجعناه بعد الطعن."})

    assert page.status_code == 200
    assert_rtl_page_with_csrf_forms(page)
    assert [item.kind for item in page.context["page"].object_list] == ["message", "project"]
    assert scene.bidder_message.body in text_of(page) and "مخالف مؤقتاً" in text_of(page)
    assert f"/staff/reports/{report.pk}/" in page.content.decode()
    assert (shown.status_code, shown["Location"]) == (302, "/staff/hidden/")
    assert list(HiddenItem.objects.values_list("kind", flat=True)) == ["project"]
    assert report.events.count() == 1  # the hiding; showing is recorded on its own
    assert "shown" in list(ModerationEvent.objects.values_list("action", flat=True))


def test_showing_an_item_already_shown_changes_nothing(client, scene):
    hidden = services.hide_item(staff=scene.staff, item=scene.project)
    services.show_item(staff=scene.staff, hidden=hidden)
    client.force_login(scene.staff)
    before = moderation_state()

    response = client.post(f"/staff/hidden/{hidden.pk}/show/")

    assert response.status_code == 404
    assert moderation_state() == before


# --- What each list costs ------------------------------------------------------------------------


def plain_reports(rounds: int, reporter: User, hide_by: User) -> None:
    """`rounds` reports of each kind, on plain rows (the queue's cost does not depend on the rules);
    each item is also hidden, for the hidden items' list (the queue does not look at that)."""
    for _number in range(rounds):
        offer = OfferFactory(project=ProjectFactory())
        author = offer.project.owner
        conversation = messaging_services.open_conversation(
            project=offer.project, client=author, freelancer=offer.freelancer
        )
        message = messaging_services.send_message(sender=author, conversation=conversation, body="رسالة")
        for item, item_author in [
            (offer.project, author),
            (offer, offer.freelancer),
            (message, author),
            (Profile.objects.get(user=offer.freelancer), offer.freelancer),
        ]:
            Report.objects.create(
                reporter=reporter, author=item_author, reason=REASON, **Report.keys_for(item)
            )
            HiddenItem.objects.create(hidden_by=hide_by, **HiddenItem.keys_for(item))


def queries_for(client, url: str) -> int:
    client.get(url)  # warm the per-process caches out of the count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "who"), [("/staff/reports/", "staff"), ("/reports/", "reporter"), ("/staff/hidden/", "staff")]
)
def test_the_report_lists_cost_the_same_with_4_and_16_items(client, url, who, django_assert_num_queries):
    reporter, staff = freelancer_user("مبلّغ"), moderator()
    client.force_login(staff if who == "staff" else reporter)
    plain_reports(1, reporter, hide_by=staff)
    with_four = queries_for(client, url)
    plain_reports(3, reporter, hide_by=staff)
    client.get(url)

    with django_assert_num_queries(with_four):
        response = client.get(url)

    assert len(response.context["page"].object_list) == 16
    assert with_four <= 8


def test_the_suspended_accounts_page_costs_the_same_with_1_and_5_accounts(client, django_assert_num_queries):
    staff = moderator()
    client.force_login(staff)
    people = [freelancer_user(f"موقوف {number}") for number in range(5)]
    services.suspend_account(staff=staff, user=people[0], reason=SUSPENSION_REASON)
    with_one = queries_for(client, "/staff/suspensions/")
    for person in people[1:]:
        services.suspend_account(staff=staff, user=person, reason=SUSPENSION_REASON)
    client.get("/staff/suspensions/")

    with django_assert_num_queries(with_one):
        response = client.get("/staff/suspensions/")

    assert len(response.context["suspensions"]) == 5


def test_the_menus_lead_to_my_reports_and_moderators_to_the_queue(client, scene):
    client.force_login(scene.stranger)
    member_page = client.get("/dashboard/").content.decode()
    client.force_login(scene.staff)
    staff_page = client.get("/dashboard/").content.decode()

    assert 'href="/reports/"' in member_page and 'href="/staff/reports/"' not in member_page
    assert 'href="/staff/reports/"' in staff_page

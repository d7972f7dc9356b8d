"""The project pages as people use them: post, moderate, read, bid, hire — and who may do what."""

import html
import re
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from mostaql.accounts.tests.factories import UserFactory
from mostaql.catalog.models import Category, Skill
from mostaql.contracts.models import Contract
from mostaql.projects import services
from mostaql.projects.models import Offer, Project
from mostaql.projects.tests.factories import (
    DESCRIPTION,
    OFFER_TEXT,
    ProjectFactory,
    clean_pdf,
    client_user,
    freelancer_user,
    hire,
    moderator,
    open_project,
    pdf_upload,
    place_offer,
    png_upload,
    post_project,
)
from mostaql.projects.tests.support import everything, private_files

S = Project.Status

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def arabic(message_id: str, **values) -> str:
    """The Arabic catalogue's wording of a message; refuses a message the catalogue lacks."""
    with translation.override("ar"):
        translated = gettext(message_id)
    assert translated != message_id, f"no Arabic translation for {message_id!r}"
    return translated % values if values else translated


def assert_sent_to_login(response, path: str) -> None:
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={quote(path)}"


def english(client) -> None:
    client.cookies["django_language"] = "en"


# --- Posting --------------------------------------------------------------------------------------


def project_form_data(**changes) -> dict:
    data = {
        "title": "تطوير متجر إلكتروني متكامل",
        "description": DESCRIPTION,
        "category": str(Category.objects.get(slug="programming").pk),
        "skills": [
            str(pk) for pk in Skill.objects.filter(slug__in=["python", "django"]).values_list("pk", flat=True)
        ],
        "budget": "250-500",
        "duration_days": "30",
    }
    data.update(changes)
    return data


def test_a_client_posts_a_project_with_attachments_and_it_waits_for_review(client):
    owner = client_user()
    client.force_login(owner)

    response = client.post(
        "/projects/new/",
        project_form_data(
            title="\u202eتطوير متجر\u202c إلكتروني متكامل",
            attachments=[pdf_upload("brief.pdf"), png_upload()],
        ),
    )

    project = Project.objects.get()
    assert response.status_code == 302
    assert response.url == f"/projects/{project.pk}/"
    assert (project.owner, project.status, project.title) == (
        owner,
        S.PENDING_REVIEW,
        "تطوير متجر إلكتروني متكامل",
    )
    assert project.budget == "250-500"
    assert set(project.skills.values_list("slug", flat=True)) == {"python", "django"}
    assert sorted(project.attachments.values_list("original_name", flat=True)) == [
        "brief.pdf",
        "sketch.jpg",
    ]  # re-encoded: named for its format
    assert len(private_files()) == 2


def test_a_project_posted_with_auto_approval_is_published_at_once(client, settings):
    settings.PROJECT_AUTO_APPROVE = True
    client.force_login(client_user())

    client.post("/projects/new/", project_form_data())

    assert Project.objects.get().status == S.OPEN


def test_an_unverified_member_is_sent_to_the_email_page_to_post(client):
    client.force_login(UserFactory())
    before = everything()

    for response in (client.get("/projects/new/"), client.post("/projects/new/", project_form_data())):
        assert response.status_code == 302
        assert response.url == reverse("account_email")

    assert everything() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "قصير"}, "title"),
        ({"description": "قصير جداً"}, "description"),
        ({"skills": []}, "skills"),
        ({"budget": "7-8"}, "budget"),
        ({"duration_days": "400"}, "duration_days"),
    ],
    ids=["title", "description", "skills", "budget", "duration"],
)
def test_a_bad_project_form_shows_the_error_in_arabic_and_saves_nothing(client, changes, field):
    client.force_login(client_user())
    before = everything()

    response = client.post("/projects/new/", project_form_data(**changes))

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert 'class="field-errors"' in response.content.decode()
    assert everything() == before


def test_six_attachments_are_refused_by_the_form(client):
    client.force_login(client_user())
    before = everything()

    response = client.post(
        "/projects/new/", project_form_data(attachments=[pdf_upload(f"{number}.pdf") for number in range(6)])
    )

    assert response.status_code == 200
    assert response.context["form"].errors["attachments"]
    assert everything() == before


def test_a_file_that_is_not_an_accepted_kind_is_refused(client):
    client.force_login(client_user())
    before = everything()

    script = SimpleUploadedFile("run.pdf", b"#!/bin/sh\necho hello\n", content_type="application/pdf")
    response = client.post("/projects/new/", project_form_data(attachments=[script]))

    assert response.context["form"].errors["attachments"]
    assert everything() == before


# --- Editing and closing --------------------------------------------------------------------------


def test_the_owner_edits_a_project_without_offers(client):
    project = open_project()
    client.force_login(project.owner)

    assert client.get(f"/projects/{project.pk}/edit/").status_code == 200
    response = client.post(f"/projects/{project.pk}/edit/", project_form_data(title="متجر إلكتروني للعطور"))

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "متجر إلكتروني للعطور"


def test_another_member_gets_a_404_on_the_edit_page(client):
    project = open_project()
    client.force_login(client_user("غريب"))
    before = everything()

    assert client.get(f"/projects/{project.pk}/edit/").status_code == 404
    assert (
        client.post(f"/projects/{project.pk}/edit/", project_form_data(title="عنوان من غريب")).status_code
        == 404
    )

    assert everything() == before


def test_a_project_with_offers_is_not_edited_and_the_owner_is_told_why(client):
    project = open_project()
    place_offer(project)
    client.force_login(project.owner)
    before = everything()

    response = client.post(f"/projects/{project.pk}/edit/", project_form_data(title="عنوان جديد تماماً"))

    assert response.status_code == 200
    assert arabic("A project that has received offers can no longer be edited.") in text_of(response)
    assert everything() == before


@pytest.mark.parametrize("start", ["pending", "open"])
def test_the_owner_closes_the_project(client, start):
    project = post_project() if start == "pending" else open_project()
    client.force_login(project.owner)

    response = client.post(f"/projects/{project.pk}/close/")

    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).status == S.CLOSED


def test_another_member_cannot_close_a_project(client):
    project = open_project()
    client.force_login(client_user("غريب"))
    before = everything()

    assert client.post(f"/projects/{project.pk}/close/").status_code == 404

    assert everything() == before


def test_the_project_page_offers_edit_only_while_there_are_no_offers(client):
    project = open_project()
    client.force_login(project.owner)
    edit_link = f'href="/projects/{project.pk}/edit/"'

    assert edit_link in client.get(f"/projects/{project.pk}/").content.decode()
    place_offer(project)
    assert edit_link not in client.get(f"/projects/{project.pk}/").content.decode()


# --- Moderation -----------------------------------------------------------------------------------


def test_the_moderation_queue_lists_pending_projects_for_staff(client):
    waiting = post_project(title="مشروع ينتظر المراجعة")
    open_project(title="مشروع منشور من قبل")
    client.force_login(moderator())

    response = client.get("/staff/projects/")

    assert response.status_code == 200
    assert list(response.context["projects"]) == [waiting]
    assert "مشروع ينتظر المراجعة" in text_of(response)
    assert "مشروع منشور من قبل" not in text_of(response)


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_the_moderation_pages_send_non_staff_to_the_admin_login(
    client, who, django_capture_on_commit_callbacks
):
    project = post_project()
    if who == "member":
        client.force_login(freelancer_user())
    before = everything()

    with django_capture_on_commit_callbacks(execute=True):
        responses = {
            "/staff/projects/": client.get("/staff/projects/"),
            f"/staff/projects/{project.pk}/approve/": client.post(f"/staff/projects/{project.pk}/approve/"),
            f"/staff/projects/{project.pk}/reject/": client.post(
                f"/staff/projects/{project.pk}/reject/", {"reason": "سبب كاف للرفض هنا"}
            ),
        }

    for path, response in responses.items():
        assert response.status_code == 302
        assert response.url == f"/admin/login/?next={quote(path)}"
    assert everything() == before


def test_a_moderator_approves_and_the_owner_is_emailed(client, django_capture_on_commit_callbacks):
    project = post_project(client_user(email="owner@example.com"))
    client.force_login(moderator())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/projects/{project.pk}/approve/")

    assert response.status_code == 302
    assert response.url == "/staff/projects/"
    project.refresh_from_db()
    assert project.status == S.OPEN
    assert project.published_at is not None
    assert [message.to for message in mail.outbox] == [["owner@example.com"]]


def test_a_moderator_rejects_with_a_reason_the_owner_receives(client, django_capture_on_commit_callbacks):
    project = post_project(client_user(email="owner@example.com"))
    client.force_login(moderator())

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/projects/{project.pk}/reject/", {"reason": "المشروع يطلب عملاً مخالفاً للشروط."})

    project.refresh_from_db()
    assert project.status == S.REJECTED
    assert [message.to for message in mail.outbox] == [["owner@example.com"]]
    assert "المشروع يطلب عملاً مخالفاً للشروط." in mail.outbox[0].body


def test_a_rejection_without_a_real_reason_changes_nothing(client, django_capture_on_commit_callbacks):
    project = post_project()
    client.force_login(moderator())
    before = everything()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/projects/{project.pk}/reject/", {"reason": "لا"})

    assert messages_of(response) == [arabic("Explain the reason to the owner (at least 10 characters).")]
    assert everything() == before


def test_approving_a_project_that_is_not_pending_changes_nothing(client, django_capture_on_commit_callbacks):
    project = open_project()
    client.force_login(moderator())
    before = everything()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/projects/{project.pk}/approve/")

    assert response.status_code == 302
    assert len(messages_of(response)) == 1
    assert everything() == before


def test_the_rejected_owner_reads_the_reason_on_the_project_page(client):
    project = post_project()
    services.reject_project(moderator=moderator(), project=project, reason="ينقص الوصف تحديد المطلوب.")
    client.force_login(project.owner)

    assert "ينقص الوصف تحديد المطلوب." in text_of(client.get(f"/projects/{project.pk}/"))


# --- The project page: who sees what -------------------------------------------------------------

BIDDER_TEXT = "عرض ليلى: سأبني المتجر بجانغو مع اختبارات كاملة وتسليم على مراحل أسبوعية."
RIVAL_TEXT = "عرض خالد: أملك قالباً جاهزاً أعدّله لكم خلال مدة قصيرة وبسعر مناسب جداً."
VIEWERS = ["anonymous", "other_freelancer", "bidder", "owner", "staff"]


@pytest.fixture
def scene():
    """An open project with two offers, and one person of every kind who might look at it."""
    owner = client_user("سامي صاحب المشروع")
    project = open_project(owner, title="متجر إلكتروني للعطور", attachments=[clean_pdf("brief.pdf")])
    bidder, rival = freelancer_user("ليلى المبرمجة"), freelancer_user("خالد المنافس")
    bidder_offer = place_offer(
        project,
        bidder,
        amount_cents=13_700,
        duration_days=17,
        text=BIDDER_TEXT,
        attachments=[clean_pdf("leila-portfolio.pdf")],
    )
    rival_offer = place_offer(
        project,
        rival,
        amount_cents=26_300,
        duration_days=43,
        text=RIVAL_TEXT,
        attachments=[clean_pdf("khaled.pdf")],
    )
    return SimpleNamespace(
        project=project,
        owner=owner,
        bidder=bidder,
        rival=rival,
        bidder_offer=bidder_offer,
        rival_offer=rival_offer,
        other_freelancer=freelancer_user("عمر المتفرج"),
        staff=moderator("منى المشرفة"),
        anonymous=None,
    )


def log_in(client, scene, viewer: str) -> None:
    person = getattr(scene, viewer)
    if person is not None:
        client.force_login(person)


# What of each offer a viewer reads: amount, duration, text and attachments, or nothing of them.
OFFERS_SEEN = {
    "anonymous": set(),
    "other_freelancer": set(),
    "bidder": {"bidder"},
    "owner": {"bidder", "rival"},
    "staff": set(),
}
OFFER_DETAILS = {
    "bidder": ["$137.00", "17 days", BIDDER_TEXT, "leila-portfolio.pdf"],
    "rival": ["$263.00", "43 days", RIVAL_TEXT, "khaled.pdf"],
}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_an_open_project_shows_the_offers_summary_to_all_and_details_per_viewer(client, scene, viewer):
    log_in(client, scene, viewer)
    english(client)

    response = client.get(f"/projects/{scene.project.pk}/")

    page = text_of(response)
    assert response.status_code == 200
    assert response.context["summary"] == {"count": 2, "average_cents": 20_000}
    assert "$200.00" in page  # the average
    assert "ليلى المبرمجة" in page and "خالد المنافس" in page  # who sent them
    assert "brief.pdf" in page  # the project's own attachment
    for author, details in OFFER_DETAILS.items():
        for detail in details:
            assert (detail in page) == (author in OFFERS_SEEN[viewer]), (viewer, detail)


@pytest.mark.parametrize("status", [S.PENDING_REVIEW, S.REJECTED])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_pending_or_rejected_project_is_seen_by_its_owner_and_staff_only(client, scene, viewer, status):
    project = post_project(scene.owner, title="مشروع لم يُنشر بعد", attachments=[clean_pdf("draft.pdf")])
    if status == S.REJECTED:
        services.reject_project(moderator=scene.staff, project=project, reason="سبب الرفض مكتوب هنا.")
    attachment = project.attachments.get()
    log_in(client, scene, viewer)

    page = client.get(f"/projects/{project.pk}/")
    download = client.get(f"/projects/files/{attachment.pk}/")

    expected = 200 if viewer in ("owner", "staff") else 404
    assert (page.status_code, download.status_code) == (expected, expected)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_an_open_projects_attachment_is_served_to_everyone(client, scene, viewer):
    attachment = scene.project.attachments.get()
    log_in(client, scene, viewer)

    response = client.get(f"/projects/files/{attachment.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert 'filename="brief.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("bidder", 200),
        ("owner", 200),
        ("staff", 200),
        ("rival", 404),
        ("other_freelancer", 404),
    ],
)
def test_an_offers_attachment_is_served_to_its_author_the_owner_and_staff(client, scene, viewer, expected):
    attachment = scene.bidder_offer.attachments.get()
    log_in(client, scene, viewer)

    response = client.get(f"/offers/files/{attachment.pk}/")

    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_an_anonymous_visitor_is_sent_to_log_in_for_an_offers_attachment(client, scene):
    attachment = scene.bidder_offer.attachments.get()

    assert_sent_to_login(client.get(f"/offers/files/{attachment.pk}/"), f"/offers/files/{attachment.pk}/")


def test_a_missing_project_is_a_404(client):
    assert client.get("/projects/999999/").status_code == 404
    assert client.get("/projects/files/999999/").status_code == 404


def test_the_client_card_counts_the_owners_projects_and_hire_rate(client):
    owner = client_user("سامي")
    owner.date_joined = owner.date_joined.replace(year=2023, month=3, day=15)
    owner.save(update_fields=["date_joined"])
    project = ProjectFactory(owner=owner)  # open: neither hired nor closed yet
    for status in (S.HIRING, S.IN_PROGRESS, S.COMPLETED, S.CANCELLED):  # four that hired
        ProjectFactory(owner=owner, status=status)
    ProjectFactory(owner=owner, status=S.CLOSED)  # one closed without a hire
    ProjectFactory(owner=owner, status=S.PENDING_REVIEW, published_at=None)  # never published
    ProjectFactory(owner=owner, status=S.REJECTED, published_at=None)
    ProjectFactory(owner=owner, status=S.CLOSED, published_at=None)  # closed before anyone saw it
    ProjectFactory(status=S.CLOSED)  # someone else's
    english(client)

    response = client.get(f"/projects/{project.pk}/")

    assert response.context["client"] == {
        "posted": 6,
        "hired": 4,
        "closed": 1,
        "hire_rate": 80,
        "open": 1,
        "in_progress": 2,  # hired (waiting for funding) and in progress
        "spent_step": "",  # nothing paid yet
    }
    page = text_of(response)
    assert "March 2023" in page
    assert "80%" in page


def test_a_client_who_never_hired_or_closed_has_no_hire_rate_yet(client):
    project = open_project()
    english(client)

    response = client.get(f"/projects/{project.pk}/")

    assert response.context["client"]["hire_rate"] is None
    assert "not enough data yet" in text_of(response)


# --- Offers through the page ----------------------------------------------------------------------


def offer_form_data(**changes) -> dict:
    data = {"amount": "150.00", "duration_days": "10", "text": OFFER_TEXT}
    data.update(changes)
    return data


def test_a_freelancer_sends_an_offer_from_the_project_page(client):
    project = open_project()
    freelancer = freelancer_user()
    client.force_login(freelancer)

    response = client.post(
        f"/projects/{project.pk}/offers/",
        offer_form_data(amount="137.50", attachments=[pdf_upload("cv.pdf")]),
    )

    assert response.status_code == 302
    assert response.url == f"/projects/{project.pk}/"
    offer = Offer.objects.get()
    assert (offer.freelancer, offer.amount_cents, offer.duration_days) == (freelancer, 13_750, 10)
    assert list(offer.attachments.values_list("original_name", flat=True)) == ["cv.pdf"]


def test_a_double_submitted_offer_form_makes_one_offer(client):
    project = open_project()
    client.force_login(freelancer_user())

    first = client.post(f"/projects/{project.pk}/offers/", offer_form_data())
    second = client.post(f"/projects/{project.pk}/offers/", offer_form_data())

    assert first.status_code == 302
    assert second.status_code in (200, 302)
    assert Offer.objects.count() == 1
    assert Project.objects.get(pk=project.pk).offer_count == 1


def test_an_offer_under_the_minimum_is_refused_in_arabic(client):
    project = open_project()
    client.force_login(freelancer_user())
    before = everything()

    response = client.post(f"/projects/{project.pk}/offers/", offer_form_data(amount="24.99"))

    assert response.status_code == 200
    # The minimum is isolated left-to-right, so that it reads $25.00 inside the Arabic sentence.
    assert arabic("The amount must be at least %(minimum)s.", minimum="\u2066$25.00\u2069") in text_of(
        response
    )
    assert everything() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"duration_days": "0"}, "duration_days"), ({"text": "قصير"}, "text"), ({"amount": "abc"}, "amount")],
    ids=["duration", "text", "amount"],
)
def test_a_bad_offer_form_saves_nothing(client, changes, field):
    project = open_project()
    client.force_login(freelancer_user())
    before = everything()

    response = client.post(f"/projects/{project.pk}/offers/", offer_form_data(**changes))

    assert response.context["offer_form"].errors[field]
    assert everything() == before


@pytest.mark.parametrize("case", ["own project", "closed project"])
def test_an_offer_the_rules_refuse_is_explained_in_arabic(client, case):
    project = open_project()
    if case == "own project":
        client.force_login(project.owner)
        message = arabic("You cannot send an offer on your own project.")
    else:
        services.close_project(owner=project.owner, project=project)
        client.force_login(freelancer_user())
        message = arabic("This project is not taking offers.")
    before = everything()

    response = client.post(f"/projects/{project.pk}/offers/", offer_form_data(), follow=True)

    assert everything() == before
    assert message in text_of(response) or message in messages_of(response)


def test_an_offer_on_a_pending_project_is_a_404_for_a_freelancer(client):
    project = post_project()
    client.force_login(freelancer_user())
    before = everything()

    assert client.post(f"/projects/{project.pk}/offers/", offer_form_data()).status_code == 404

    assert everything() == before


def test_the_form_shows_how_many_offers_are_left_this_month(client):
    freelancer = freelancer_user()
    place_offer(ProjectFactory(), freelancer)
    project = open_project()
    client.force_login(freelancer)

    english(client)
    assert "You have 14 offers left this month." in text_of(client.get(f"/projects/{project.pk}/"))
    del client.cookies["django_language"]
    arabic_page = client.get(f"/projects/{project.pk}/")
    assert arabic_page.context["offers_left"] == 14
    quota_line = re.search(r'id="offer".*?<p class="muted">(.*?)</p>', text_of(arabic_page), re.DOTALL)
    assert "14" in quota_line.group(1)


def test_the_last_offer_of_the_month_is_counted_in_the_singular(client, settings):
    settings.OFFERS_PER_MONTH = 2
    freelancer = freelancer_user()
    place_offer(ProjectFactory(), freelancer)
    project = open_project()
    client.force_login(freelancer)
    english(client)

    assert "You have 1 offer left this month." in text_of(client.get(f"/projects/{project.pk}/"))


def test_a_freelancer_without_offers_left_sees_no_form(client, settings):
    settings.OFFERS_PER_MONTH = 1
    freelancer = freelancer_user()
    place_offer(ProjectFactory(), freelancer)
    project = open_project()
    client.force_login(freelancer)
    english(client)

    response = client.get(f"/projects/{project.pk}/")

    assert "You have used all your offers for this month." in text_of(response)
    assert f'action="/projects/{project.pk}/offers/"' not in response.content.decode()


def test_an_unverified_freelancer_is_asked_to_verify_before_bidding(client):
    project = open_project()
    client.force_login(UserFactory())

    response = client.get(f"/projects/{project.pk}/")

    assert arabic("Verify your e-mail address before you send offers.") in text_of(response)
    assert f'action="/projects/{project.pk}/offers/"' not in response.content.decode()


def test_after_withdrawing_the_form_is_not_offered_again(client):
    project = open_project()
    offer = place_offer(project)
    services.withdraw_offer(freelancer=offer.freelancer, offer=offer)
    client.force_login(offer.freelancer)

    response = client.get(f"/projects/{project.pk}/")

    assert f'action="/projects/{project.pk}/offers/"' not in response.content.decode()


def test_the_net_fragment_shows_what_the_freelancer_keeps(client):
    english(client)

    response = client.get("/offers/net/?amount=100")

    assert (
        '<span>You will receive <bdi dir="ltr" class="money">$80.00</bdi> '
        "after the platform's commission of "
        '<bdi dir="ltr" class="money">$20.00</bdi>.</span>'
    ) in text_of(response)


def test_the_net_fragment_is_in_arabic_by_default(client):
    page = text_of(client.get("/offers/net/?amount=100"))

    assert "$80.00" in page and "$20.00" in page
    assert (
        arabic("You will receive %(net)s after the platform's commission of %(commission)s.").split("%")[0]
        in page
    )


@pytest.mark.parametrize("amount", ["", "abc", "-5", "nan", "inf"])
def test_the_net_fragment_asks_for_a_price_when_there_is_none(client, amount):
    english(client)

    response = client.get(f"/offers/net/?amount={amount}")

    assert response.status_code == 200
    assert "Type your price" in text_of(response)


@pytest.mark.parametrize(
    "amount",
    [
        "inf",
        "-inf",
        "1e400",
        "9" * 40,
        "1e999999",
    ],
)
def test_the_net_fragment_survives_absurd_amounts(client, amount):
    assert client.get(f"/offers/net/?amount={amount}").status_code == 200


def test_the_author_edits_an_offer_from_its_page(client):
    offer = place_offer(open_project())
    client.force_login(offer.freelancer)

    assert client.get(f"/offers/{offer.pk}/edit/").status_code == 200
    response = client.post(f"/offers/{offer.pk}/edit/", offer_form_data(amount="99.99", duration_days="4"))

    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.amount_cents, offer.duration_days) == (9_999, 4)


@pytest.mark.parametrize("who", ["other_freelancer", "owner"])
def test_only_the_author_reaches_an_offers_edit_and_withdraw(client, who):
    offer = place_offer(open_project())
    client.force_login(offer.project.owner if who == "owner" else freelancer_user())
    before = everything()

    assert client.get(f"/offers/{offer.pk}/edit/").status_code == 404
    assert client.post(f"/offers/{offer.pk}/edit/", offer_form_data(amount="30")).status_code == 404
    assert client.post(f"/offers/{offer.pk}/withdraw/").status_code == 404

    assert everything() == before


def test_the_author_withdraws_an_offer(client):
    offer = place_offer(open_project())
    client.force_login(offer.freelancer)

    response = client.post(f"/offers/{offer.pk}/withdraw/")

    assert response.status_code == 302
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.WITHDRAWN


def test_after_a_hire_the_author_can_neither_edit_nor_withdraw(client):
    project = open_project()
    hired, other = place_offer(project), place_offer(project)
    hire(hired)
    client.force_login(other.freelancer)
    before = everything()

    edit = client.post(f"/offers/{other.pk}/edit/", offer_form_data(amount="30"))
    withdraw = client.post(f"/offers/{other.pk}/withdraw/")

    assert arabic("This offer can no longer be changed.") in text_of(edit)
    assert messages_of(withdraw) == [arabic("This offer can no longer be changed.")]
    assert everything() == before


# --- Hiring through the page ----------------------------------------------------------------------


def test_the_owner_hires_from_the_project_page_and_lands_on_the_contract(client, scene):
    client.force_login(scene.owner)

    response = client.post(f"/offers/{scene.bidder_offer.pk}/hire/", {"confirmed": "1"})

    contract = Contract.objects.get()
    assert response.status_code == 302
    assert response.url == f"/contracts/{contract.pk}/"
    assert (contract.freelancer, contract.amount_cents, contract.duration_days) == (scene.bidder, 13_700, 17)
    assert Project.objects.get(pk=scene.project.pk).status == S.HIRING


@pytest.mark.parametrize("viewer", ["other_freelancer", "bidder", "rival", "staff"])
def test_nobody_but_the_owner_can_hire(client, scene, viewer, django_capture_on_commit_callbacks):
    log_in(client, scene, viewer)
    before = everything()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/offers/{scene.bidder_offer.pk}/hire/", {"confirmed": "1"})

    assert response.status_code == 404
    assert everything() == before


def test_a_second_hire_from_the_page_is_refused_with_a_message(client, scene):
    hire(scene.bidder_offer)
    client.force_login(scene.owner)
    before = everything()

    response = client.post(f"/offers/{scene.rival_offer.pk}/hire/", {"confirmed": "1"})

    assert response.status_code == 302
    assert response.url == f"/projects/{scene.project.pk}/"
    assert len(messages_of(response)) == 1
    assert everything() == before


def test_a_project_in_hiring_shows_no_offer_form_and_no_hire_buttons(client, scene):
    hire(scene.bidder_offer)

    client.force_login(scene.other_freelancer)
    seen_by_other = client.get(f"/projects/{scene.project.pk}/").content.decode()
    client.force_login(scene.owner)
    seen_by_owner = client.get(f"/projects/{scene.project.pk}/").content.decode()

    assert f'action="/projects/{scene.project.pk}/offers/"' not in seen_by_other
    assert "/hire/" not in seen_by_owner
    assert f'href="/contracts/{scene.bidder_offer.contract.pk}/"' in seen_by_owner


# --- Anonymous visitors are sent to log in and come back ------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/projects/new/"),
        ("post", "/projects/new/"),
        ("post", "/projects/{project}/edit/"),
        ("post", "/projects/{project}/close/"),
        ("post", "/projects/{project}/offers/"),
        ("post", "/offers/{offer}/edit/"),
        ("post", "/offers/{offer}/withdraw/"),
        ("post", "/offers/{offer}/hire/"),
        ("get", "/dashboard/projects/"),
        ("get", "/dashboard/offers/"),
    ],
)
def test_an_anonymous_visitor_is_sent_to_log_in_and_nothing_changes(client, scene, method, path):
    path = path.format(project=scene.project.pk, offer=scene.bidder_offer.pk)
    before = everything()

    response = client.post(path, offer_form_data()) if method == "post" else client.get(path)

    assert_sent_to_login(response, path)
    assert everything() == before


def test_after_logging_in_the_bidder_comes_back_to_the_project(client):
    project = open_project()
    login = client.post(f"/projects/{project.pk}/offers/", offer_form_data())
    client.force_login(freelancer_user())

    back = client.get(login.url.split("next=")[1])

    assert back.status_code == 302
    assert back.url == f"/projects/{project.pk}/"


def test_the_project_page_shows_an_anonymous_visitor_a_login_link_back_to_the_form(client):
    project = open_project()

    page = client.get(f"/projects/{project.pk}/").content.decode()

    assert f"/accounts/login/?next=/projects/{project.pk}/%23offer" in page

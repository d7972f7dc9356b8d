"""Invitations and private projects (issue 13): who may invite whom, what the invited freelancer gets,
and a private project that nobody else can find or open."""

import html

import pytest
from django.core import mail
from django.core.cache import cache
from django.db.models import Max
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

from mostaql.accounts.selectors import suggested_freelancers
from mostaql.api.tests.support import ApiClient, assert_error
from mostaql.catalog.models import Category
from mostaql.core.exceptions import DomainError
from mostaql.notifications.models import EmailPreference, Notification, NotificationSettings
from mostaql.projects import selectors, services
from mostaql.projects.models import Invitation, Offer, Project, ProjectEvent
from mostaql.projects.tests.factories import (
    DESCRIPTION,
    clean_pdf,
    client_user,
    freelancer_user,
    moderator,
    open_project,
    place_offer,
    post_project,
    skills,
)
from mostaql.projects.tests.support import everything
from mostaql.reviews import services as review_services
from mostaql.reviews.models import CRITERIA, Direction
from mostaql.wallet.tests.factories import completed_contract

pytestmark = pytest.mark.django_db
S = Project.Status


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def invite(project: Project, freelancer, owner=None) -> Invitation:
    return services.invite_freelancer(owner=owner or project.owner, project=project, freelancer=freelancer)


def private_project(owner=None, **changes) -> Project:
    return open_project(owner, is_private=True, **changes)


def notifications_of(person) -> list[Notification]:
    return list(Notification.objects.filter(user=person).order_by("pk"))


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run an action as a request would: committed, its on-commit e-mails sent."""

    def run(action):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


# --- Inviting --------------------------------------------------------------------------------------


def test_the_invited_freelancer_is_told_in_their_own_language(committed):
    project = open_project(title="تصميم هوية بصرية لمقهى")
    freelancer = freelancer_user("ريم")
    NotificationSettings.objects.create(user=freelancer, language="en")

    invitation = committed(lambda: invite(project, freelancer))

    assert invitation.project == project and invitation.freelancer == freelancer
    [notification] = notifications_of(freelancer)
    assert notification.kind == "invited"
    assert notification.url == project.get_absolute_url()
    assert notification.title == f"{project.owner.name} invites you to send an offer: {project.title}"
    assert "تصميم هوية بصرية لمقهى" in notification.titles["ar"]
    assert "يدعوك" in notification.titles["ar"]
    [email] = mail.outbox
    assert email.to == [freelancer.email]
    assert "does not count against your monthly offers" in email.body
    assert ProjectEvent.objects.filter(project=project, action="invited", note=str(freelancer.pk)).exists()


def test_a_freelancer_who_switched_invitation_emails_off_still_sees_the_notification(committed):
    project = open_project()
    freelancer = freelancer_user()
    EmailPreference.objects.create(user=freelancer, kind="invited")

    committed(lambda: invite(project, freelancer))

    assert [n.kind for n in notifications_of(freelancer)] == ["invited"]
    assert mail.outbox == []


def refused(action, message_id: str, **values) -> str:
    """The action is refused with this message, and nothing is written: no row, no notification, no
    e-mail, no event."""
    before = everything()
    invitations = Invitation.objects.count()
    last_notification = Notification.objects.aggregate(last=Max("pk"))["last"]
    with pytest.raises(DomainError) as refusal:
        action()
    assert everything() == before
    assert Invitation.objects.count() == invitations
    assert Notification.objects.aggregate(last=Max("pk"))["last"] == last_notification
    assert refusal.value.message == gettext(message_id) % values if values else gettext(message_id)
    return refusal.value.message


def test_inviting_yourself_is_refused():
    project = open_project()
    refused(lambda: invite(project, project.owner), "You cannot invite yourself.")


def test_inviting_a_suspended_account_is_refused():
    project = open_project()
    suspended = freelancer_user(is_active=False)
    refused(lambda: invite(project, suspended), "This account is suspended: it cannot be invited.")


def test_inviting_someone_who_does_not_work_as_a_freelancer_is_refused():
    project = open_project()
    other_client = client_user("سلمى")
    refused(
        lambda: invite(project, other_client),
        "%(name)s does not work as a freelancer here, so cannot be invited.",
        name="سلمى",
    )


def test_inviting_twice_is_refused():
    project = open_project()
    freelancer = freelancer_user("هادي")
    invite(project, freelancer)
    refused(
        lambda: invite(project, freelancer),
        "You have already invited %(name)s to this project.",
        name="هادي",
    )


def test_inviting_someone_who_already_sent_an_offer_is_refused():
    project = open_project()
    freelancer = freelancer_user("نور")
    place_offer(project, freelancer)
    refused(
        lambda: invite(project, freelancer),
        "%(name)s has already sent an offer on this project.",
        name="نور",
    )


def test_inviting_to_someone_elses_project_is_refused():
    project = open_project()
    stranger = client_user("غريب")
    refused(
        lambda: invite(project, freelancer_user(), owner=stranger),
        "Only the project's owner can invite freelancers to it.",
    )


@pytest.mark.parametrize("status", [S.PENDING_REVIEW, S.CLOSED])
def test_inviting_to_a_project_that_is_not_open_is_refused(status):
    project = post_project()
    if status == S.CLOSED:
        services.close_project(owner=project.owner, project=project)
    refused(lambda: invite(project, freelancer_user()), "Only an open project can take invitations.")


# --- The offer on an invitation and the monthly quota ----------------------------------------------


@override_settings(OFFERS_PER_MONTH=1)
def test_an_offer_on_an_invitation_does_not_use_the_monthly_quota():
    freelancer = freelancer_user()
    project = open_project()
    invite(project, freelancer)

    offer = place_offer(project, freelancer)

    assert offer.is_invited
    assert services.offers_left_this_month(freelancer) == 1
    place_offer(open_project(), freelancer)  # the one of the month, still there
    assert services.offers_left_this_month(freelancer) == 0


@override_settings(OFFERS_PER_MONTH=1)
def test_a_freelancer_out_of_offers_may_still_answer_an_invitation():
    freelancer = freelancer_user()
    place_offer(open_project(), freelancer)
    assert services.offers_left_this_month(freelancer) == 0
    invited_to = open_project()
    invite(invited_to, freelancer)

    offer = place_offer(invited_to, freelancer)

    assert offer.is_invited and offer.status == Offer.Status.SUBMITTED
    with pytest.raises(DomainError):  # an uninvited project still needs the quota
        place_offer(open_project(), freelancer)


def test_only_the_invited_may_send_an_offer_on_a_private_project():
    project = private_project()
    stranger = freelancer_user("غير مدعو")
    refused(
        lambda: place_offer(project, stranger),
        "This project is private: only the freelancers its owner invited can send offers.",
    )
    invited = freelancer_user("مدعو")
    invite(project, invited)
    assert place_offer(project, invited).is_invited


# --- A private project: never listed, a 404 for everyone not allowed -------------------------------


@pytest.fixture
def scene():
    owner = client_user("صاحبة المشروع السري")
    project = private_project(owner, title="مشروع سري لتطوير تطبيق توصيل")
    public = open_project(owner, title="مشروع عام لتطوير تطبيق توصيل")
    invited, other = freelancer_user("المدعو"), freelancer_user("غير المدعو")
    invite(project, invited)
    cache.clear()
    return {
        "project": project,
        "public": public,
        "people": {
            "anonymous": None,
            "other": other,
            "invited": invited,
            "owner": owner,
            "staff": moderator("مشرفة"),
        },
    }


SEES = {"anonymous": False, "other": False, "invited": True, "owner": True, "staff": True}


@pytest.mark.parametrize("who", list(SEES))
def test_a_private_project_page_and_api_detail_are_a_404_for_everyone_not_allowed(client, scene, who):
    project, person = scene["project"], scene["people"][who]
    if person is not None:
        client.force_login(person)
    expected = 200 if SEES[who] else 404

    assert client.get(f"/projects/{project.pk}/").status_code == expected
    api = ApiClient(person)
    response = api.get(f"/api/v1/projects/{project.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["is_private"] is True
    else:
        assert_error(response, 404, "not_found")


@pytest.mark.parametrize("who", list(SEES))
def test_a_private_project_is_never_listed_searched_or_in_the_sitemap(client, scene, who):
    project, public, person = scene["project"], scene["public"], scene["people"][who]
    if person is not None:
        client.force_login(person)

    listed = text_of(client.get("/projects/"))
    searched = text_of(client.get("/projects/", {"q": "تطبيق توصيل"}))
    home = text_of(client.get("/"))
    sitemap = client.get("/sitemap-projects.xml")
    sitemap_text = b"".join(sitemap.streaming_content if sitemap.streaming else [sitemap.content]).decode()
    api_list = ApiClient(person).get("/api/v1/projects/").json()
    api_search = ApiClient(person).get("/api/v1/projects/?q=تطبيق توصيل").json()

    shown, hidden = f'href="/projects/{public.pk}/"', f'href="/projects/{project.pk}/"'
    assert shown in listed and hidden not in listed
    assert shown in searched and hidden not in searched  # the titles come with <mark>s here
    assert shown in home and hidden not in home
    assert f"/projects/{public.pk}/" in sitemap_text and f"/projects/{project.pk}/" not in sitemap_text
    assert [item["id"] for item in api_list["items"]] == [public.pk]
    assert [item["id"] for item in api_search["items"]] == [public.pk]


def test_the_public_list_selector_holds_the_rule():
    private, public = private_project(), open_project()
    assert list(selectors.public_projects()) == [public]
    assert private not in list(selectors.open_projects(query="متجر"))


def test_a_private_projects_attachment_is_a_404_for_the_uninvited(client):
    project = private_project(attachments=[clean_pdf()])
    attachment = project.attachments.get()
    url = f"/projects/files/{attachment.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(freelancer_user())
    assert client.get(url).status_code == 404
    invited = freelancer_user("مدعوة")
    invite(project, invited)
    client.force_login(invited)
    assert client.get(url).status_code == 200


def test_the_uninvited_cannot_post_an_offer_on_a_private_project_by_its_address(client):
    project = private_project()
    client.force_login(freelancer_user())
    before = everything()

    response = client.post(f"/projects/{project.pk}/offers/", {"amount": "100", "duration_days": "5"})

    assert response.status_code == 404
    assert everything() == before


def test_reviews_of_a_private_project_do_not_name_it_on_the_profile_or_the_public_api(client):
    contract = completed_contract()
    Project.objects.filter(pk=contract.project_id).update(is_private=True)  # as if posted private
    title = Project.objects.get(pk=contract.project_id).title
    for author, direction in (
        (contract.client, Direction.CLIENT_TO_FREELANCER),
        (contract.freelancer, Direction.FREELANCER_TO_CLIENT),
    ):
        review_services.write_review(
            author=author,
            contract=contract,
            scores={criterion.field: 5 for criterion in CRITERIA[direction]},
            comment="عمل ممتاز وتعامل راقٍ، أنصح به.",
        )
    slug = contract.freelancer.profile.slug

    profile = text_of(client.get(contract.freelancer.profile.get_absolute_url()))
    reviews = ApiClient().get(f"/api/v1/profiles/{slug}/reviews/").json()["items"]

    assert "عمل ممتاز" in profile and title not in profile
    assert [review["project_title"] for review in reviews] == [""]


def test_a_private_project_page_is_not_indexed(client):
    project = private_project()
    client.force_login(project.owner)
    page = text_of(client.get(f"/projects/{project.pk}/"))
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "JobPosting" not in page


# --- The pages -------------------------------------------------------------------------------------


def test_posting_a_private_project_through_the_form(client, settings):
    settings.PROJECT_AUTO_APPROVE = True
    owner = client_user()
    client.force_login(owner)
    response = client.post(
        "/projects/new/",
        {
            "title": "مشروع خاص لتصميم شعار",
            "description": DESCRIPTION,
            "category": Category.objects.get(slug="programming").pk,
            "skills": [skill.pk for skill in skills("python")],
            "budget": "250-500",
            "duration_days": "10",
            "is_private": "on",
        },
    )

    project = Project.objects.get(owner=owner)
    assert response.status_code == 302
    assert project.is_private and project.status == S.OPEN
    assert list(selectors.public_projects()) == []


def test_the_owner_sees_suggested_freelancers_matched_by_skills_and_invites_one(client):
    project = open_project(skills=skills("python", "django"))
    both = freelancer_user("يعرف الاثنتين")
    both.profile.skills.set(skills("python", "django"))
    one = freelancer_user("يعرف واحدة")
    one.profile.skills.set(skills("python"))
    unrelated = freelancer_user("لا علاقة")
    unrelated.profile.skills.set(skills("photoshop"))
    a_client = client_user("عميل آخر")
    a_client.profile.skills.set(skills("python"))
    client.force_login(project.owner)

    response = client.get(f"/projects/{project.pk}/")

    suggested = [profile.user for profile in response.context["suggested"]]
    assert suggested == [both, one]
    response = client.post(f"/projects/{project.pk}/invitations/", {"freelancer": both.profile.slug})
    assert response.status_code == 302
    assert Invitation.objects.filter(project=project, freelancer=both).exists()
    after = client.get(f"/projects/{project.pk}/")
    assert [profile.user for profile in after.context["suggested"]] == [one]
    assert [invitation.freelancer for invitation in after.context["invitations"]] == [both]


def test_visitors_and_other_people_see_no_suggestions_and_cannot_invite(client):
    project = open_project(skills=skills("python"))
    freelancer = freelancer_user()
    freelancer.profile.skills.set(skills("python"))

    assert client.get(f"/projects/{project.pk}/").context["suggested"] is None
    stranger = client_user("غريب")
    client.force_login(stranger)
    assert client.get(f"/projects/{project.pk}/").context["suggested"] is None
    before = everything()
    response = client.post(f"/projects/{project.pk}/invitations/", {"freelancer": freelancer.profile.slug})
    assert response.status_code == 404
    assert everything() == before and not Invitation.objects.exists()


def test_a_refused_invitation_on_the_page_says_why(client):
    project = open_project()
    client.force_login(project.owner)
    response = client.post(
        f"/projects/{project.pk}/invitations/", {"freelancer": project.owner.profile.slug}, follow=True
    )
    assert gettext("You cannot invite yourself.") in text_of(response)
    assert not Invitation.objects.exists()


def test_inviting_from_a_profile_picks_one_of_your_open_projects(client):
    owner = client_user()
    first, second = open_project(owner, title="المشروع الأول للدعوة"), open_project(owner)
    post_project(owner, title="مشروع ينتظر المراجعة")  # not open: not offered
    freelancer = freelancer_user("سمر")
    client.force_login(owner)
    url = f"/freelancers/{freelancer.profile.slug}/invite/"

    page = client.get(url)
    assert [choice[0] for choice in page.context["form"].fields["project"].choices] == [second.pk, first.pk]
    response = client.post(url, {"project": first.pk})

    assert response.status_code == 302
    assert Invitation.objects.get().project == first
    again = client.post(url, {"project": first.pk})
    assert again.status_code == 200
    assert gettext("You have already invited %(name)s to this project.") % {"name": "سمر"} in text_of(again)
    assert Invitation.objects.count() == 1


def test_inviting_from_a_profile_to_someone_elses_project_is_refused(client):
    someone_elses = open_project()
    owner = client_user()
    open_project(owner)
    freelancer = freelancer_user()
    client.force_login(owner)

    response = client.post(f"/freelancers/{freelancer.profile.slug}/invite/", {"project": someone_elses.pk})

    assert response.status_code == 200  # the form refuses a project that is not among yours
    assert "project" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_the_invite_page_of_a_suspended_or_unknown_person_is_a_404(client):
    client.force_login(client_user())
    suspended = freelancer_user(is_active=False)
    assert client.get(f"/freelancers/{suspended.profile.slug}/invite/").status_code == 404
    assert client.get("/freelancers/nobody-here/invite/").status_code == 404


def test_the_invite_page_asks_a_visitor_to_log_in(client):
    freelancer = freelancer_user()
    response = client.get(f"/freelancers/{freelancer.profile.slug}/invite/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_invited_freelancer_sees_the_invitation_on_the_project_their_list_and_dashboard(client, settings):
    settings.OFFERS_PER_MONTH = 1
    project = private_project(title="مشروع خاص لمتجر الورد")
    freelancer = freelancer_user()
    place_offer(open_project(), freelancer)  # the month's quota is used up
    invite(project, freelancer)
    client.force_login(freelancer)

    page = client.get(f"/projects/{project.pk}/")
    assert page.context["is_invited"] and page.context["can_bid"]
    assert 'id="offer"' in text_of(page) and "offer_form" in page.context
    listed = text_of(client.get("/dashboard/invitations/"))
    assert project.title in listed
    dashboard = text_of(client.get("/dashboard/"))
    assert project.title in dashboard

    place_offer(project, freelancer)
    listed = client.get("/dashboard/invitations/")
    assert [invitation.has_offered for invitation in listed.context["page"].object_list] == [True]
    assert 'id="invitations"' not in text_of(client.get("/dashboard/"))  # answered: no longer waiting


def test_my_invitations_is_mine_only(client):
    project = open_project(title="مشروع لمستقل بعينه")
    invite(project, freelancer_user())
    client.force_login(freelancer_user("آخر"))
    assert project.title not in text_of(client.get("/dashboard/invitations/"))


@pytest.mark.parametrize("count", [2, 8])
def test_my_invitations_page_costs_the_same_with_2_and_8(client, count, django_assert_num_queries):
    freelancer = freelancer_user()
    for _ in range(count):
        invite(open_project(client_user()), freelancer)
    client.force_login(freelancer)
    client.get("/dashboard/invitations/")
    # the user, the count, the page (projects, owners, categories in one), the identity badges, and the
    # header's bell and avatar
    with django_assert_num_queries(6):
        response = client.get("/dashboard/invitations/")
    assert len(response.context["page"].object_list) == count


def test_suggestions_cost_the_same_with_3_and_12_candidates(django_assert_num_queries):
    project = open_project(skills=skills("python", "django"))
    project.skill_ids = [skill.pk for skill in project.skills.all()]

    def add(number):
        for _ in range(number):
            person = freelancer_user()
            person.profile.skills.set(skills("python"))

    add(3)
    with django_assert_num_queries(2):
        few = selectors_suggested(project)
    add(9)
    with django_assert_num_queries(2):
        many = selectors_suggested(project)
    assert len(few) == 3 and len(many) == 6
    assert all(profile.matching_skills == 1 for profile in many)


def selectors_suggested(project):
    """The suggestions with everything their cards read (skills, reputation) touched."""
    profiles = suggested_freelancers(skill_ids=project.skill_ids, limit=6)
    for profile in profiles:
        list(profile.skills.all())
        getattr(profile.user, "reputation", None)
    return profiles


# --- The API ---------------------------------------------------------------------------------------


def test_inviting_through_the_api_and_reading_my_invitations():
    project = private_project()
    freelancer = freelancer_user("عبير")

    created = ApiClient(project.owner).post(
        f"/api/v1/projects/{project.pk}/invitations/", {"freelancer_id": freelancer.pk}
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["project"] == {"id": project.pk, "title": project.title}
    assert body["freelancer"]["id"] == freelancer.pk and body["client"]["id"] == project.owner_id
    assert body["project_is_private"] is True and body["has_offered"] is False
    mine = ApiClient(freelancer).get("/api/v1/me/invitations/").json()
    assert [item["id"] for item in mine["items"]] == [body["id"]]
    theirs = ApiClient(project.owner).get(f"/api/v1/projects/{project.pk}/invitations/").json()
    assert [item["freelancer"]["id"] for item in theirs["items"]] == [freelancer.pk]
    assert ApiClient(freelancer).get(f"/api/v1/projects/{project.pk}/").status_code == 200
    sent = ApiClient(freelancer).post(
        f"/api/v1/projects/{project.pk}/offers/",
        {"amount_cents": 10_000, "duration_days": 7, "text": "عرض مفصل لمشروعك الخاص، أسلمه كاملاً في أسبوع."},
    )
    assert sent.status_code == 201, sent.content
    assert ApiClient(freelancer).get("/api/v1/me/invitations/").json()["items"][0]["has_offered"] is True


@pytest.mark.parametrize(
    ("target", "message_id"),
    [
        ("self", "You cannot invite yourself."),
        ("suspended", "This account is suspended: it cannot be invited."),
    ],
)
def test_api_refusals_are_409_with_nothing_written(target, message_id):
    project = open_project()
    person = project.owner if target == "self" else freelancer_user(is_active=False)
    before = everything()

    response = ApiClient(project.owner).post(
        f"/api/v1/projects/{project.pk}/invitations/", {"freelancer_id": person.pk}, language="en"
    )

    body = assert_error(response, 409)
    assert body["message"] == message_id
    assert everything() == before and not Invitation.objects.exists()


def test_api_invitation_to_an_unknown_person_or_someone_elses_project():
    project = open_project()
    response = ApiClient(project.owner).post(
        f"/api/v1/projects/{project.pk}/invitations/", {"freelancer_id": 999_999}
    )
    assert_error(response, 422, "invalid_input")
    stranger = client_user()
    response = ApiClient(stranger).post(
        f"/api/v1/projects/{project.pk}/invitations/", {"freelancer_id": freelancer_user().pk}
    )
    assert_error(response, 404, "not_found")
    assert not Invitation.objects.exists()


def test_api_posts_a_private_project():
    owner = client_user()
    response = ApiClient(owner).post(
        "/api/v1/projects/",
        {
            "title": "مشروع خاص عبر الواجهة",
            "description": DESCRIPTION,
            "category": "programming",
            "skills": ["python"],
            "budget": "250-500",
            "duration_days": 30,
            "is_private": True,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["is_private"] is True
    assert Project.objects.get(pk=response.json()["id"]).is_private


def test_every_new_message_has_its_arabic_translation():
    for message_id in (
        "You cannot invite yourself.",
        "This account is suspended: it cannot be invited.",
        "Only an open project can take invitations.",
        "Only the project's owner can invite freelancers to it.",
        "This project is private: only the freelancers its owner invited can send offers.",
        "Private project",
        "Suggested freelancers",
        "Verified identity",
        "My invitations",
        "Invite to a project",
        "A client invites me to send an offer",
    ):
        with translation.override("ar"):
            assert gettext(message_id) != message_id, message_id


def test_a_project_without_skills_gets_no_suggestions(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert suggested_freelancers(skill_ids=[]) == []

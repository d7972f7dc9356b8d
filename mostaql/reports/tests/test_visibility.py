"""What hiding does to the other apps' pages, and what showing again restores: a hidden project leaves
/projects/ and its page 404s for everyone but its owner (and moderators); a hidden offer leaves the
bidder list; a hidden message reads "hidden by the moderators"; a hidden profile leaves /freelancers/
and /u/<slug>/ 404s. A suspended account's profile and offers leave the public pages too."""

import html

import pytest

from mostaql.reports import services
from mostaql.reports.models import HiddenItem
from mostaql.reports.tests.factories import SUSPENSION_REASON, market, report_on
from mostaql.wallet.tests.lifecycle_helpers import ar

pytestmark = pytest.mark.django_db

HIDDEN_MESSAGE = "This message was hidden by the moderators."


@pytest.fixture
def scene():
    return market()


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def hide_through_a_report(scene, kind: str) -> HiddenItem:
    report = report_on(scene, kind)
    services.decide_report(staff=scene.staff, report=report, action="hide")
    return HiddenItem.objects.get(kind=kind)


def test_a_hidden_project_leaves_the_list_and_its_page_is_a_404_except_for_its_owner(
    client, scene, django_capture_on_commit_callbacks
):
    assert scene.project.title in text_of(client.get("/projects/"))  # the cached list is warm
    with django_capture_on_commit_callbacks(execute=True):  # the cached list is retired on commit
        hidden = hide_through_a_report(scene, "project")
    page = scene.project.get_absolute_url()

    assert scene.project.title not in text_of(client.get("/projects/"))
    assert client.get(page).status_code == 404
    for role, status in [("stranger", 404), ("bidder", 404), ("owner", 200), ("staff", 200)]:
        client.force_login(scene.person(role))
        assert client.get(page).status_code == status, role
    client.logout()

    with django_capture_on_commit_callbacks(execute=True):
        services.show_item(staff=scene.staff, hidden=hidden)

    assert scene.project.title in text_of(client.get("/projects/"))
    assert client.get(page).status_code == 200


def test_a_hidden_offer_leaves_the_bidder_list_for_everyone(client, scene):
    page = scene.project.get_absolute_url()
    hidden = hide_through_a_report(scene, "offer")

    for role in ["owner", "bidder", "stranger"]:
        client.force_login(scene.person(role))
        response = client.get(page)
        assert f'id="offer-{scene.offer.pk}"' not in response.content.decode(), role
        assert f'id="offer-{scene.other_offer.pk}"' in response.content.decode(), role

    services.show_item(staff=scene.staff, hidden=hidden)

    client.force_login(scene.owner)
    assert f'id="offer-{scene.offer.pk}"' in client.get(page).content.decode()


@pytest.mark.parametrize("side", ["owner", "bidder"])
def test_a_hidden_message_reads_hidden_by_the_moderators_on_both_sides(client, scene, side):
    hidden = hide_through_a_report(scene, "message")
    client.force_login(scene.person(side))

    conversation = text_of(client.get(scene.conversation.get_absolute_url()))
    inbox = text_of(client.get("/messages/"))

    assert scene.bidder_message.body not in conversation
    assert ar(HIDDEN_MESSAGE) in conversation
    assert scene.owner_message.body in conversation
    assert scene.bidder_message.body[:40] not in inbox  # nor in the inbox's preview of the last message

    services.show_item(staff=scene.staff, hidden=hidden)

    assert scene.bidder_message.body in text_of(client.get(scene.conversation.get_absolute_url()))


def test_a_hidden_profile_leaves_the_directory_and_its_page_is_a_404(client, scene):
    profile = scene.bidder.profile
    assert profile.get_absolute_url() in client.get("/freelancers/").content.decode()
    hidden = hide_through_a_report(scene, "profile")

    assert profile.get_absolute_url() not in client.get("/freelancers/").content.decode()
    assert client.get(profile.get_absolute_url()).status_code == 404
    client.force_login(scene.bidder)
    assert client.get(profile.get_absolute_url()).status_code == 404

    services.show_item(staff=scene.staff, hidden=hidden)

    assert client.get(profile.get_absolute_url()).status_code == 200
    assert profile.get_absolute_url() in client.get("/freelancers/").content.decode()


def test_a_suspended_freelancer_leaves_the_directory_and_the_bidder_list(client, scene):
    services.suspend_account(staff=scene.staff, user=scene.bidder, reason=SUSPENSION_REASON)
    profile = scene.bidder.profile

    assert client.get(profile.get_absolute_url()).status_code == 404
    assert profile.get_absolute_url() not in client.get("/freelancers/").content.decode()
    client.force_login(scene.owner)
    page = client.get(scene.project.get_absolute_url()).content.decode()
    assert f'id="offer-{scene.offer.pk}"' not in page
    assert f'id="offer-{scene.other_offer.pk}"' in page


@pytest.mark.parametrize("kind", ["project", "profile"])
def test_the_report_links_are_offered_on_the_public_pages_to_others_only(client, scene, kind):
    page = scene.project.get_absolute_url() if kind == "project" else scene.bidder.profile.get_absolute_url()
    link = f"/report/{kind}/{scene.item(kind).pk}/"
    author = scene.owner if kind == "project" else scene.bidder

    client.force_login(scene.stranger)
    assert link in client.get(page).content.decode()
    client.force_login(author)
    assert link not in client.get(page).content.decode()

"""The contract page: seen by its two sides and staff, and where a hire is declined or withdrawn."""

import datetime
import html
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.template.defaultfilters import date as date_filter
from django.utils import translation
from django.utils.translation import gettext

from mostaql.contracts.models import Contract
from mostaql.projects.models import Offer, Project
from mostaql.projects.tests.factories import (
    client_user,
    freelancer_user,
    hire,
    moderator,
    open_project,
    place_offer,
)
from mostaql.projects.tests.support import everything
from mostaql.wallet.tests.lifecycle_helpers import scene_in

pytestmark = pytest.mark.django_db


def arabic(message_id: str) -> str:
    with translation.override("ar"):
        translated = gettext(message_id)
    assert translated != message_id, f"no Arabic translation for {message_id!r}"
    return translated


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def scene():
    owner = client_user("سامي العميل", email="client@example.com")
    project = open_project(owner, title="تصميم هوية لمقهى")
    chosen = place_offer(
        project, freelancer_user("ليلى المصممة", email="chosen@example.com"), amount_cents=52_000
    )
    other = place_offer(project, freelancer_user("خالد المنافس", email="other@example.com"))
    contract = hire(chosen)
    mail.outbox.clear()
    return SimpleNamespace(
        contract=contract,
        project=project,
        client=owner,
        freelancer=chosen.freelancer,
        other_bidder=other.freelancer,
        other_offer=other,
        stranger=freelancer_user("عابر"),
        staff=moderator(),
    )


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [("client", 200), ("freelancer", 200), ("staff", 200), ("other_bidder", 404), ("stranger", 404)],
)
def test_the_contract_page_is_for_its_two_sides_and_staff(client, scene, viewer, expected):
    client.force_login(getattr(scene, viewer))

    response = client.get(f"/contracts/{scene.contract.pk}/")

    assert response.status_code == expected
    if expected == 200:
        page = html.unescape(response.content.decode())
        assert "$520.00" in page
        assert "تصميم هوية لمقهى" in page


def test_an_anonymous_visitor_is_sent_to_log_in_for_a_contract(client, scene):
    path = f"/contracts/{scene.contract.pk}/"

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={quote(path)}"


def test_a_missing_contract_is_a_404(client, scene):
    client.force_login(scene.staff)

    assert client.get("/contracts/999999/").status_code == 404


@pytest.mark.parametrize(
    ("viewer", "form"),
    [("freelancer", "decline"), ("client", "withdraw_hire"), ("staff", None)],
)
def test_each_side_is_offered_only_its_own_way_out(client, scene, viewer, form):
    client.force_login(getattr(scene, viewer))

    page = client.get(f"/contracts/{scene.contract.pk}/").content.decode()

    for action in ("decline", "withdraw_hire"):
        assert (f'action="/contracts/{scene.contract.pk}/{action}/"' in page) == (action == form)


def test_the_freelancer_declines_from_the_page(client, scene, django_capture_on_commit_callbacks):
    client.force_login(scene.freelancer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/contracts/{scene.contract.pk}/decline/", {"reason": "جدولي ممتلئ."})

    assert response.status_code == 302
    assert response.url == f"/contracts/{scene.contract.pk}/"
    assert messages_of(response) == [arabic("Done: the project is open for offers again.")]
    assert Contract.objects.get(pk=scene.contract.pk).status == Contract.Status.DECLINED
    assert Project.objects.get(pk=scene.project.pk).status == Project.Status.OPEN
    assert Offer.objects.get(pk=scene.contract.offer_id).status == Offer.Status.DECLINED
    to_client = [message for message in mail.outbox if message.to == ["client@example.com"]]
    assert len(to_client) == 1 and "جدولي ممتلئ." in to_client[0].body


def test_the_client_withdraws_the_hire_from_the_page(client, scene, django_capture_on_commit_callbacks):
    client.force_login(scene.client)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/contracts/{scene.contract.pk}/withdraw_hire/")

    assert response.status_code == 302
    assert Contract.objects.get(pk=scene.contract.pk).status == Contract.Status.WITHDRAWN
    assert Project.objects.get(pk=scene.project.pk).status == Project.Status.OPEN
    assert Offer.objects.get(pk=scene.contract.offer_id).status == Offer.Status.DECLINED
    assert [message.to for message in mail.outbox if message.to == ["chosen@example.com"]] == [
        ["chosen@example.com"]
    ]


@pytest.mark.parametrize(
    ("viewer", "action", "refusal"),
    [
        ("client", "decline", "Only the hired freelancer can decline this hire."),
        ("freelancer", "withdraw_hire", "Only the client can withdraw this hire."),
        ("staff", "decline", "Only the hired freelancer can decline this hire."),
        ("staff", "withdraw_hire", "Only the client can withdraw this hire."),
    ],
)
def test_the_other_side_cannot_end_the_hire(
    client, scene, viewer, action, refusal, django_capture_on_commit_callbacks
):
    client.force_login(getattr(scene, viewer))
    before = everything()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/contracts/{scene.contract.pk}/{action}/")

    assert response.status_code == 302
    assert messages_of(response) == [arabic(refusal)]
    assert everything() == before


@pytest.mark.parametrize("viewer", ["other_bidder", "stranger"])
@pytest.mark.parametrize("action", ["decline", "withdraw_hire"])
def test_people_outside_the_contract_get_a_404_and_nothing_changes(client, scene, viewer, action):
    client.force_login(getattr(scene, viewer))
    before = everything()

    assert client.post(f"/contracts/{scene.contract.pk}/{action}/").status_code == 404

    assert everything() == before


@pytest.mark.parametrize("action", ["decline", "withdraw_hire"])
def test_an_anonymous_post_is_sent_to_log_in_and_nothing_changes(client, scene, action):
    path = f"/contracts/{scene.contract.pk}/{action}/"
    before = everything()

    response = client.post(path)

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={quote(path)}"
    assert everything() == before


@pytest.mark.parametrize("action", ["nonsense", "resolve_dispute"])
def test_an_action_the_page_does_not_serve_is_a_404(client, scene, action):
    client.force_login(scene.client)
    before = everything()

    assert client.post(f"/contracts/{scene.contract.pk}/{action}/").status_code == 404

    assert everything() == before


def test_the_contract_page_refuses_get_on_an_action(client, scene):
    client.force_login(scene.freelancer)

    assert client.get(f"/contracts/{scene.contract.pk}/decline/").status_code == 405
    assert Contract.objects.get(pk=scene.contract.pk).status == Contract.Status.AWAITING_FUNDING


def test_after_a_decline_the_owner_hires_another_bidder_from_the_project_page(client, scene):
    client.force_login(scene.freelancer)
    client.post(f"/contracts/{scene.contract.pk}/decline/")
    client.force_login(scene.client)

    response = client.post(f"/offers/{scene.other_offer.pk}/hire/", {"confirmed": "1"})

    second = Contract.objects.exclude(pk=scene.contract.pk).get()
    assert response.url == f"/contracts/{second.pk}/"
    assert (second.freelancer, second.status) == (scene.other_bidder, Contract.Status.AWAITING_FUNDING)
    assert Project.objects.get(pk=scene.project.pk).status == Project.Status.HIRING


def test_the_history_shows_who_did_what(client, scene):
    client.force_login(scene.freelancer)
    client.post(f"/contracts/{scene.contract.pk}/decline/", {"reason": "سبب الرفض المكتوب"})
    client.cookies["django_language"] = "en"

    page = html.unescape(client.get(f"/contracts/{scene.contract.pk}/").content.decode())

    assert "Hired" in page and "Hire declined" in page
    assert "سامي العميل" in page and "ليلى المصممة" in page
    assert "سبب الرفض المكتوب" in page


def test_the_contract_page_shows_the_due_date_and_the_freelancers_net(client):
    scene = scene_in("active")
    client.force_login(scene.freelancer)

    page = html.unescape(client.get(f"/contracts/{scene.contract.pk}/").content.decode())

    due = scene.contract.funded_at + datetime.timedelta(days=scene.contract.duration_days)
    with translation.override("ar"):
        assert f"<dd>{date_filter(due, 'j F Y')}</dd>" in page
    assert '<bdi dir="ltr" class="money">$320.00</bdi>' in page  # $400.00 less 20%

"""The dashboard says what needs the person now, for a client and for a freelancer."""

import html
import re

import pytest
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from mostaql.accounts.models import User
from mostaql.contracts import services as contract_services
from mostaql.messaging.models import Conversation
from mostaql.messaging.services import send_message
from mostaql.projects.tests.factories import client_user, freelancer_user, hire, open_project, place_offer
from mostaql.wallet.tests.lifecycle_helpers import (
    CHANGES_MESSAGE,
    DELIVERY_MESSAGE,
    add_funds,
    deliver,
    fund,
    hired_scene,
    scene_in,
)

pytestmark = pytest.mark.django_db


def section(response, section_id: str) -> str:
    match = re.search(
        rf'<section class="card" id="{section_id}">(.*?)</section>', response.content.decode(), re.S
    )
    return html.unescape(match.group(1)) if match else ""


def test_the_client_sees_the_delivery_waiting_with_its_auto_acceptance_date(client):
    scene = scene_in("delivered")
    client.force_login(scene.client)

    waiting = section(client.get("/dashboard/"), "client-waiting")

    scene.refresh()
    with translation.override("ar"):
        date = date_filter(scene.contract.auto_accept_at, "j F Y")
    assert scene.project.title in waiting and date in waiting
    assert scene.contract.get_absolute_url() in waiting


def test_the_client_sees_contracts_waiting_for_funding_and_offers_on_open_projects(client):
    scene = hired_scene(funds_cents=None)
    other_project = open_project(scene.client, title="كتابة محتوى لمدونة تقنية")
    place_offer(other_project, freelancer_user("مستقل أول"))
    place_offer(other_project, freelancer_user("مستقل ثان"))
    client.force_login(scene.client)

    waiting = section(client.get("/dashboard/"), "client-waiting")

    assert scene.contract.get_absolute_url() in waiting
    assert other_project.title in waiting
    assert other_project.get_absolute_url() in waiting


def test_the_freelancer_sees_changes_requested_deadlines_offers_and_earnings_clearing(client):
    asked = deliver(fund(hired_scene(title="تصميم هوية لمقهى")))
    contract_services.request_changes(client=asked.client, contract=asked.contract, message=CHANGES_MESSAGE)
    paid = scene_in("completed", title="ترجمة موقع إلى الإنجليزية")
    client.force_login(asked.freelancer)

    mine = section(client.get("/dashboard/"), "freelancer-waiting")

    assert "تصميم هوية لمقهى" in mine
    with translation.override("ar"):
        assert translation.gettext("Changes requested") in mine
        assert date_filter(asked.refresh().contract.due_at, "j F Y") in mine
    assert paid.freelancer != asked.freelancer  # each scene has its own people
    client.force_login(paid.freelancer)
    theirs = section(client.get("/dashboard/"), "freelancer-waiting")
    assert "$320.00" in theirs  # earnings clearing after the 20% commission on $400
    assert "ترجمة موقع إلى الإنجليزية" in theirs


def test_unanswered_messages_are_listed_for_the_person_who_must_answer(client):
    scene = scene_in("active")
    conversation = Conversation.objects.get(project=scene.project, freelancer=scene.freelancer)
    send_message(sender=scene.client, conversation=conversation, body="هل يمكنك إرسال مسودة أولى؟")

    client.force_login(scene.freelancer)
    assert scene.project.title in section(client.get("/dashboard/"), "unanswered")
    client.force_login(scene.client)
    assert section(client.get("/dashboard/"), "unanswered") == ""


def test_nobody_sees_another_persons_contracts_on_their_dashboard(client):
    scene = scene_in("delivered")
    stranger = client_user("غريب")
    client.force_login(stranger)

    page = html.unescape(client.get("/dashboard/").content.decode())

    assert scene.project.title not in page
    assert scene.contract.get_absolute_url() not in page


def test_the_checklist_fits_the_role(client):
    client.force_login(client_user("صاحب مشروع"))
    as_client = client.get("/dashboard/").context["checklist"]
    client.force_login(freelancer_user("مستقل"))
    as_freelancer = client.get("/dashboard/").context["checklist"]

    with translation.override("ar"):
        assert translation.gettext("Post your first project") in [label for label, _done, _url in as_client]
        assert translation.gettext("Add a portfolio item") in [label for label, _done, _url in as_freelancer]
    assert (len(as_client), len(as_freelancer)) == (5, 7)


def history(owner: User, worker: User, size: int) -> None:
    """`size` projects of `owner`, each hired from `worker`, funded, delivered, with a message."""
    for number in range(size):
        project = open_project(owner, title=f"مشروع تصميم رقم {number + 1} للاختبار")
        contract = hire(place_offer(project, worker, amount_cents=40_000))
        add_funds(owner, 40_000)
        contract_services.fund_contract(client=owner, contract=contract)
        contract_services.deliver(freelancer=worker, contract=contract, message=DELIVERY_MESSAGE)
        conversation = Conversation.objects.get(project=project, freelancer=worker)
        send_message(sender=owner, conversation=conversation, body="شكراً، سأراجع التسليم قريباً.")
    place_offer(open_project(owner, title="مشروع مفتوح ينتظر العروض"), worker)


def queries_for(client, user: User) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/dashboard/").status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["client", "freelancer"])
def test_the_dashboard_costs_the_same_queries_whatever_the_history(client, role):
    small_owner, small_worker = client_user("عميل صغير"), freelancer_user("مستقل صغير")
    large_owner, large_worker = client_user("عميل كبير"), freelancer_user("مستقل كبير")
    history(small_owner, small_worker, 1)
    history(large_owner, large_worker, 4)

    small = queries_for(client, small_owner if role == "client" else small_worker)
    large = queries_for(client, large_owner if role == "client" else large_worker)

    assert small == large

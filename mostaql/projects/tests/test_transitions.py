"""A project follows its contract only through projects.services: each move is one of the project's
own transitions, and each leaves a ProjectEvent saying who caused it."""

import pytest
from django.utils import translation

from mostaql.contracts import services as contract_services
from mostaql.core.exceptions import DomainError
from mostaql.projects import services
from mostaql.projects.models import Offer, Project, ProjectEvent
from mostaql.wallet.tests.lifecycle_helpers import accept, deliver, fund, hired_scene, scene_in

pytestmark = pytest.mark.django_db
REASON = "اتفقنا على إنهاء العمل مبكرًا."
DECISION = "قرار المشرف بعد دراسة الملفات."


def events_of(project: Project) -> list[tuple[str, int | None]]:
    return list(ProjectEvent.objects.filter(project=project).values_list("action", "actor_id"))


def test_funding_starts_the_project_and_the_waiting_offers_are_not_hired():
    scene = hired_scene()

    fund(scene)

    assert scene.project.status == Project.Status.IN_PROGRESS
    assert ("started", scene.client.pk) in events_of(scene.project)
    scene.other_offer.refresh_from_db()
    assert scene.other_offer.status == Offer.Status.NOT_HIRED


def test_an_accepted_delivery_completes_the_project_in_the_clients_name():
    scene = accept(deliver(fund(hired_scene())))

    assert scene.project.status == Project.Status.COMPLETED
    assert events_of(scene.project)[-1] == ("completed", scene.client.pk)


def test_a_cancellation_agreed_by_the_freelancer_cancels_the_project_with_its_reason():
    scene = fund(hired_scene())
    contract_services.propose_cancellation(user=scene.client, contract=scene.contract, reason=REASON)

    contract_services.answer_cancellation(user=scene.freelancer, contract=scene.contract, accept=True)

    scene.refresh()
    assert scene.project.status == Project.Status.CANCELLED
    event = ProjectEvent.objects.filter(project=scene.project).last()
    assert (event.action, event.actor, event.note) == ("cancelled", scene.freelancer, REASON)


def test_a_dispute_refunded_in_full_cancels_the_project_in_the_moderators_name():
    scene = scene_in("disputed")

    contract_services.resolve_dispute(
        moderator=scene.staff, contract=scene.contract, freelancer_share_cents=0, decision=DECISION
    )

    scene.refresh()
    assert scene.project.status == Project.Status.CANCELLED
    assert events_of(scene.project)[-1] == ("cancelled", scene.staff.pk)


def test_a_move_the_table_does_not_allow_changes_nothing():
    scene = hired_scene()
    before = events_of(scene.project)

    with translation.override("en"), pytest.raises(DomainError, match="not possible while the project"):
        services.move_project(project=scene.project, action="complete", actor=scene.client)

    scene.refresh()
    assert scene.project.status == Project.Status.HIRING
    assert events_of(scene.project) == before


def test_only_the_moves_that_follow_a_contract_are_accepted():
    scene = hired_scene()

    with pytest.raises(ValueError):
        services.move_project(project=scene.project, action="approve", actor=scene.client)

    scene.refresh()
    assert scene.project.status == Project.Status.HIRING

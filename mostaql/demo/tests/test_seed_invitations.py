"""The demo's invitations (issue 13): a private project with an invitation for freelancer@demo.test,
a few invitations, some verified identities, and nothing more the second time."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from mostaql.accounts.models import User
from mostaql.demo.data.invitations import INVITATIONS, VERIFIED_IDENTITIES
from mostaql.notifications.models import Notification
from mostaql.projects.models import Invitation, Project
from mostaql.reviews.selectors import verified_identity_ids
from mostaql.wallet import ledger

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_private_project_invitations_and_verified_identities(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())

    private = Project.objects.get(is_private=True)
    freelancer = User.objects.get(email="freelancer@demo.test")
    assert private.owner.email == "client@demo.test" and private.status == Project.Status.OPEN
    assert Invitation.objects.filter(project=private, freelancer=freelancer).exists()
    assert Invitation.objects.count() == len(INVITATIONS)
    assert Notification.objects.filter(user=freelancer, kind="invited").count() == 1
    people = User.objects.filter(email__in=[*VERIFIED_IDENTITIES, "freelancer@demo.test"])
    assert verified_identity_ids(person.pk for person in people) == {person.pk for person in people}
    assert ledger.audit().is_clean

    # The invited freelancer opens it; another freelancer gets a 404 and never sees it listed.
    client = Client()
    client.force_login(freelancer)
    assert client.get(private.get_absolute_url()).status_code == 200
    client.force_login(User.objects.get(email="layla@demo.test"))
    assert client.get(private.get_absolute_url()).status_code == 404
    assert private.title not in client.get("/projects/").content.decode()

    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    assert Invitation.objects.count() == len(INVITATIONS)
    assert Project.objects.filter(is_private=True).count() == 1
    assert "(0 new)" in output.getvalue()

"""Hiring, accepting a delivery and marking a withdrawal paid each ask for a confirmation first.

The first POST shows what will happen and changes nothing; "Cancel" is a link back (nothing to
post); only the confirmed POST acts. The wrong person never sees the confirmation.
"""

import html
import re

import pytest

from mostaql.contracts.models import Contract
from mostaql.projects.models import Offer
from mostaql.projects.tests.factories import (
    clean_pdf,
    client_user,
    freelancer_user,
    moderator,
    open_project,
    place_offer,
)
from mostaql.wallet import services as wallet_services
from mostaql.wallet.models import Withdrawal
from mostaql.wallet.tests.lifecycle_helpers import (
    add_funds,
    ar,
    finance_staff,
    messages_of,
    scene_in,
    snapshot,
)

pytestmark = pytest.mark.django_db
S = Contract.Status
LRI, PDI = "\u2066", "\u2069"


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def confirmation_parts(response) -> dict:
    page = response.content.decode()
    return {
        "confirmed_field": 'name="confirmed" value="1"' in page,
        "cancel": re.search(r'<a class="button button-ghost" href="([^"]+)"', page).group(1),
    }


# --- Hiring -------------------------------------------------------------------------------------


@pytest.fixture
def bidding():
    owner = client_user("سامي العميل")
    project = open_project(owner, title="تصميم هوية لمقهى")
    offer = place_offer(project, freelancer_user("ليلى المصممة"), amount_cents=30_000, duration_days=12)
    return owner, project, offer


def test_the_hire_button_shows_what_the_hire_means_and_changes_nothing(client, bidding):
    owner, project, offer = bidding
    client.force_login(owner)
    before = snapshot(owner)

    response = client.post(f"/offers/{offer.pk}/hire/")

    assert response.status_code == 200
    text = text_of(response)
    assert (ar("Hire %(name)s?") % {"name": "ليلى المصممة"}) in text
    assert f"{LRI}$300.00{PDI}" in text and "12" in text
    assert confirmation_parts(response) == {"confirmed_field": True, "cancel": f"/projects/{project.pk}/"}
    assert snapshot(owner) == before
    assert not Contract.objects.exists()


def test_cancelling_the_hire_goes_back_to_the_project_with_nothing_changed(client, bidding):
    owner, project, offer = bidding
    client.force_login(owner)
    before = snapshot(owner)

    client.post(f"/offers/{offer.pk}/hire/")
    back = client.get(f"/projects/{project.pk}/")  # what the Cancel link does

    assert back.status_code == 200
    assert snapshot(owner) == before
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SUBMITTED


def test_the_confirmed_hire_creates_the_contract(client, bidding):
    owner, _project, offer = bidding
    client.force_login(owner)

    response = client.post(f"/offers/{offer.pk}/hire/", {"confirmed": "1"})

    contract = Contract.objects.get(offer=offer)
    assert response.url == contract.get_absolute_url()
    assert contract.status == S.AWAITING_FUNDING


def test_someone_else_never_sees_the_hire_confirmation(client, bidding):
    _owner, _project, offer = bidding
    client.force_login(freelancer_user("غريب"))

    assert client.post(f"/offers/{offer.pk}/hire/").status_code == 404
    assert not Contract.objects.exists()


# --- Accepting a delivery -----------------------------------------------------------------------


def test_accepting_a_delivery_says_what_is_released_and_changes_nothing(client):
    scene = scene_in("delivered")
    client.force_login(scene.client)
    before = snapshot(scene.client, scene.freelancer)

    response = client.post(f"/contracts/{scene.contract.pk}/accept/")

    assert response.status_code == 200
    text = text_of(response)
    released = ar(
        "%(amount)s will be released to the freelancer, who receives %(net)s after the commission."
    ) % {"amount": f"{LRI}$400.00{PDI}", "net": f"{LRI}$320.00{PDI}"}
    assert released in text
    assert ar("This cannot be undone.") in text
    assert confirmation_parts(response)["cancel"] == f"/contracts/{scene.contract.pk}/"
    assert snapshot(scene.client, scene.freelancer) == before
    assert scene.refresh().contract.status == S.DELIVERED


def test_the_confirmed_acceptance_pays_the_freelancer(client):
    scene = scene_in("delivered")
    client.force_login(scene.client)

    client.post(f"/contracts/{scene.contract.pk}/accept/", {"confirmed": "1"})

    assert scene.refresh().contract.status == S.COMPLETED


def test_the_freelancer_cannot_reach_the_acceptance_confirmation(client):
    scene = scene_in("delivered")
    client.force_login(scene.freelancer)
    before = snapshot(scene.client, scene.freelancer)

    response = client.post(f"/contracts/{scene.contract.pk}/accept/")

    assert response.status_code == 302
    assert messages_of(response)[0][0] == "error"
    assert snapshot(scene.client, scene.freelancer) == before


# --- Marking a withdrawal paid ------------------------------------------------------------------


@pytest.fixture
def withdrawal() -> Withdrawal:
    person = freelancer_user("ليلى المستقلة")
    add_funds(person, 10_000)
    check = wallet_services.submit_identity_document(user=person, document=clean_pdf("passport.pdf"))
    wallet_services.review_identity(moderator=moderator(), verification=check, approve=True)
    return wallet_services.request_withdrawal(
        user=person, amount_cents=7_500, method="paypal", paypal_email="laila@example.com"
    )


def test_marking_paid_asks_for_the_payment_reference_and_changes_nothing(client, withdrawal):
    client.force_login(finance_staff())
    before = snapshot(withdrawal.user)

    response = client.post(f"/staff/finance/withdrawals/{withdrawal.pk}/pay/")

    assert response.status_code == 200
    text = text_of(response)
    assert f"{LRI}$75.00{PDI}" in text and "laila@example.com" in text
    assert 'name="payment_reference"' in response.content.decode()
    assert confirmation_parts(response)["cancel"] == "/staff/finance/"
    assert snapshot(withdrawal.user) == before
    assert Withdrawal.objects.get(pk=withdrawal.pk).status == Withdrawal.Status.REQUESTED


def test_a_confirmation_without_a_reference_is_shown_again_with_the_error(client, withdrawal):
    client.force_login(finance_staff())
    before = snapshot(withdrawal.user)

    response = client.post(
        f"/staff/finance/withdrawals/{withdrawal.pk}/pay/", {"confirmed": "1", "payment_reference": ""}
    )

    assert response.status_code == 200
    assert response.context["confirm_form"].errors["payment_reference"]
    assert snapshot(withdrawal.user) == before


def test_the_confirmed_payment_records_its_reference(client, withdrawal):
    client.force_login(finance_staff())

    client.post(
        f"/staff/finance/withdrawals/{withdrawal.pk}/pay/",
        {"confirmed": "1", "payment_reference": "PAYPAL-9XK2-771"},
    )

    paid = Withdrawal.objects.get(pk=withdrawal.pk)
    assert (paid.status, paid.payment_reference) == (Withdrawal.Status.PAID, "PAYPAL-9XK2-771")


def test_a_moderator_without_the_permission_sees_no_payment_confirmation(client, withdrawal):
    client.force_login(moderator("مشرف آخر"))

    response = client.post(f"/staff/finance/withdrawals/{withdrawal.pk}/pay/")

    assert response.status_code == 302
    assert messages_of(response) == [("error", ar("Only finance staff can process withdrawals."))]
    assert Withdrawal.objects.get(pk=withdrawal.pk).status == Withdrawal.Status.REQUESTED

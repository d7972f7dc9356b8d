"""Trust you can see (issue 13): the verified-identity badge on profiles, directory and bidder cards and
the client's card, and the client's figures on a project page (posted, open, in progress, hire rate,
total spent as a step, member since)."""

import html

import pytest
from django.utils.translation import gettext

from mostaql.core.money import format_whole_dollars, spending_step_cents
from mostaql.projects.tests.factories import client_user, freelancer_user, open_project, place_offer
from mostaql.reviews import selectors as review_selectors
from mostaql.wallet import services as wallet_services
from mostaql.wallet.tests.factories import (
    completed_contract,
    funded_contract,
    give_available_funds,
    verify_identity,
)

pytestmark = pytest.mark.django_db

BADGE = 'class="badge badge-verified"'


def text_of(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("dollars", "step"),
    [(0, 0), (99.99, 0), (100, 100), (499, 100), (500, 500), (999, 500), (1000, 1000), (250_000, 100_000)],
)
def test_spending_is_shown_as_the_step_below_it(dollars, step):
    assert spending_step_cents(round(dollars * 100)) == step * 100


def test_whole_dollars_have_no_cents():
    assert format_whole_dollars(500_00) == "$500"
    assert format_whole_dollars(10_000_00) == "$10,000"


def test_verified_identity_ids_reads_many_people_in_one_query(django_assert_num_queries):
    verified, waiting, nobody = freelancer_user(), freelancer_user(), freelancer_user()
    verify_identity(verified)
    with django_assert_num_queries(1):
        assert review_selectors.verified_identity_ids([verified.pk, waiting.pk, nobody.pk]) == {verified.pk}
    with django_assert_num_queries(0):
        assert review_selectors.verified_identity_ids([]) == set()


def test_the_badge_shows_on_the_profile_only_when_verified(client):
    verified, other = freelancer_user("موثقة"), freelancer_user("غير موثق")
    verify_identity(verified)

    assert BADGE in text_of(client.get(verified.profile.get_absolute_url()))
    assert BADGE not in text_of(client.get(other.profile.get_absolute_url()))


def test_the_badge_shows_on_directory_cards(client):
    verified, _unverified = freelancer_user("موثقة الهوية"), freelancer_user("بلا توثيق")
    verify_identity(verified)

    response = client.get("/freelancers/")

    assert response.context["verified_ids"] == {verified.pk}
    assert text_of(response).count(BADGE) == 1


def test_the_badge_shows_on_bidder_cards_and_the_clients_card(client):
    owner = client_user()
    verify_identity(owner)
    project = open_project(owner)
    verified, other = freelancer_user(), freelancer_user()
    verify_identity(verified)
    place_offer(project, verified)
    place_offer(project, other)

    page = text_of(client.get(f"/projects/{project.pk}/"))

    assert page.count(BADGE) == 2  # the client's card and one bidder


def test_a_badge_earned_later_reaches_the_cached_bidder_card(client):
    project = open_project()
    bidder = freelancer_user()
    place_offer(project, bidder)
    assert BADGE not in text_of(client.get(f"/projects/{project.pk}/"))

    verify_identity(bidder)

    assert BADGE in text_of(client.get(f"/projects/{project.pk}/"))


def test_the_clients_card_shows_what_they_spent_as_a_step(client):
    owner = client_user("عميلة دفعت")
    completed_contract(client=owner, amount_cents=600_00)
    funded_contract(client=owner, amount_cents=900_00)  # in escrow, not paid: not spent yet
    project = open_project(owner)

    response = client.get(f"/projects/{project.pk}/")

    card = response.context["client"]
    assert review_selectors.amount_spent_cents(owner) == 600_00
    assert card["spent_step"] == "$500"
    assert card["open"] == 1 and card["in_progress"] == 1 and card["posted"] == 3
    assert "أكثر من" in text_of(response) and "$500" in text_of(response)


def test_a_client_who_paid_nothing_yet_says_so(client):
    project = open_project()
    response = client.get(f"/projects/{project.pk}/")
    assert response.context["client"]["spent_step"] == ""
    with_translation = text_of(response)
    assert "لا شيء بعد" in with_translation or gettext("Nothing yet") in with_translation


def test_a_bonus_paid_from_the_balance_counts_as_spent():
    owner = client_user()
    contract = completed_contract(client=owner, amount_cents=300_00)
    give_available_funds(owner, 250_00)

    wallet_services.pay_bonus(contract=contract, amount_cents=250_00, key=f"bonus:test:{contract.pk}")

    assert review_selectors.amount_spent_cents(owner) == 550_00
    assert spending_step_cents(review_selectors.amount_spent_cents(owner)) == 500_00

"""The API's money inputs take integer cents only: never a string, whatever its digits or grammar.

The web forms read what a person types (core.numbers: ٢٥٠, 249.99); a program sends a number.
"""

import pytest

from mostaql.api.tests.support import ApiClient, assert_error
from mostaql.projects.models import Offer
from mostaql.projects.tests.factories import OFFER_TEXT, freelancer_user, open_project
from mostaql.wallet.models import Deposit

pytestmark = pytest.mark.django_db

NOT_CENTS = ["25000", "٢٥٠٠٠", "1_000", "1e4", "250.00", 250.5, True, None]


@pytest.mark.parametrize("amount", NOT_CENTS, ids=repr)
def test_an_offer_amount_that_is_not_integer_cents_is_refused(amount):
    project = open_project()

    response = ApiClient(freelancer_user()).post(
        f"/api/v1/projects/{project.pk}/offers/",
        {"amount_cents": amount, "duration_days": 7, "text": OFFER_TEXT},
    )

    assert "amount_cents" in assert_error(response, 422)["fields"]
    assert not Offer.objects.exists()


@pytest.mark.parametrize("amount", NOT_CENTS, ids=repr)
def test_a_deposit_amount_that_is_not_integer_cents_is_refused(amount, settings):
    settings.SANDBOX_GATEWAY_ENABLED = True

    response = ApiClient(freelancer_user()).post(
        "/api/v1/wallet/deposits/", {"amount_cents": amount}, idempotency_key="deposit-1"
    )

    assert "amount_cents" in assert_error(response, 422)["fields"]
    assert not Deposit.objects.exists()


@pytest.mark.parametrize("days", ["7", "٧", 7.0], ids=repr)
def test_a_duration_that_is_not_an_integer_is_refused(days):
    project = open_project()

    response = ApiClient(freelancer_user()).post(
        f"/api/v1/projects/{project.pk}/offers/",
        {"amount_cents": 25_000, "duration_days": days, "text": OFFER_TEXT},
    )

    assert "duration_days" in assert_error(response, 422)["fields"]

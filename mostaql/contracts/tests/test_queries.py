"""The contract page and its API read cost the same number of queries however long the contract's
history is: deliveries, their files, requests for changes and the events they leave."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mostaql.api.tests.support import ApiClient
from mostaql.contracts import services
from mostaql.contracts.models import Contract
from mostaql.projects.tests.factories import clean_pdf, clean_png
from mostaql.wallet.tests.factories import funded_contract

pytestmark = pytest.mark.django_db

WORK = "التصاميم الأولى مرفقة مع ملفات المصدر."
CHANGES = "نرجو تعديل الألوان لتناسب هوية المتجر."


def with_rounds(contract: Contract, rounds: int) -> Contract:
    """`rounds` deliveries (two files each), each but the last sent back with a request for changes."""
    for number in range(rounds):
        services.deliver(
            freelancer=contract.freelancer,
            contract=contract,
            message=f"{WORK} ({number + 1})",
            files=[clean_pdf(f"work-{number}.pdf"), clean_png(f"work-{number}.png")],
        )
        if number < rounds - 1:
            services.request_changes(client=contract.client, contract=contract, message=CHANGES)
    contract.refresh_from_db()
    return contract


def queries_of(fetch) -> int:
    with CaptureQueriesContext(connection) as captured:
        fetch()
    return len(captured.captured_queries)


def test_the_contract_page_costs_the_same_with_1_and_6_rounds_of_delivery(client, django_assert_num_queries):
    short, long = with_rounds(funded_contract(), 1), with_rounds(funded_contract(), 6)
    assert short.deliveries.count() == 1 and long.deliveries.count() == 6
    client.force_login(short.client)
    assert client.get(f"/contracts/{short.pk}/").status_code == 200  # the session is warm
    expected = queries_of(lambda: client.get(f"/contracts/{short.pk}/"))

    client.force_login(long.client)
    client.get(f"/contracts/{long.pk}/")
    with django_assert_num_queries(expected):
        response = client.get(f"/contracts/{long.pk}/")

    page = response.content.decode()
    assert page.count("work-5.pdf") == 1 and page.count("work-0.pdf") == 1
    assert response.context["actions"] >= {"accept", "request_changes"}


def test_the_contract_api_costs_the_same_with_1_and_6_rounds_of_delivery(django_assert_num_queries):
    short, long = with_rounds(funded_contract(), 1), with_rounds(funded_contract(), 6)
    short_api, long_api = ApiClient(short.freelancer), ApiClient(long.freelancer)
    short_api.get(f"/api/v1/contracts/{short.pk}/")  # the token's first use writes its "last used" time
    long_api.get(f"/api/v1/contracts/{long.pk}/")
    expected = queries_of(lambda: short_api.get(f"/api/v1/contracts/{short.pk}/"))

    with django_assert_num_queries(expected):
        body = long_api.get(f"/api/v1/contracts/{long.pk}/").json()

    assert len(body["deliveries"]) == 6
    assert sum(len(delivery["files"]) for delivery in body["deliveries"]) == 12
    assert len(body["events"]) == 1 + 1 + 6 + 5  # hire, fund, 6 deliveries, 5 requests for changes

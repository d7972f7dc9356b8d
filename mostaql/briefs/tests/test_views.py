"""The request pages as people use them, and who may do what: anonymous, another user, the buyer, a
seller, staff."""

import datetime
import html

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mostaql.briefs import services
from mostaql.briefs.models import Answer, Brief
from mostaql.briefs.tests.factories import DESCRIPTION, NOTE, answered, open_brief, posted_brief
from mostaql.contracts.models import Contract
from mostaql.gigs.tests.factories import a_category, approved_service
from mostaql.projects.tests.factories import client_user, freelancer_user, moderator
from mostaql.wallet.tests.factories import give_available_funds, ledger_snapshot

pytestmark = pytest.mark.django_db
B = Brief.Status


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def signed_in(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _people(brief):
    seller = freelancer_user(name="بائع")
    approved_service(seller)
    return {
        "anonymous": None,
        "other": client_user(name="غريب"),
        "buyer": brief.buyer,
        "seller": seller,
        "staff": moderator(),
    }


# --- Who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state,expected",
    [
        ("pending", {"anonymous": 404, "other": 404, "buyer": 200, "seller": 404, "staff": 200}),
        ("open", {"anonymous": 200, "other": 200, "buyer": 200, "seller": 200, "staff": 200}),
        ("rejected", {"anonymous": 404, "other": 404, "buyer": 200, "seller": 404, "staff": 200}),
        ("expired", {"anonymous": 404, "other": 404, "buyer": 200, "seller": 404, "staff": 200}),
    ],
)
def test_the_request_page_matrix(client, state, expected):
    brief = posted_brief() if state in ("pending", "rejected") else open_brief()
    if state == "rejected":
        Brief.objects.filter(pk=brief.pk).update(status=B.REJECTED, rejection_reason="لا يوافق الشروط.")
    if state == "expired":  # past its date, not yet swept
        Brief.objects.filter(pk=brief.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    for who, user in _people(brief).items():
        client.logout()
        response = signed_in(client, user).get(brief.get_absolute_url())
        assert response.status_code == expected[who], who


def test_only_the_buyer_and_staff_see_the_answers_and_sellers_see_the_answer_form(client):
    brief = open_brief()
    answer = answered(brief)
    people = _people(brief)
    buyer_page = text_of(signed_in(client, people["buyer"]).get(brief.get_absolute_url()))
    assert answer.service.title in buyer_page and NOTE in buyer_page
    client.logout()
    seller_page = text_of(signed_in(client, people["seller"]).get(brief.get_absolute_url()))
    assert NOTE not in seller_page and 'name="note"' in seller_page
    client.logout()
    assert NOTE not in text_of(client.get(brief.get_absolute_url()))


def test_the_answer_and_order_actions_matrix(client):
    brief = open_brief()
    answer = answered(brief)
    people = _people(brief)
    order_url = f"/requests/{brief.pk}/answers/{answer.pk}/order/"
    for who in ("other", "seller", "staff"):
        client.logout()
        assert signed_in(client, people[who]).post(order_url).status_code == 404, who
    client.logout()
    assert client.post(order_url).status_code == 302  # to the log-in page
    assert (
        client.post(f"/requests/{brief.pk}/answer/", {"service": answer.service.pk, "note": NOTE}).status_code
        == 302
    )
    assert Answer.objects.count() == 1 and Contract.objects.count() == 0


def test_moderation_is_for_staff_only(client):
    brief = posted_brief()
    for user in (None, brief.buyer, freelancer_user()):
        client.logout()
        signed_in(client, user).post(f"/staff/requests/{brief.pk}/approve/")
    brief.refresh_from_db()
    assert brief.status == B.PENDING


# --- The journey ------------------------------------------------------------------------------------


def test_post_approve_answer_order(client):
    buyer = client_user()
    client.force_login(buyer)
    response = client.post(
        "/requests/new/",
        {
            "title": "أحتاج شعاراً لمتجر قهوة",
            "description": DESCRIPTION,
            "category": a_category().pk,
            "budget": "٥٠",
            "delivery_days": "3",
        },
    )
    brief = Brief.objects.get()
    assert response.status_code == 302 and brief.status == B.PENDING and brief.budget_cents == 5000
    assert brief.title not in text_of(client.get("/requests/"))

    staff = moderator()
    client.force_login(staff)
    queue = text_of(client.get("/staff/services/"))
    assert brief.title in queue
    client.post(f"/staff/requests/{brief.pk}/approve/")
    brief.refresh_from_db()
    assert brief.status == B.OPEN

    seller = freelancer_user()
    service = approved_service(seller, price_cents=1500)
    client.force_login(seller)
    assert brief.title in text_of(client.get("/requests/"))
    client.post(f"/requests/{brief.pk}/answer/", {"service": service.pk, "note": NOTE})
    answer = Answer.objects.get()

    client.force_login(buyer)
    page = text_of(client.get(brief.get_absolute_url()))
    assert service.title in page and "$15.00" in page
    order_url = f"/requests/{brief.pk}/answers/{answer.pk}/order/"
    confirm = client.post(order_url)
    assert confirm.status_code == 200 and Contract.objects.count() == 0
    short = client.post(order_url, {"confirmed": "1"})
    assert short.status_code == 302 and "/wallet/deposit/" in short["Location"]
    give_available_funds(buyer, 2000)
    done = client.post(order_url, {"confirmed": "1"})
    contract = Contract.objects.get()
    assert done["Location"] == contract.get_absolute_url()
    brief.refresh_from_db()
    assert brief.status == B.ORDERED and brief.order.contract == contract


def test_a_budget_over_the_cap_is_shown_under_the_field_in_arabic(client):
    client.force_login(client_user())
    response = client.post(
        "/requests/new/",
        {
            "title": "أحتاج شعاراً لمتجر قهوة",
            "description": DESCRIPTION,
            "category": a_category().pk,
            "budget": "300",
            "delivery_days": "3",
        },
    )
    assert response.status_code == 200 and Brief.objects.count() == 0
    assert "الميزانية" in text_of(response) and "255" in text_of(response)


def test_answering_twice_or_ones_own_request_shows_the_refusal(client):
    brief = open_brief()
    answer = answered(brief)
    client.force_login(answer.seller)
    response = client.post(f"/requests/{brief.pk}/answer/", {"service": answer.service.pk, "note": NOTE})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["سبق أن رددت على هذا الطلب."]
    client.force_login(brief.buyer)
    own = approved_service(brief.buyer)
    response = client.post(f"/requests/{brief.pk}/answer/", {"service": own.pk, "note": NOTE})
    assert "لا يمكنك الرد على طلبك أنت." in [str(m) for m in get_messages(response.wsgi_request)]
    assert Answer.objects.count() == 1


def test_answering_with_someone_elses_service_shows_the_refusal_under_the_field(client):
    brief = open_brief()
    someone_elses = approved_service()
    client.force_login(freelancer_user())
    response = client.post(f"/requests/{brief.pk}/answer/", {"service": someone_elses.pk, "note": NOTE})
    assert response.status_code == 200 and "ردّ بخدمة من خدماتك أنت." in text_of(response)
    assert Answer.objects.count() == 0


def test_ordering_from_an_expired_request_is_refused_before_the_sweep(client):
    brief = open_brief()
    answer = answered(brief)
    give_available_funds(brief.buyer, 5000)
    Brief.objects.filter(pk=brief.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    before = ledger_snapshot()
    client.force_login(brief.buyer)
    response = client.post(f"/requests/{brief.pk}/answers/{answer.pk}/order/", {"confirmed": "1"})
    assert response.status_code == 302 and ledger_snapshot() == before and Contract.objects.count() == 0
    assert "مغلق" in " ".join(str(m) for m in get_messages(response.wsgi_request))


# --- The list ---------------------------------------------------------------------------------------


def test_the_list_filters_by_category_and_budget_and_searches_and_hides_expired(client):
    cheap = open_brief(budget_cents=1000)
    dear = open_brief(title="أحتاج موقعاً إلكترونياً لمطعم", budget_cents=20000)
    gone = open_brief(title="أحتاج ترجمة عقد إلى الإنجليزية")
    Brief.objects.filter(pk=gone.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    def links(url):
        page = text_of(client.get(url))
        return {brief.pk for brief in (cheap, dear, gone) if f'href="/requests/{brief.pk}/"' in page}

    assert links("/requests/") == {cheap.pk, dear.pk}
    assert links("/requests/?min_budget=100") == {dear.pk}
    assert links("/requests/?max_budget=10") == {cheap.pk}
    assert links("/requests/?q=مطعم") == {dear.pk}
    assert links(f"/requests/?category={cheap.category.slug}") == {cheap.pk, dear.pk}
    assert "لا يوجد طلب" in text_of(client.get("/requests/?category=no-such-category"))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _many_open(count: int):
    buyer, category = client_user(), a_category()
    staff = moderator()
    for number in range(count):
        brief = services.post_brief(
            buyer=buyer,
            title=f"أحتاج تصميم شعار رقم {number + 1}",
            description=DESCRIPTION,
            category=category,
            budget_cents=5000,
            delivery_days=3,
        )
        services.approve_brief(moderator=staff, brief=brief)


@pytest.mark.parametrize(
    "url", ["/requests/", "/requests/?category=design&max_budget=100", "/requests/?q=شعار"]
)
def test_the_list_costs_the_same_with_3_and_25_requests(client, url, django_assert_num_queries):
    _many_open(3)
    client.get(url)  # the catalog's slugs are cached after the first page
    few = _queries(client, url)
    _many_open(22)
    with django_assert_num_queries(few):
        client.get(url)


def test_the_buyers_page_costs_the_same_with_1_and_6_answers(client, django_assert_num_queries):
    brief = open_brief()
    answered(brief)
    client.force_login(brief.buyer)
    one = _queries(client, brief.get_absolute_url())
    for _number in range(5):
        answered(brief)
    with django_assert_num_queries(one):
        client.get(brief.get_absolute_url())


def test_the_services_list_and_the_header_lead_to_requests(client):
    page = text_of(client.get("/services/"))
    assert "لم تجد ما تبحث عنه؟ أضف طلباً" in page and 'href="/requests/new/"' in page
    assert 'href="/requests/"' in text_of(client.get("/"))


def test_my_requests_lists_only_mine(client):
    mine, theirs = posted_brief(), posted_brief(client_user(name="آخر"))
    Brief.objects.filter(pk=theirs.pk).update(title="طلب شخص آخر تماماً")
    client.force_login(mine.buyer)
    page = text_of(client.get("/dashboard/requests/"))
    assert mine.title in page and "طلب شخص آخر تماماً" not in page

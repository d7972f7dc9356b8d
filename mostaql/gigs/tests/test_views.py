"""The services pages as people use them: publish, moderate, find, read, order — and who may do what."""

import html
import re

import pytest
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from mostaql.accounts.tests.factories import UserFactory
from mostaql.catalog.models import Category
from mostaql.contracts.models import Contract
from mostaql.gigs import services
from mostaql.gigs.models import Order, Service
from mostaql.gigs.tests.factories import (
    INSTRUCTIONS,
    approved_service,
    image_upload,
    published_service,
    service_rows,
    some_skills,
)
from mostaql.gigs.tests.support import needs_engine
from mostaql.projects.tests.factories import client_user, freelancer_user, moderator
from mostaql.wallet.tests.factories import give_available_funds, ledger_snapshot

pytestmark = pytest.mark.django_db
S = Service.Status


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def arabic(message_id: str) -> str:
    with translation.override("ar"):
        translated = gettext(message_id)
    assert translated != message_id, f"no Arabic translation for {message_id!r}"
    return translated


def listed(response) -> list[int]:
    return [
        int(pk) for pk in dict.fromkeys(re.findall(r'href="/services/(\d+)/"', response.content.decode()))
    ]


def queries_for(client, url: str) -> int:
    client.get(url)
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- Publishing and moderation ---------------------------------------------------------------------


def _form_data(**overrides) -> dict:
    skills = some_skills(2)
    data = {
        "title": "سأترجم لك مستندك من الإنجليزية إلى العربية",
        "description": (
            "ترجمة دقيقة لألف كلمة من الإنجليزية إلى العربية مع مراجعة لغوية وتنسيق المستند كما هو."
        ),
        "category": skills[0].category_id,
        "skills": [skill.pk for skill in skills],
        "price": "10",
        "delivery_days": "2",
        "max_quantity": "3",
        "instructions": INSTRUCTIONS,
        "upgrade_1_title": "تسليم خلال يوم",
        "upgrade_1_price": "5",
        "upgrade_1_days": "0",
        "upgrade_2_title": "مراجعة ثانية",
        "upgrade_2_price": "15",
        "upgrade_2_days": "1",
        "images": [image_upload()],
    }
    data.update(overrides)
    return data


def test_a_seller_publishes_a_service_with_upgrades_and_it_waits_for_review(client):
    seller = freelancer_user()
    client.force_login(seller)
    response = client.post(reverse("gigs:create"), _form_data())
    service = Service.objects.get()
    assert response.status_code == 302 and response["Location"] == service.get_absolute_url()
    assert service.status == S.PENDING and service.price_cents == 1000
    assert list(service.upgrades.values_list("title", "price_cents", "extra_days")) == [
        ("تسليم خلال يوم", 500, 0),
        ("مراجعة ثانية", 1500, 1),
    ]
    assert service.images.count() == 1
    assert arabic("Your service was received and will be published after review.") in messages_of(response)


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"price": "7"}, "The price must be from %(low)s to %(high)s, in steps of %(step)s."),
        ({"upgrade_3_title": "ترقية غالية", "upgrade_3_price": "55"}, None),
        ({"upgrade_3_title": "ترقية غير مقربة", "upgrade_3_price": "12"}, None),
        ({"images": []}, None),
    ],
)
def test_the_form_refuses_bad_input_and_writes_nothing(client, overrides, field_message):
    client.force_login(freelancer_user())
    response = client.post(reverse("gigs:create"), _form_data(**overrides))
    assert response.status_code == 200
    assert not Service.objects.exists()
    if field_message:
        assert arabic(field_message).split("%")[0] in text_of(response)


def test_the_form_previews_the_net_after_commission(client):
    client.force_login(freelancer_user())
    response = client.get(reverse("gigs:net"), {"price": "10"})
    assert "$8.00" in text_of(response) and "$2.00" in text_of(response)


def test_the_moderation_queue_is_for_staff_next_to_the_projects_queue(client, admin_user):
    service = published_service()
    client.force_login(freelancer_user())
    assert client.get(reverse("gigs:moderation")).status_code == 302
    assert client.post(reverse("gigs:approve", args=[service.pk])).status_code == 302
    service.refresh_from_db()
    assert service.status == S.PENDING
    staff = moderator()
    client.force_login(staff)
    page = client.get(reverse("gigs:moderation"))
    assert page.status_code == 200 and service.title in text_of(page)
    assert reverse("projects:moderation") in text_of(page)
    client.post(reverse("gigs:reject", args=[service.pk]), {"reason": "الصور لا تخص الخدمة المعروضة."})
    service.refresh_from_db()
    assert service.status == S.REJECTED


def test_a_moderator_approves_from_the_queue(client):
    service = published_service()
    client.force_login(moderator())
    client.post(reverse("gigs:approve", args=[service.pk]))
    service.refresh_from_db()
    assert service.status == S.APPROVED


# --- Who sees what ---------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["pending", "rejected", "paused"])
def test_an_unlisted_service_is_seen_by_its_seller_and_staff_only(client, state):
    service = published_service()
    if state == "rejected":
        services.reject_service(moderator=moderator(), service=service, reason="لا يوافق شروط الموقع.")
    if state == "paused":
        services.approve_service(moderator=moderator(), service=service)
        services.pause_service(seller=service.seller, service=service)
    url = service.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(freelancer_user())
    assert client.get(url).status_code == 404
    assert client.get(reverse("gigs:order", args=[service.pk])).status_code == 404
    client.force_login(service.seller)
    assert client.get(url).status_code == 200
    client.force_login(moderator())
    assert client.get(url).status_code == 200


def test_another_person_cannot_edit_pause_or_resume_a_service(client):
    service = approved_service()
    client.force_login(freelancer_user())
    assert client.get(reverse("gigs:edit", args=[service.pk])).status_code == 404
    assert client.post(reverse("gigs:move", args=[service.pk, "pause"])).status_code == 404
    service.refresh_from_db()
    assert service.status == S.APPROVED


def test_the_seller_pauses_and_resumes_from_the_page(client):
    service = approved_service()
    client.force_login(service.seller)
    client.post(reverse("gigs:move", args=[service.pk, "pause"]))
    service.refresh_from_db()
    assert service.status == S.PAUSED
    client.post(reverse("gigs:move", args=[service.pk, "resume"]))
    service.refresh_from_db()
    assert service.status == S.APPROVED


def test_an_edit_sends_the_service_back_to_review(client):
    service = approved_service()
    client.force_login(service.seller)
    response = client.post(reverse("gigs:edit", args=[service.pk]), _form_data(images=[]))
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.status == S.PENDING and service.price_cents == 1000


# --- The list ---------------------------------------------------------------------------------------


def test_the_list_shows_published_services_only(client):
    shown = approved_service()
    hidden = published_service()
    ids = listed(client.get("/services/"))
    assert shown.pk in ids and hidden.pk not in ids


def test_the_filters_narrow_the_list(client):
    design = Category.objects.order_by("pk").first()
    other = Category.objects.order_by("pk").last()
    cheap_fast = service_rows(1, price_cents=500, delivery_days=1, category=design)[0]
    dear_slow = service_rows(1, price_cents=5000, delivery_days=10, category=other)[0]
    assert listed(client.get("/services/", {"max_price": "10"})) == [cheap_fast.pk]
    assert listed(client.get("/services/", {"min_price": "20"})) == [dear_slow.pk]
    assert listed(client.get("/services/", {"delivery": "1"})) == [cheap_fast.pk]
    assert listed(client.get("/services/", {"category": other.slug})) == [dear_slow.pk]
    assert listed(client.get("/services/", {"category": "no-such"})) == []
    skill = dear_slow.skills.first()
    assert dear_slow.pk in listed(client.get("/services/", {"skill": skill.slug}))
    assert listed(client.get("/services/", {"rating": "4"})) == []  # nobody reviewed yet


def test_the_sorts(client):
    first, second = service_rows(2)
    Service.objects.filter(pk=first.pk).update(order_count=5)
    assert listed(client.get("/services/", {"sort": "best_selling"}))[:2] == [first.pk, second.pk]
    assert listed(client.get("/services/", {"sort": "newest"}))[:2] == [second.pk, first.pk]
    assert client.get("/services/", {"sort": "best_rated"}).status_code == 200


def test_an_arabic_search_finds_a_service_whatever_the_spelling(client):
    wanted = approved_service(title="سأصمم لك شعاراً احترافياً لمشروعك الجديد")
    service_rows(
        3,
        title="سأكتب لك مقالاً عن التسويق الرقمي",
        description="مقال من ألف كلمة عن التسويق عبر وسائل التواصل، مكتوب بلغة سليمة ومراجع بعناية.",
    )
    assert listed(client.get("/services/", {"q": "شعار"})) == [wanted.pk]
    assert listed(client.get("/services/", {"q": "الشعارات"})) == [wanted.pk]
    assert listed(client.get("/services/", {"q": "تصميم شعار"})) == [wanted.pk]


@pytest.mark.parametrize(
    "url", ["/services/", "/services/?category=design&delivery=3&sort=best_rated", "/services/?q=شعار"]
)
def test_the_list_costs_the_same_with_5_and_30_services(client, url, django_assert_num_queries):
    service_rows(5)
    with_five = queries_for(client, url)
    service_rows(25)
    client.get(url)
    for cache in caches.all():
        cache.clear()
    with django_assert_num_queries(with_five):
        client.get(url)
    assert with_five <= 10


def test_the_header_and_home_page_lead_to_both_markets(client):
    page = text_of(client.get("/"))
    assert 'href="/services/"' in page and 'href="/projects/"' in page


# --- The service page ----------------------------------------------------------------------------


def test_the_service_page_shows_upgrades_total_and_the_seller_card(client):
    service = approved_service()
    response = client.get(service.get_absolute_url())
    page = text_of(response)
    for upgrade in service.upgrades.all():
        assert upgrade.title in page and f'value="{upgrade.pk}"' in page
    assert 'data-cap-cents="25500"' in page and "$255.00" in page
    assert service.seller.name in page
    assert arabic("Member since") in page


def test_the_service_page_costs_the_same_with_more_images_and_other_services(
    client, django_assert_num_queries
):
    seller = freelancer_user()
    service = service_rows(1, seller=seller, images=1)[0]
    service_rows(1, seller=seller)
    url = service.get_absolute_url()
    few = queries_for(client, url)
    service.images.all().delete()
    service_rows(6, seller=seller, images=3)
    more = service_rows(1, seller=seller, images=5)[0]
    assert queries_for(client, more.get_absolute_url()) == few


# --- Ordering -------------------------------------------------------------------------------------


def test_ordering_asks_to_sign_in(client):
    service = approved_service()
    response = client.get(reverse("gigs:order", args=[service.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_confirmation_shows_the_total_and_the_balance(client):
    service = approved_service(price_cents=1000)
    buyer = client_user()
    give_available_funds(buyer, 1200)
    upgrades = list(service.upgrades.order_by("position"))
    client.force_login(buyer)
    response = client.get(
        reverse("gigs:order", args=[service.pk]), {"upgrades": [upgrades[0].pk], "quantity": "2"}
    )
    page = text_of(response)
    assert "$30.00" in page and "$12.00" in page  # 2 × $10 + $10; the balance
    assert (
        arabic(
            "Your balance is short by %(shortfall)s. Add it with a deposit: you come back here to confirm."
        ).split("%")[0]
        in page
    )


def test_a_refused_order_tells_why_on_the_service_page(client):
    service = approved_service(max_quantity=2)
    client.force_login(service.seller)
    response = client.get(reverse("gigs:order", args=[service.pk]), {"quantity": "1"})
    assert response.status_code == 302
    assert arabic("You cannot order your own service.") in messages_of(response)
    client.force_login(client_user())
    response = client.get(reverse("gigs:order", args=[service.pk]), {"quantity": "3"})
    assert response.status_code == 302 and not Order.objects.exists()


@needs_engine
def test_a_short_balance_goes_to_the_deposit_and_back_to_the_same_confirmation(client):
    service = approved_service(price_cents=1000)
    buyer = client_user()
    client.force_login(buyer)
    upgrade = service.upgrades.order_by("position").first()
    before = ledger_snapshot()
    response = client.post(
        reverse("gigs:order", args=[service.pk]),
        {"upgrades": [upgrade.pk], "quantity": "1", "confirmed": "1"},
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("wallet:deposit"))
    assert (
        "next=" in response["Location"] and f"%2Fservices%2F{service.pk}%2Forder%2F" in response["Location"]
    )
    assert ledger_snapshot() == before and not Contract.objects.exists()


@needs_engine
def test_a_paid_order_leads_to_its_contract_page(client):
    service = approved_service(price_cents=1000)
    buyer = client_user()
    give_available_funds(buyer, 5000)
    client.force_login(buyer)
    response = client.post(reverse("gigs:order", args=[service.pk]), {"quantity": "2", "confirmed": "1"})
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == order.contract.get_absolute_url()
    assert order.total_cents == 2000


def test_an_unverified_person_is_asked_to_verify_before_publishing(client):
    client.force_login(UserFactory())
    assert client.get(reverse("gigs:create")).status_code == 302

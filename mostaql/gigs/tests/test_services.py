"""Every rule of publishing, moderating, pausing and ordering a service; refusals write nothing."""

import pytest
from django.core import mail

from mostaql.accounts.tests.factories import UserFactory
from mostaql.contracts.models import Contract
from mostaql.contracts.services import NeedsFunds
from mostaql.core.exceptions import DomainError
from mostaql.gigs import services
from mostaql.gigs.models import Order, OrderUpgrade, Service, Upgrade
from mostaql.gigs.tests.factories import (
    INSTRUCTIONS,
    a_category,
    approved_service,
    clean_images,
    published_service,
    some_skills,
)
from mostaql.gigs.tests.support import needs_engine
from mostaql.notifications.models import Notification
from mostaql.projects.tests.factories import client_user, freelancer_user, moderator
from mostaql.wallet import ledger
from mostaql.wallet.services import balances
from mostaql.wallet.tests.factories import give_available_funds, ledger_snapshot

pytestmark = pytest.mark.django_db
S = Service.Status
Spec = services.UpgradeSpec


def _publish(**overrides):
    arguments = {
        "seller": freelancer_user(),
        "title": "سأكتب لك مقالاً احترافياً",
        "description": "مقال من ألف كلمة عن موضوعك، مكتوب بلغة سليمة ومراجع، مع عنوان جذاب وصورة.",
        "category": a_category(),
        "skills": some_skills(1),
        "price_cents": 500,
        "delivery_days": 3,
        "instructions": INSTRUCTIONS,
        "max_quantity": 2,
        "upgrades": [],
        "images": clean_images(1),
    }
    return services.publish_service(**{**arguments, **overrides})


# --- Publishing -----------------------------------------------------------------------------------


def test_a_new_service_waits_for_review_with_its_upgrades_and_gallery():
    service = published_service(images=2)
    assert service.status == S.PENDING and service.published_at is None
    titles = [upgrade.title for upgrade in service.upgrades.all()]
    assert titles == ["ملفات المصدر المفتوحة", "تسليم سريع خلال يوم"]
    images = list(service.images.all())
    assert len(images) == 2 and all(image.thumbnail.name for image in images)
    assert service.search_stems  # indexed for core.search


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "قصير"}, "title"),
        ({"title": "ع" * 101}, "title"),
        ({"price_cents": 400}, "price"),
        ({"price_cents": 750}, "price"),  # not in $5 steps
        ({"price_cents": 10_500}, "price"),  # above SERVICE_MAX_PRICE_CENTS
        ({"skills": []}, "skills"),
        ({"delivery_days": 0}, "delivery_days"),
        ({"max_quantity": 0}, "max_quantity"),
        ({"upgrades": [Spec("ترقية إضافية", 500)] * 5}, "upgrades"),  # a 5th upgrade
        ({"upgrades": [Spec("ترقية غالية", 5500)]}, "upgrades"),  # $55
        ({"upgrades": [Spec("ترقية مجانية", 0)]}, "upgrades"),  # $0
        ({"upgrades": [Spec("ترقية غير مقربة", 1200)]}, "upgrades"),  # not in $5 steps
        ({"images": clean_images(6)}, "images"),
    ],
)
def test_publishing_refuses_bad_input_and_writes_nothing(overrides, field):
    seller = freelancer_user()
    with pytest.raises(DomainError) as refused:
        _publish(seller=seller, **overrides)
    assert refused.value.field == field
    assert str(refused.value.message)
    assert not Service.objects.exists() and not Upgrade.objects.exists()


def test_the_refusals_are_in_arabic():
    with pytest.raises(DomainError) as refused:
        _publish(upgrades=[Spec("ترقية غالية", 5500)])
    assert "٥" in refused.value.message or "$" in refused.value.message
    assert "التطوير" in refused.value.message


def test_an_unverified_seller_cannot_publish():
    with pytest.raises(DomainError):
        _publish(seller=UserFactory())
    assert not Service.objects.exists()


def test_contact_details_are_masked_in_a_service():
    service = _publish(
        description="مقال من ألف كلمة، تواصل معي على someone@example.com أو واتساب قبل الطلب للاتفاق."
    )
    assert "someone@example.com" not in service.description
    assert service.masked_contacts


# --- Moderation -----------------------------------------------------------------------------------


def test_a_moderator_approves_and_the_seller_is_told():
    service = published_service()
    services.approve_service(moderator=moderator(), service=service)
    service.refresh_from_db()
    assert service.status == S.APPROVED and service.published_at is not None
    assert Notification.objects.filter(user=service.seller, kind="service_approved").exists()


def test_a_moderator_rejects_with_a_reason_and_the_seller_is_told():
    service = published_service()
    with pytest.raises(DomainError):
        services.reject_service(moderator=moderator(), service=service, reason="قصير")
    services.reject_service(moderator=moderator(), service=service, reason="الصور لا تخص العمل المعروض.")
    service.refresh_from_db()
    assert service.status == S.REJECTED and service.rejection_reason
    assert Notification.objects.filter(user=service.seller, kind="service_rejected").exists()


def test_only_staff_moderate_and_a_service_without_images_is_not_approved():
    service = _publish(images=[])
    with pytest.raises(DomainError):
        services.approve_service(moderator=freelancer_user(), service=service)
    with pytest.raises(DomainError):
        services.approve_service(moderator=moderator(), service=service)
    service.refresh_from_db()
    assert service.status == S.PENDING


def test_an_edit_goes_back_to_review_and_keeps_upgrade_ids():
    service = approved_service()
    first_upgrade = service.upgrades.order_by("position").first()
    edited = services.edit_service(
        seller=service.seller,
        service=service,
        title="سأصمم لك شعاراً احترافياً مميزاً",
        description=service.description,
        category=service.category,
        skills=list(service.skills.all()),
        price_cents=1000,
        delivery_days=3,
        instructions=service.instructions,
        max_quantity=2,
        upgrades=[Spec("ملفات المصدر كاملة", 1500, 2)],
    )
    assert edited.status == S.PENDING
    assert list(edited.upgrades.values_list("pk", "title")) == [(first_upgrade.pk, "ملفات المصدر كاملة")]


def test_someone_else_cannot_edit_a_service():
    service = approved_service()
    with pytest.raises(DomainError):
        services.edit_service(
            seller=freelancer_user(),
            service=service,
            title=service.title,
            description=service.description,
            category=service.category,
            skills=list(service.skills.all()),
            price_cents=500,
            delivery_days=2,
            instructions=service.instructions,
            max_quantity=1,
            upgrades=[],
        )
    service.refresh_from_db()
    assert service.status == S.APPROVED


def test_the_seller_pauses_and_resumes():
    service = approved_service()
    with pytest.raises(DomainError):
        services.pause_service(seller=freelancer_user(), service=service)
    services.pause_service(seller=service.seller, service=service)
    service.refresh_from_db()
    assert service.status == S.PAUSED
    with pytest.raises(DomainError):
        services.pause_service(seller=service.seller, service=service)
    services.resume_service(seller=service.seller, service=service)
    service.refresh_from_db()
    assert service.status == S.APPROVED


# --- Ordering: the refusals -----------------------------------------------------------------------


def _refused(buyer, service, upgrade_ids, quantity, field=None):
    before = ledger_snapshot()
    contracts = Contract.objects.count()
    with pytest.raises(DomainError) as refused:
        services.place_order(buyer=buyer, service=service, upgrade_ids=upgrade_ids, quantity=quantity)
    assert ledger_snapshot() == before
    assert Contract.objects.count() == contracts and not Order.objects.exists()
    assert not ledger.audit().problems
    if field:
        assert refused.value.field == field
    return refused.value


def test_ordering_ones_own_service_is_refused():
    service = approved_service()
    give_available_funds(service.seller, 5000)
    error = _refused(service.seller, service, [], 1)
    assert "خدمت" in error.message


def test_a_paused_or_rejected_or_pending_service_cannot_be_ordered():
    buyer = client_user()
    give_available_funds(buyer, 5000)
    paused = approved_service()
    services.pause_service(seller=paused.seller, service=paused)
    _refused(buyer, paused, [], 1)
    _refused(buyer, published_service(), [], 1)
    rejected = published_service()
    services.reject_service(moderator=moderator(), service=rejected, reason="لا يوافق شروط الموقع.")
    _refused(buyer, rejected, [], 1)


def test_an_upgrade_of_another_service_is_refused():
    buyer = client_user()
    give_available_funds(buyer, 5000)
    service, other = approved_service(), approved_service()
    _refused(buyer, service, [other.upgrades.first().pk], 1, field="upgrades")


def test_a_quantity_over_the_maximum_is_refused():
    buyer = client_user()
    give_available_funds(buyer, 5000)
    service = approved_service(max_quantity=3)
    _refused(buyer, service, [], 4, field="quantity")
    _refused(buyer, service, [], 0, field="quantity")


def test_an_order_over_the_cap_is_refused_with_the_cap_named(settings):
    buyer = client_user()
    give_available_funds(buyer, 50_000)
    service = approved_service(price_cents=10_000, max_quantity=3)
    error = _refused(buyer, service, [], 3)  # $300 > $255
    assert "255" in error.message


def test_the_quote_prices_base_times_quantity_plus_upgrades():
    service = approved_service(price_cents=1000, delivery_days=2)
    upgrades = list(service.upgrades.order_by("position"))
    quote = services.quote_order(
        buyer=client_user(), service=service, upgrade_ids=[upgrade.pk for upgrade in upgrades], quantity=2
    )
    assert quote.total_cents == 2 * 1000 + 1000 + 500
    assert quote.days == 2 + 1


# --- Ordering: paid --------------------------------------------------------------------------------


@needs_engine
def test_an_order_moves_the_whole_price_into_escrow_in_one_transfer():
    buyer = client_user()
    give_available_funds(buyer, 5000)
    service = approved_service(price_cents=1000)
    upgrade = service.upgrades.order_by("position").first()
    transfers = ledger_snapshot()["transfers"]
    order = services.place_order(buyer=buyer, service=service, upgrade_ids=[upgrade.pk], quantity=2)
    assert order.total_cents == 3000 and order.days == 3 and order.base_price_cents == 1000
    assert list(OrderUpgrade.objects.values_list("title", "price_cents", "extra_days")) == [
        ("ملفات المصدر المفتوحة", 1000, 1)
    ]
    contract = order.contract
    assert contract.origin == "order" and contract.status == "awaiting_requirements"
    assert contract.client_id == buyer.pk and contract.freelancer_id == service.seller_id
    assert contract.amount_cents == 3000 and contract.title == service.title
    assert balances(buyer)["available"] == 2000
    assert ledger_snapshot()["transfers"] == transfers + 1
    assert not ledger.audit().problems
    service.refresh_from_db()
    assert service.order_count == 1


@needs_engine
def test_a_short_balance_needs_funds_and_writes_nothing():
    buyer = client_user()
    give_available_funds(buyer, 500)
    service = approved_service(price_cents=1000)
    before = ledger_snapshot()
    with pytest.raises(NeedsFunds) as short:
        services.place_order(buyer=buyer, service=service, upgrade_ids=[], quantity=1)
    assert short.value.shortfall_cents == 500
    assert ledger_snapshot() == before and not Order.objects.exists() and not Contract.objects.exists()


@needs_engine
def test_the_snapshot_keeps_what_was_bought_after_the_seller_changes_the_upgrade():
    buyer = client_user()
    give_available_funds(buyer, 5000)
    service = approved_service()
    upgrade = service.upgrades.order_by("position").first()
    order = services.place_order(buyer=buyer, service=service, upgrade_ids=[upgrade.pk], quantity=1)
    services.edit_service(
        seller=service.seller,
        service=service,
        title=service.title,
        description=service.description,
        category=service.category,
        skills=list(service.skills.all()),
        price_cents=2000,
        delivery_days=5,
        instructions=service.instructions,
        max_quantity=1,
        upgrades=[],
    )
    order.refresh_from_db()
    row = order.upgrades.get()
    assert (row.title, row.price_cents, order.base_price_cents) == ("ملفات المصدر المفتوحة", 1000, 500)
    assert len(mail.outbox) >= 0  # the order's e-mails come from the engine

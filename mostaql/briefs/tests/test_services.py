"""Every rule of posting, moderating, answering, ordering and expiring a request; refusals write nothing."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from mostaql.briefs import services
from mostaql.briefs.models import Answer, Brief, BriefEvent
from mostaql.briefs.tests.factories import NOTE, answered, open_brief, posted_brief
from mostaql.contracts.models import Contract
from mostaql.contracts.services import NeedsFunds
from mostaql.core.exceptions import DomainError
from mostaql.gigs import services as gig_services
from mostaql.gigs.models import Order
from mostaql.gigs.tests.factories import approved_service, published_service
from mostaql.notifications.models import EmailPreference, Notification
from mostaql.projects.tests.factories import client_user, freelancer_user, moderator
from mostaql.wallet.services import balances
from mostaql.wallet.tests.factories import give_available_funds, ledger_snapshot

pytestmark = pytest.mark.django_db
B = Brief.Status


def _nothing_written(action):
    before = (Brief.objects.count(), Answer.objects.count(), Order.objects.count(), Contract.objects.count())
    events, notes, ledger = BriefEvent.objects.count(), Notification.objects.count(), ledger_snapshot()
    with pytest.raises(DomainError) as refusal:
        action()
    after = (Brief.objects.count(), Answer.objects.count(), Order.objects.count(), Contract.objects.count())
    assert after == before
    assert BriefEvent.objects.count() == events and Notification.objects.count() == notes
    assert ledger_snapshot() == ledger
    assert any("\u0600" <= char <= "\u06ff" for char in refusal.value.message), "the message is Arabic"
    return refusal.value


# --- Posting and moderation -------------------------------------------------------------------------


def test_a_posted_request_waits_for_review_and_is_not_listed():
    brief = posted_brief()
    assert brief.status == B.PENDING and brief.expires_at is None
    assert not services.is_listed(brief)


def test_a_budget_over_the_order_cap_is_refused_with_the_cap_named(settings):
    error = _nothing_written(lambda: posted_brief(budget_cents=settings.ORDER_MAX_CENTS + 500))
    assert error.field == "budget" and "255" in error.message


def test_a_budget_at_the_cap_is_accepted(settings):
    assert posted_brief(budget_cents=settings.ORDER_MAX_CENTS).budget_cents == settings.ORDER_MAX_CENTS


def test_contact_details_in_a_request_are_masked():
    brief = posted_brief(description="تواصل معي على me@example.com لأرسل لك التفاصيل الكاملة للشعار المطلوب")
    assert "example.com" not in brief.description and brief.masked_contacts


def test_approval_opens_it_for_seven_days_and_tells_the_buyer(settings):
    brief = posted_brief()
    now = timezone.now()
    services.approve_brief(moderator=moderator(), brief=brief, now=now)
    brief.refresh_from_db()
    assert brief.status == B.OPEN
    assert brief.expires_at == now + datetime.timedelta(days=settings.REQUEST_OPEN_DAYS)
    note = Notification.objects.get(user=brief.buyer, kind="brief_approved")
    assert "طلبك" in note.title


def test_rejection_needs_a_reason_and_tells_the_buyer_why(django_capture_on_commit_callbacks):
    brief = posted_brief()
    staff = moderator()
    _nothing_written(lambda: services.reject_brief(moderator=staff, brief=brief, reason="قصير"))
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_brief(moderator=staff, brief=brief, reason="الطلب يخالف شروط الموقع.")
    brief.refresh_from_db()
    assert brief.status == B.REJECTED
    assert Notification.objects.filter(user=brief.buyer, kind="brief_rejected").exists()
    assert "يخالف" in mail.outbox[-1].body


def test_only_staff_moderate():
    brief = posted_brief()
    seller = freelancer_user()
    _nothing_written(lambda: services.approve_brief(moderator=seller, brief=brief))


def test_notifications_can_be_switched_off(django_capture_on_commit_callbacks):
    buyer = client_user()
    EmailPreference.objects.create(user=buyer, kind="brief_approved")
    brief, service = posted_brief(buyer), approved_service()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_brief(moderator=moderator(), brief=brief)
        answered(brief, service=service)
    assert Notification.objects.filter(user=buyer, kind="brief_approved").exists()
    assert [message.subject for message in mail.outbox if message.to == [buyer.email]] == [
        Notification.objects.get(user=buyer, kind="brief_answered").title
    ]


# --- Answers ---------------------------------------------------------------------------------------


def test_a_seller_answers_once_and_the_buyer_is_told():
    brief = open_brief()
    answer = answered(brief)
    brief.refresh_from_db()
    assert brief.answer_count == 1 and answer.note == NOTE
    assert Notification.objects.filter(user=brief.buyer, kind="brief_answered").exists()
    again = approved_service(answer.seller)
    error = _nothing_written(
        lambda: services.answer_brief(seller=answer.seller, brief=brief, service=again, note=NOTE)
    )
    assert "سبق" in error.message or "بالفعل" in error.message


def test_answering_ones_own_request_is_refused():
    buyer = freelancer_user()
    brief = open_brief(buyer)
    service = approved_service(buyer)
    _nothing_written(lambda: services.answer_brief(seller=buyer, brief=brief, service=service, note=NOTE))


def test_answering_with_someone_elses_service_is_refused():
    brief, seller, service = open_brief(), freelancer_user(), approved_service()
    error = _nothing_written(
        lambda: services.answer_brief(seller=seller, brief=brief, service=service, note=NOTE)
    )
    assert error.field == "service"


def test_answering_with_a_paused_rejected_or_pending_service_is_refused():
    brief = open_brief()
    paused = approved_service()
    gig_services.pause_service(seller=paused.seller, service=paused)
    rejected = published_service()
    gig_services.reject_service(moderator=moderator(), service=rejected, reason="لا يوافق شروط الموقع.")
    for service in (paused, rejected, published_service()):
        _nothing_written(
            lambda service=service: services.answer_brief(
                seller=service.seller, brief=brief, service=service, note=NOTE
            )
        )


def test_a_pending_or_expired_request_cannot_be_answered():
    pending = posted_brief()
    service = approved_service()
    _nothing_written(
        lambda: services.answer_brief(seller=service.seller, brief=pending, service=service, note=NOTE)
    )
    brief = open_brief()
    later = brief.expires_at + datetime.timedelta(seconds=1)
    _nothing_written(
        lambda: services.answer_brief(
            seller=service.seller, brief=brief, service=service, note=NOTE, now=later
        )
    )


# --- Ordering --------------------------------------------------------------------------------------


def test_ordering_an_answer_places_an_order_of_its_service_and_closes_the_request():
    brief = open_brief()
    answer = answered(brief, service=approved_service(price_cents=1500))
    give_available_funds(brief.buyer, 2000)
    order = services.order_answer(buyer=brief.buyer, answer=answer)
    brief.refresh_from_db()
    assert brief.status == B.ORDERED and brief.order == order
    assert order.service == answer.service and order.total_cents == 1500
    assert order.contract.status == Contract.Status.AWAITING_REQUIREMENTS
    assert balances(brief.buyer)["available"] == 500
    assert not services.is_listed(brief)
    second = answered_by_another(brief)
    assert second is None


def answered_by_another(brief):
    service = approved_service()
    try:
        return services.answer_brief(seller=service.seller, brief=brief, service=service, note=NOTE)
    except DomainError:
        return None


def test_ordering_without_funds_raises_needs_funds_and_writes_nothing():
    brief = open_brief()
    answer = answered(brief)
    before = ledger_snapshot()
    with pytest.raises(NeedsFunds):
        services.order_answer(buyer=brief.buyer, answer=answer)
    brief.refresh_from_db()
    assert brief.status == B.OPEN and brief.order is None and ledger_snapshot() == before


def test_ordering_from_an_expired_request_is_refused_even_before_the_sweep():
    brief = open_brief()
    answer = answered(brief)
    give_available_funds(brief.buyer, 5000)
    later = brief.expires_at + datetime.timedelta(minutes=1)
    _nothing_written(lambda: services.order_answer(buyer=brief.buyer, answer=answer, now=later))


def test_ordering_twice_from_a_closed_request_is_refused():
    brief = open_brief()
    answer = answered(brief)
    give_available_funds(brief.buyer, 5000)
    services.order_answer(buyer=brief.buyer, answer=answer)
    answer.refresh_from_db()
    _nothing_written(lambda: services.order_answer(buyer=brief.buyer, answer=answer))


def test_only_the_buyer_orders_from_the_answers():
    brief = open_brief()
    answer = answered(brief)
    stranger = client_user()
    give_available_funds(stranger, 5000)
    _nothing_written(lambda: services.order_answer(buyer=stranger, answer=answer))


def test_ordering_an_answer_whose_service_was_paused_since_is_refused():
    brief = open_brief()
    answer = answered(brief)
    gig_services.pause_service(seller=answer.seller, service=answer.service)
    give_available_funds(brief.buyer, 5000)
    _nothing_written(lambda: services.order_answer(buyer=brief.buyer, answer=answer))


# --- Expiry ----------------------------------------------------------------------------------------


def test_the_sweep_expires_open_requests_past_their_date_and_is_safe_twice():
    old, fresh, pending = open_brief(), open_brief(), posted_brief()
    Brief.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert services.expire_briefs() == 1
    assert services.expire_briefs() == 0
    statuses = dict(Brief.objects.values_list("pk", "status"))
    assert statuses == {old.pk: B.EXPIRED, fresh.pk: B.OPEN, pending.pk: B.PENDING}


def test_the_sweep_is_a_beat_task(settings):
    assert any(
        entry["task"] == "mostaql.briefs.tasks.expire_requests"
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
    )

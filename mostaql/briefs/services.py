"""Every change to requests and their answers: post, moderate, answer, order, expire."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mostaql.accounts.models import User
from mostaql.briefs import hooks
from mostaql.briefs.models import Answer, Brief, BriefEvent
from mostaql.catalog.models import Category
from mostaql.core.exceptions import DomainError
from mostaql.core.masking import mask_contacts
from mostaql.core.money import format_money
from mostaql.core.search.analysis import document
from mostaql.core.search.engine import index_fields, remember_words
from mostaql.core.text import clean_line, strip_bidi_controls
from mostaql.gigs import services as gig_services
from mostaql.gigs.models import Order, Service
from mostaql.notifications.services import notify
from mostaql.projects.services import has_verified_email

B = Brief.Status


def is_listed(brief: Brief, now: datetime.datetime | None = None) -> bool:
    """Open and not past its expiry, whether or not the sweep has marked it yet."""
    now = now or timezone.now()
    return brief.status == B.OPEN and brief.expires_at is not None and brief.expires_at > now


def _record(brief: Brief, actor: User | None, action: str, note: str = "") -> None:
    BriefEvent.objects.create(brief=brief, actor=actor, action=action, note=note)


def _lock(brief: Brief) -> Brief:
    """The request's row, locked (docs/architecture.md, "Locks": after the user, before the service)."""
    return Brief.objects.select_for_update().get(pk=brief.pk)


def check_budget(budget_cents: int) -> None:
    low, high = settings.SERVICE_MIN_PRICE_CENTS, settings.ORDER_MAX_CENTS
    if not low <= budget_cents <= high:
        raise DomainError(
            _("The budget must be from %(low)s to %(high)s, the most one order may cost.")
            % {"low": format_money(low), "high": format_money(high)},
            field="budget",
        )


@transaction.atomic
def post_brief(
    *,
    buyer: User,
    title: str,
    description: str,
    category: Category,
    budget_cents: int,
    delivery_days: int,
    now: datetime.datetime | None = None,
) -> Brief:
    """A new request waits for a moderator. Contact details in it are masked (`brief.masked_contacts`).
    Takes no locks (a new row)."""
    if not has_verified_email(buyer):
        raise DomainError(_("Verify your e-mail address before you post a request."))
    title, masked_title = mask_contacts(clean_line(title))
    description, masked_description = mask_contacts(strip_bidi_controls(description).strip())
    if not 10 <= len(title) <= 100:
        raise DomainError(_("The title must be 10 to 100 characters long."), field="title")
    if not 30 <= len(description) <= 2000:
        raise DomainError(_("The description must be 30 to 2,000 characters long."), field="description")
    check_budget(budget_cents)
    if not 1 <= delivery_days <= settings.SERVICE_MAX_DELIVERY_DAYS:
        raise DomainError(
            _("The delivery time must be 1 to %(count)s days.")
            % {"count": settings.SERVICE_MAX_DELIVERY_DAYS},
            field="delivery_days",
        )
    brief = Brief(
        buyer=buyer,
        title=title,
        description=description,
        category=category,
        budget_cents=budget_cents,
        delivery_days=delivery_days,
        status=B.PENDING,
    )
    indexed = document(title=title, body=description)
    for column, value in index_fields(indexed).items():
        setattr(brief, column, value)
    brief.save()
    remember_words(indexed)
    _record(brief, buyer, "posted")
    brief.masked_contacts = masked_title or masked_description
    return brief


@transaction.atomic
def approve_brief(*, moderator: User, brief: Brief, now: datetime.datetime | None = None) -> Brief:
    """Published for REQUEST_OPEN_DAYS from now. Locks the request's row."""
    if not moderator.is_staff:
        raise DomainError(_("Only moderators can review requests."))
    brief = _lock(brief)
    if brief.status != B.PENDING:
        raise DomainError(_("Only a request waiting for review can be approved."))
    now = now or timezone.now()
    brief.status, brief.rejection_reason = B.OPEN, ""
    brief.published_at = now
    brief.expires_at = now + datetime.timedelta(days=settings.REQUEST_OPEN_DAYS)
    brief.save(update_fields=["status", "rejection_reason", "published_at", "expires_at", "updated_at"])
    _record(brief, moderator, "approved")
    notify(user=brief.buyer, kind="brief_approved", context={"brief": brief}, url=brief.get_absolute_url())
    hooks.published(brief=brief)
    return brief


@transaction.atomic
def reject_brief(
    *, moderator: User, brief: Brief, reason: str, now: datetime.datetime | None = None
) -> Brief:
    """Locks the request's row."""
    if not moderator.is_staff:
        raise DomainError(_("Only moderators can review requests."))
    reason = strip_bidi_controls(reason).strip()
    if len(reason) < 10:
        raise DomainError(_("Explain the reason to the buyer (at least 10 characters)."), field="reason")
    brief = _lock(brief)
    if brief.status != B.PENDING:
        raise DomainError(_("Only a request waiting for review can be rejected."))
    brief.status, brief.rejection_reason = B.REJECTED, reason
    brief.save(update_fields=["status", "rejection_reason", "updated_at"])
    _record(brief, moderator, "rejected", reason)
    notify(user=brief.buyer, kind="brief_rejected", context={"brief": brief}, url=brief.get_absolute_url())
    return brief


def check_answer(
    *, seller: User, brief: Brief, service: Service, now: datetime.datetime | None = None
) -> None:
    """Every refusal of an answer, in the order a seller would want to hear them; writes nothing."""
    if brief.buyer_id == seller.pk:
        raise DomainError(_("You cannot answer your own request."))
    if not is_listed(brief, now):
        raise DomainError(_("This request is closed: it expired or the buyer has already ordered."))
    if service.seller_id != seller.pk:
        raise DomainError(_("Answer with one of your own services."), field="service")
    if service.status != Service.Status.APPROVED:
        raise DomainError(
            _("Answer with a published service: this one is paused, rejected or waiting for review."),
            field="service",
        )
    if Answer.objects.filter(brief=brief, seller=seller).exists():
        raise DomainError(_("You have already answered this request."))


@transaction.atomic
def answer_brief(
    *, seller: User, brief: Brief, service: Service, note: str, now: datetime.datetime | None = None
) -> Answer:
    """Offer one of the seller's approved services for the request (once per seller); the buyer is told.

    Locks the request's row (so an answer and the buyer's order do not cross).
    """
    note = mask_contacts(strip_bidi_controls(note).strip())[0]
    if not 10 <= len(note) <= 1000:
        raise DomainError(_("Write a note of 10 to 1,000 characters to the buyer."), field="note")
    brief = _lock(brief)
    service = Service.objects.get(pk=service.pk)  # its state now, not as the caller read it
    check_answer(seller=seller, brief=brief, service=service, now=now)
    try:
        with transaction.atomic():
            answer = Answer.objects.create(brief=brief, seller=seller, service=service, note=note)
    except IntegrityError:  # a second answer racing the first past the check
        raise DomainError(_("You have already answered this request.")) from None
    Brief.objects.filter(pk=brief.pk).update(answer_count=F("answer_count") + 1)
    _record(brief, seller, "answered")
    notify(
        user=brief.buyer,
        kind="brief_answered",
        context={"brief": brief, "answer": answer, "seller": seller, "service": service},
        url=brief.get_absolute_url(),
    )
    return answer


@transaction.atomic
def order_answer(*, buyer: User, answer: Answer, now: datetime.datetime | None = None) -> Order:
    """Order the service of an answer: an ordinary order of it (gigs.services.place_order, the same
    payment and top-up path), and the request closes. Raises contracts.services.NeedsFunds when the
    balance is short; nothing is written on any refusal.

    Locks the request's row, then what place_order locks (the service, the ledger accounts).
    """
    brief = _lock(answer.brief)
    if brief.buyer_id != buyer.pk:
        raise DomainError(_("Only the request's buyer can order from its answers."))
    if not is_listed(brief, now):
        raise DomainError(_("This request is closed: it expired or you have already ordered."))
    order = gig_services.place_order(buyer=buyer, service=answer.service, upgrade_ids=[], quantity=1, now=now)
    brief.status, brief.order = B.ORDERED, order
    brief.save(update_fields=["status", "order", "updated_at"])
    _record(brief, buyer, "ordered", str(answer.pk))
    return order


def expire_briefs(*, now: datetime.datetime | None = None) -> int:
    """Mark open requests past their expiry as expired; returns how many. An idempotent sweep
    (Celery beat, manage.py expire_requests); the lists already leave them out by date. Takes no row
    locks beyond the UPDATE's own (an order racing it re-checks the date under its lock)."""
    now = now or timezone.now()
    return Brief.objects.filter(status=B.OPEN, expires_at__lte=now).update(status=B.EXPIRED, updated_at=now)

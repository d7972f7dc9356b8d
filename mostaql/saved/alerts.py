"""Telling people what their saved searches found: at once, or in one daily digest.

What a run found is told once (PendingAlert.sent_at), in one notification (and one e-mail) per
person; a digest goes once a day per person (DigestSent). Every function here is safe to run twice."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from mostaql.accounts.models import User
from mostaql.notifications.services import notify
from mostaql.saved import matching
from mostaql.saved.lists import LISTS
from mostaql.saved.models import DigestSent, MatchedItem, PendingAlert, SavedSearch

F = SavedSearch.Frequency
# An alert or digest names this many items; the rest are behind its link.
ITEMS_PER_ALERT = 20
# The sweep matches what was published this long ago and never matched (a task lost on the way).
SWEEP_LOOKBACK = datetime.timedelta(days=2)


def query_string(saved_search: SavedSearch) -> str:
    """The saved search as its list's query string ("" for the whole list), "?" included."""
    params = {"q": saved_search.query, **saved_search.filters} if saved_search.query else saved_search.filters
    return "?" + urlencode(params, doseq=True) if params else ""


def list_url(saved_search: SavedSearch) -> str:
    """The list page with the saved search's query and filters: what the alert's items are among."""
    return reverse(LISTS[saved_search.list_name].url_name) + query_string(saved_search)


def _deliver(*, user_id: int, instant: bool, now: datetime.datetime) -> int:
    """Tell a person what their runs found and nobody told them, in one notification (and one
    e-mail); returns the items told. Locks the person's unsent rows (skipping those another worker is
    sending)."""
    frequency = F.INSTANT if instant else F.DAILY
    with transaction.atomic():
        if not instant:
            _digest, created = DigestSent.objects.get_or_create(
                user_id=user_id, day=now.date(), defaults={"sent_at": now, "items": 0}
            )
            if not created:
                return 0
        pending = list(
            PendingAlert.objects.select_for_update(skip_locked=True)
            .filter(user_id=user_id, frequency=frequency, sent_at__isnull=True)
            .order_by("created_at", "pk")
        )
        if not pending:
            return _nothing_to_tell(user_id, instant, now)
        PendingAlert.objects.filter(pk__in=[row.pk for row in pending]).update(sent_at=now)
        items = []
        for list_name in dict.fromkeys(row.list_name for row in pending):
            ids = list(
                dict.fromkeys(pk for row in pending if row.list_name == list_name for pk in row.object_ids)
            )
            # Read again through the list's selector: an item closed or hidden since is not sent.
            visible = LISTS[list_name].results().filter(pk__in=ids)
            items += list(visible.order_by("-published_at", "-pk")[: ITEMS_PER_ALERT + 1])
        if not items:
            return _nothing_to_tell(user_id, instant, now)
        search_ids = list(dict.fromkeys(pk for row in pending for pk in row.search_ids))
        searches = list(SavedSearch.objects.filter(pk__in=search_ids).order_by("name"))
        user = User.objects.get(pk=user_id)
        if len(items) == 1:
            url = items[0].get_absolute_url()
        else:
            url = list_url(searches[0]) if len(searches) == 1 else reverse("saved:searches")
        notify(
            user=user,
            kind="saved_search_alert" if instant else "saved_search_digest",
            context={
                "items": items[:ITEMS_PER_ALERT],
                "more": len(items) > ITEMS_PER_ALERT,
                "searches": searches,
                "searches_url": reverse("saved:searches"),
            },
            url=url,
        )
        if not instant:
            DigestSent.objects.filter(user_id=user_id, day=now.date()).update(items=len(items))
        return len(items)


def _nothing_to_tell(user_id: int, instant: bool, now: datetime.datetime) -> int:
    if not instant:  # no digest went: a match later today may still have one
        DigestSent.objects.filter(user_id=user_id, day=now.date()).delete()
    return 0


def send_instant_alerts(*, user_ids=None, now: datetime.datetime | None = None) -> int:
    """One notification per person for what their instant searches found and nobody told them yet."""
    now = now or timezone.now()
    pending = PendingAlert.objects.filter(sent_at__isnull=True, frequency=F.INSTANT)
    if user_ids is not None:
        pending = pending.filter(user_id__in=list(user_ids))
    told = 0
    for user_id in pending.order_by("user_id").values_list("user_id", flat=True).distinct():
        told += _deliver(user_id=user_id, instant=True, now=now)
    return told


def send_daily_digests(*, now: datetime.datetime | None = None) -> int:
    """Once a day, from SAVED_DIGEST_HOUR_UTC: one digest per person of their daily searches' finds."""
    now = now or timezone.now()
    if now.hour < settings.SAVED_DIGEST_HOUR_UTC:
        return 0
    pending = PendingAlert.objects.filter(sent_at__isnull=True, frequency=F.DAILY)
    told = 0
    for user_id in pending.order_by("user_id").values_list("user_id", flat=True).distinct():
        told += _deliver(user_id=user_id, instant=False, now=now)
    return told


def sweep(*, now: datetime.datetime | None = None) -> dict:
    """Match what was published lately and never matched, send what is unsent, then the digests."""
    now = now or timezone.now()
    matched = 0
    for name, entry in LISTS.items():
        recent = entry.published_since(now - SWEEP_LOOKBACK)
        done = set(
            MatchedItem.objects.filter(list_name=name, object_id__in=recent).values_list(
                "object_id", flat=True
            )
        )
        missed = [pk for pk in recent if pk not in done]
        if missed:
            matched += matching.match_new_items(list_name=name, ids=missed, now=now).matches
    return {
        "matched": matched,
        "instant": send_instant_alerts(now=now),
        "digests": send_daily_digests(now=now),
    }

"""Matching new items (projects) against every saved search with alerts on, once per item.

The lists test many rows against one search in SQL; here a few new rows are tested against many
searches, so the direction is turned round. The batch of new items is read once through the list's
own selector (what the public list would not show is never read), then indexed in memory: each token
(a stem of the text, "category:3", "skill:7", "budget:25-50") maps to a bitmask of the items that
hold it. The saved searches are grouped by shape (query and filters): each distinct shape costs a
few AND and OR of integers, whatever the number of people who saved it, and each distinct query is
expanded by the search engine, the vocabulary read once per few hundred words
(core.search.engine.expand_many). A query word matches an item when one of its stems, or of its
fuzzy words' stems, is among the item's stems: the test that core.search.engine.Matches asks of the
database, asked of the bitmasks.

What a run found is written as one PendingAlert per person and frequency (saved.alerts sends them).
"""

import datetime
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from mostaql.core.search.engine import expand_many, parse
from mostaql.saved.lists import LISTS
from mostaql.saved.models import MatchedItem, PendingAlert, SavedSearch

F = SavedSearch.Frequency
CLAIM_BATCH = 1000


@dataclass(frozen=True)
class MatchRun:
    items: int  # new items read (those the public list shows)
    searches: int  # saved searches with alerts on
    shapes: int  # distinct query-and-filters among them
    matches: int  # (saved search, item) pairs found
    user_ids: frozenset[int]  # whose searches found something


def _union(index: dict[str, int], tokens) -> int:
    mask = 0
    for token in tokens:
        mask |= index.get(token, 0)
    return mask


def claim(*, list_name: str, ids: list[int], now: datetime.datetime) -> list[int]:
    """The ids among `ids` that no run has matched yet, marked matched by this one: a concurrent run
    waits on the unique index and gets none of them back."""
    table = connection.ops.quote_name(MatchedItem._meta.db_table)
    claimed: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CLAIM_BATCH):
            chunk = ids[start : start + CLAIM_BATCH]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            params = [value for pk in chunk for value in (list_name, pk, now)]
            cursor.execute(
                f"INSERT INTO {table} (list_name, object_id, matched_at) VALUES {values} "
                "ON CONFLICT (list_name, object_id) DO NOTHING RETURNING object_id",
                params,
            )
            claimed += [row[0] for row in cursor.fetchall()]
    return claimed


def match_new_items(*, list_name: str, ids: Sequence[int], now: datetime.datetime | None = None) -> MatchRun:
    """Match the items `ids` of a list against every saved search of that list whose alerts are on;
    each item is matched once (a second call, or a concurrent one, skips it)."""
    entry = LISTS[list_name]
    now = now or timezone.now()
    nothing = MatchRun(0, 0, 0, 0, frozenset())
    with transaction.atomic():
        fresh = claim(list_name=list_name, ids=list(dict.fromkeys(int(pk) for pk in ids)), now=now)
        if not fresh:
            return nothing
        items = entry.new_items(fresh)
        if not items:
            return nothing
        index: dict[str, int] = defaultdict(int)
        for position, item in enumerate(items):
            for token in item.tokens:
                index[token] |= 1 << position
        everything = (1 << len(items)) - 1

        shapes: dict[str, list] = {}
        searches = (
            SavedSearch.objects.filter(list_name=list_name)
            .exclude(frequency=F.OFF)
            .order_by()
            .values_list("pk", "user_id", "frequency", "query", "filters", "shape")
        )
        count = 0
        for pk, user_id, frequency, query, filters, shape in searches.iterator(chunk_size=10_000):
            count += 1
            if shape not in shapes:
                shapes[shape] = [query, filters, []]
            shapes[shape][2].append((pk, user_id, frequency))

        texts = list({query for query, _filters, _members in shapes.values()})
        expanded = dict(zip(texts, expand_many([parse(text) for text in texts]), strict=True))
        requirements: dict[str, list | None] = {}
        published_since: dict[datetime.datetime, int] = {}
        # (person, frequency) → the bitmask of the items found for them, and the searches that found them
        found_for: dict[tuple[int, str], list] = {}
        pairs = 0
        for query, filters, members in shapes.values():
            filters_key = json.dumps(filters, sort_keys=True)
            if filters_key not in requirements:
                requirements[filters_key] = entry.requirements(filters)
            groups = requirements[filters_key]
            if groups is None:
                continue
            found = everything
            for group in groups:
                found &= _union(index, group)
                if not found:
                    break
            since = entry.since(filters, now) if found else None
            if since is not None:
                if since not in published_since:
                    published_since[since] = sum(
                        1 << position for position, item in enumerate(items) if item.published_at >= since
                    )
                found &= published_since[since]
            if found and entry.keeps is not None:
                found &= sum(
                    1 << position for position, item in enumerate(items) if entry.keeps(filters, item)
                )
            for term in expanded[query].terms:
                if not found:
                    break
                found &= _union(index, term.all_stems)
            if not found:
                continue
            pairs += found.bit_count() * len(members)
            for search_id, user_id, frequency in members:
                mine = found_for.setdefault((user_id, frequency), [0, []])
                mine[0] |= found
                mine[1].append(search_id)
        PendingAlert.objects.bulk_create(
            [
                PendingAlert(
                    user_id=user_id,
                    frequency=frequency,
                    list_name=list_name,
                    object_ids=[item.pk for position, item in enumerate(items) if mask >> position & 1],
                    search_ids=search_ids,
                    created_at=now,
                )
                for (user_id, frequency), (mask, search_ids) in found_for.items()
            ],
            batch_size=2000,
        )
        user_ids = frozenset(user_id for user_id, _frequency in found_for)
        return MatchRun(len(items), count, len(shapes), pairs, user_ids)

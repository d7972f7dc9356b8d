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
"""

import datetime
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from mostaql.core.search.engine import expand_many, parse
from mostaql.saved.lists import LISTS
from mostaql.saved.models import MatchedItem, SavedSearch, SearchMatch

F = SavedSearch.Frequency
INSERT_BATCH = 5000


@dataclass(frozen=True)
class MatchRun:
    items: int  # new items read (those the public list shows)
    searches: int  # saved searches with alerts on
    shapes: int  # distinct query-and-filters among them
    matches: int  # (saved search, item) pairs written
    user_ids: frozenset[int]  # whose searches found something


def _union(index: dict[str, int], tokens) -> int:
    mask = 0
    for token in tokens:
        mask |= index.get(token, 0)
    return mask


def match_new_items(*, list_name: str, ids: Sequence[int], now: datetime.datetime | None = None) -> MatchRun:
    """Match the items `ids` of a list against every saved search of that list whose alerts are on;
    each item is matched once (a second call skips it) and each pair written once."""
    entry = LISTS[list_name]
    now = now or timezone.now()
    with transaction.atomic():
        wanted = list(dict.fromkeys(int(pk) for pk in ids))
        done = set(
            MatchedItem.objects.filter(list_name=list_name, object_id__in=wanted).values_list(
                "object_id", flat=True
            )
        )
        fresh = [pk for pk in wanted if pk not in done]
        if not fresh:
            return MatchRun(0, 0, 0, 0, frozenset())
        MatchedItem.objects.bulk_create(
            [MatchedItem(list_name=list_name, object_id=pk, matched_at=now) for pk in fresh],
            ignore_conflicts=True,
        )
        items = entry.new_items(fresh)
        if not items:
            return MatchRun(0, 0, 0, 0, frozenset())
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
            .values_list("pk", "user_id", "query", "filters", "shape")
        )
        count = 0
        for pk, user_id, query, filters, shape in searches.iterator(chunk_size=10_000):
            count += 1
            if shape not in shapes:
                shapes[shape] = [query, filters, []]
            shapes[shape][2].append((pk, user_id))

        texts = list({query for query, _filters, _members in shapes.values()})
        expanded = dict(zip(texts, expand_many([parse(text) for text in texts]), strict=True))
        requirements: dict[str, list | None] = {}
        published_since: dict[datetime.datetime, int] = {}
        matches, user_ids = [], set()
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
            for term in expanded[query].terms:
                if not found:
                    break
                found &= _union(index, term.all_stems)
            if not found:
                continue
            found_ids = [item.pk for position, item in enumerate(items) if found >> position & 1]
            for search_id, user_id in members:
                user_ids.add(user_id)
                matches += [
                    SearchMatch(
                        saved_search_id=search_id,
                        user_id=user_id,
                        list_name=list_name,
                        object_id=item_id,
                        matched_at=now,
                    )
                    for item_id in found_ids
                ]
        for start in range(0, len(matches), INSERT_BATCH):
            SearchMatch.objects.bulk_create(matches[start : start + INSERT_BATCH], ignore_conflicts=True)
        return MatchRun(len(items), count, len(shapes), len(matches), frozenset(user_ids))

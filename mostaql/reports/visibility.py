"""What the moderators hid, as filters the public selectors of other apps add to their own queries.

Hiding never touches the item's own row: a HiddenItem points at it. So the public list, the project
page, the directory and the profile ask, inside the query they already run (no extra query). They ask
through `mostaql.core.visibility`, which `ReportsConfig.ready` points at the two functions below:
reports sits above those apps and they must not import it (docs/architecture.md, "Reaching up").
"""

from typing import Any

from django.db.models import Exists, OuterRef

from mostaql.reports.models import HiddenItem, Kind


def is_hidden(kind: str, outer: str = "pk") -> Exists:
    """True for a row whose item (`outer` is the field holding its id) the moderators hid.

    `Project.objects.filter(~is_hidden("project"))`, `.annotate(is_hidden=is_hidden("project"))`.
    """
    if kind not in Kind.values:
        raise ValueError(f"not a kind of hidden item: {kind!r}")
    return Exists(HiddenItem.objects.filter(kind=kind, **{f"{kind}_id": OuterRef(outer)}))


def item_is_hidden(item: Any, kind: str) -> bool:
    """For one item: the `is_hidden` annotation when the query carried it, else one small query."""
    annotated = getattr(item, "is_hidden", None)
    if annotated is not None:
        return annotated
    return HiddenItem.objects.filter(kind=kind, **{f"{kind}_id": item.pk}).exists()

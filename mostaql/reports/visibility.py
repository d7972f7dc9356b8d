"""What the moderators hid, as filters the public selectors of other apps add to their own queries.

Hiding never touches the item's own row: a HiddenItem points at it. So the public list, the project
page, the directory and the profile ask here, inside the query they already run (no extra query).
"""

from django.db.models import Exists, OuterRef

from mostaql.reports.models import HiddenItem, Kind


def is_hidden(kind: str, outer: str = "pk") -> Exists:
    """True for a row whose item (`outer` is the field holding its id) the moderators hid.

    `Project.objects.filter(~is_hidden("project"))`, `.annotate(is_hidden=is_hidden("project"))`.
    """
    assert kind in Kind.values, kind
    return Exists(HiddenItem.objects.filter(kind=kind, **{f"{kind}_id": OuterRef(outer)}))


def item_is_hidden(item, kind: str) -> bool:
    """For one item: the `is_hidden` annotation when the query carried it, else one small query."""
    annotated = getattr(item, "is_hidden", None)
    if annotated is not None:
        return annotated
    return HiddenItem.objects.filter(kind=kind, **{f"{kind}_id": item.pk}).exists()

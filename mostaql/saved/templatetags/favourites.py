from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.safestring import mark_safe

from mostaql.saved.feeds import FEED_URL_NAMES
from mostaql.saved.toggles import MARKER, render_toggle

register = template.Library()


@register.simple_tag(takes_context=True)
def favourite_toggle(context, kind: str, object_id: int):
    """The card's save toggle; a marker inside a cached piece of page (`favourite_markers`)."""
    if context.get("favourite_markers"):
        return mark_safe(MARKER.format(kind=kind, object_id=int(object_id)))
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    keys = context.get("favourite_keys", frozenset())
    return render_toggle(request, kind=kind, object_id=object_id, is_saved=f"{kind}:{object_id}" in keys)


@register.inclusion_tag("saved/partials/save_search_bar.html", takes_context=True)
def save_search_bar(context, list_name: str, search_query: str):
    """A list page's "save this search" form and its feed link; `search_query` is the page's query and
    filters as a query string (no sort, no page). Services have no alerts (saved.lists): saved only."""
    params = QueryDict(search_query)
    return {
        "user": context.get("user"),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "list_name": list_name,
        "save_params": [(name, value) for name, values in params.lists() for value in values],
        "feed_url": reverse(FEED_URL_NAMES[list_name]) + (f"?{search_query}" if search_query else ""),
        "alerts": list_name != "services",
    }

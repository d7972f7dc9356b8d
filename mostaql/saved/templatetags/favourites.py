from django import template
from django.utils.safestring import mark_safe

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

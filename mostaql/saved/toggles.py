"""The save toggle drawn on every card: a plain form (POST, then back to the page), which htmx, when
it runs, turns into an in-place swap.

Inside the project list's cached results the state cannot be baked in (the cache is shared), so there
the card draws a marker, and the view fills the markers for the person asking (fill_toggles)."""

import re

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

MARKER = "<!--favourite:{kind}:{object_id}-->"
_MARKER = re.compile(r"<!--favourite:([a-z]+):(\d+)-->")


def render_toggle(request, *, kind: str, object_id: int, is_saved: bool, next_url: str = "") -> SafeString:
    """The toggle; after its POST the person comes back to `next_url` (the page drawing it)."""
    return mark_safe(  # our own template
        render_to_string(
            "saved/partials/toggle.html",
            {
                "kind": kind,
                "object_id": object_id,
                "is_saved": is_saved,
                "next": next_url or request.get_full_path(),
            },
            request=request,
        )
    )


def fill_toggles(html: str, request, keys) -> str:
    """Replace the markers of a cached piece of page with the person's toggles (none when signed out)."""
    if not request.user.is_authenticated:
        return _MARKER.sub("", html)
    return _MARKER.sub(
        lambda found: render_toggle(
            request,
            kind=found[1],
            object_id=int(found[2]),
            is_saved=f"{found[1]}:{found[2]}" in keys,
        ),
        html,
    )

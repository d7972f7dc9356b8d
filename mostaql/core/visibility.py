"""What the moderators hid, as filters that the public selectors of every app add to their queries.

Hiding is decided by the reports app, which sits above the apps whose rows it hides (it points at
projects, offers, messages and profiles). So those apps ask here, and reports provides the answer at
start-up (`ReportsConfig.ready`, see docs/architecture.md, "Reaching up"). Nothing else is stored here.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists

_provider: dict[str, Callable[..., Any]] = {}


def provide(*, is_hidden: Callable[[str, str], Exists], item_is_hidden: Callable[[Any, str], bool]) -> None:
    """Called once by the reports app: the two functions below delegate to these."""
    _provider["is_hidden"], _provider["item_is_hidden"] = is_hidden, item_is_hidden


def _provided(name: str) -> Callable[..., Any]:
    try:
        return _provider[name]
    except KeyError:
        raise ImproperlyConfigured("mostaql.reports must be installed: it decides what is hidden.") from None


def is_hidden(kind: str, outer: str = "pk") -> Exists:
    """True for a row whose item (`outer` is the field holding its id) the moderators hid.

    `Project.objects.filter(~is_hidden("project"))`, `.annotate(is_hidden=is_hidden("project"))`.
    """
    return _provided("is_hidden")(kind, outer)


def item_is_hidden(item: Any, kind: str) -> bool:
    """For one item: the `is_hidden` annotation when the query carried it, else one small query."""
    return _provided("item_is_hidden")(item, kind)

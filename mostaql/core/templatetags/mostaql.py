import datetime
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.encoding import uri_to_iri
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

from mostaql.core.age import ago, deadline_words
from mostaql.core.money import format_cents, format_money
from mostaql.core.search import highlight as search_highlight

register = template.Library()


@register.filter
def money(cents):
    """Amounts are left-to-right islands: a bare $250.00 in an RTL line would read 250.00$."""
    if cents in (None, ""):
        return ""
    return format_html('<bdi dir="ltr" class="money">{}</bdi>', format_cents(cents))


@register.filter
def highlight(text, query):
    """A title with the words a search found in <mark> (everything escaped); plain without a query."""
    return search_highlight.highlight(str(text), query) if query else text


@register.filter
def excerpt(text, query):
    """About 220 characters of a text around the first word a search found, marked; without a query,
    its beginning, like truncatechars:220."""
    if not query:
        text = str(text)
        return text if len(text) <= 220 else text[:219] + "…"
    return search_highlight.excerpt(str(text), query)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (for pagination and filter links).

    A view whose page is cached passes `link_params`, only the parameters it recognised: anything else
    a visitor added to the address must not end up in links that other visitors are served.
    """
    base = context.get("link_params")
    params = (base if base is not None else context["request"].GET).copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.filter
def readable_url(url: str) -> str:
    """An address as a person reads it: /u/أحمد-منصور/ rather than /u/%D8%A3.../."""
    return uri_to_iri(url)


@register.filter
def age(moment: datetime.datetime | None) -> str:
    """ "3 hours ago", or "just now" for the first minute, with Arabic number agreement (core.age)."""
    return ago(moment)


@register.filter
def deadline(due: datetime.datetime | None) -> str:
    """ "due in 2 days" or "late by 5 hours" (core.age)."""
    return deadline_words(due)


@register.filter
def json_ld(data) -> str:
    """schema.org structured data as a <script type="application/ld+json"> block (a data block: the
    Content-Security-Policy runs no script of this type). `<`, `>` and `&` are escaped inside the JSON,
    so no text of a user can close the element."""
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)
    for character, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(character, escape)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.filter
def money_text(cents) -> str:
    """Money for plain text (notification titles, e-mails): no HTML island, so Unicode isolates keep
    $250.00 in its order inside an Arabic sentence."""
    return "" if cents in (None, "") else format_money(cents)


@register.filter
def date_time(moment: datetime.datetime | None, without_year: str = "") -> str:
    """A date and time in the page's language: "6 December 2026, 14:05" in English, with the
    Arabic comma only in Arabic ("6 ديسمبر 2026، 14:05"). `|date_time:"short"` leaves out the year."""
    if moment is None:
        return ""
    if without_year:
        return date_format(timezone.localtime(moment), pgettext("date and time", "j F, H:i"))
    return date_format(timezone.localtime(moment), pgettext("date and time", "j F Y, H:i"))

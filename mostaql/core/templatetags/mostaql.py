import datetime

from django import template
from django.utils import timezone
from django.utils.encoding import uri_to_iri
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import pgettext

from mostaql.core.age import ago
from mostaql.core.money import format_cents, format_money

register = template.Library()


@register.filter
def money(cents):
    """Amounts are left-to-right islands: a bare $250.00 in an RTL line would read 250.00$."""
    if cents in (None, ""):
        return ""
    return format_html('<bdi dir="ltr" class="money">{}</bdi>', format_cents(cents))


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (for pagination and filter links)."""
    params = context["request"].GET.copy()
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

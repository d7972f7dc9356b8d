"""How long ago something happened, worded with the right number agreement in Arabic.

Django's timesince puts a numeral before every unit ("2 دقيقتين"), which Arabic never says: one and
two are carried by the noun itself (دقيقة، دقيقتان), 3–10 take a plural (3 دقائق), 11–99 a singular
accusative (11 يوماً). Each unit here is an ngettext with the language's six plural forms, so the
Arabic catalogue words each count as Arabic does ("منذ دقيقتين", "منذ يوم و3 ساعات").
"""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext, npgettext

_NUMBER_THEN_SPACE = re.compile(r"(\d) ")
_MINUTE = 60
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR
_WEEK = 7 * _DAY
_MONTH = 30 * _DAY
_YEAR = 365 * _DAY


def _minutes(count: int) -> str:
    return npgettext("age", "%(count)s minute", "%(count)s minutes", count) % {"count": count}


def _hours(count: int) -> str:
    return npgettext("age", "%(count)s hour", "%(count)s hours", count) % {"count": count}


def _days(count: int) -> str:
    return npgettext("age", "%(count)s day", "%(count)s days", count) % {"count": count}


def _weeks(count: int) -> str:
    return npgettext("age", "%(count)s week", "%(count)s weeks", count) % {"count": count}


def _months(count: int) -> str:
    return npgettext("age", "%(count)s month", "%(count)s months", count) % {"count": count}


def _years(count: int) -> str:
    return npgettext("age", "%(count)s year", "%(count)s years", count) % {"count": count}


# Largest first; each unit with the next smaller one, which is said as its remainder.
_UNITS = [
    (_YEAR, _years),
    (_MONTH, _months),
    (_WEEK, _weeks),
    (_DAY, _days),
    (_HOUR, _hours),
    (_MINUTE, _minutes),
]


def duration_words(seconds: int) -> str:
    """At most two adjacent units, the second only when not zero: "1 day and 3 hours", "5 minutes"."""
    seconds = max(int(seconds), 0)
    for index, (size, words) in enumerate(_UNITS):
        count = seconds // size
        if count:
            text = words(count)
            if index + 1 < len(_UNITS):
                next_size, next_words = _UNITS[index + 1]
                rest = (seconds - count * size) // next_size
                if rest:
                    text = gettext("%(larger)s and %(smaller)s") % {
                        "larger": text,
                        "smaller": next_words(rest),
                    }
            return text
    return _minutes(0)


def ago(moment: datetime.datetime | None, *, now: datetime.datetime | None = None) -> str:
    """ "3 hours ago", "1 day and 3 hours ago", or "just now" within the first minute."""
    if moment is None:
        return ""
    seconds = ((now or timezone.now()) - moment).total_seconds()
    if seconds < _MINUTE:
        return gettext("just now")
    # A number never ends a line apart from its unit: "3 hours" keeps a no-break space, as timesince did.
    return _NUMBER_THEN_SPACE.sub("\\1\u00a0", gettext("%(age)s ago") % {"age": duration_words(int(seconds))})


def deadline_words(due: datetime.datetime | None, *, now: datetime.datetime | None = None) -> str:
    """A deadline as each side reads it: "due in 2 days", or "late by 5 hours" once it has passed."""
    if due is None:
        return ""
    seconds = (due - (now or timezone.now())).total_seconds()
    if seconds >= 0:
        text = gettext("due in %(time)s") % {"time": duration_words(max(int(seconds), _MINUTE))}
    else:
        text = gettext("late by %(time)s") % {"time": duration_words(max(int(-seconds), _MINUTE))}
    return _NUMBER_THEN_SPACE.sub("\\1\u00a0", text)

"""Relative times with Arabic number agreement: "منذ دقيقتين", never "منذ 2 دقيقتين"."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from mostaql.core.age import ago
from mostaql.core.templatetags.mostaql import date_time

NOW = timezone.now()
MINUTE, HOUR, DAY = datetime.timedelta(minutes=1), datetime.timedelta(hours=1), datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("elapsed", "arabic", "english"),
    [
        (datetime.timedelta(seconds=20), "الآن", "just now"),
        (MINUTE, "منذ دقيقة", "1 minute ago"),
        (2 * MINUTE, "منذ دقيقتين", "2 minutes ago"),
        (3 * MINUTE, "منذ 3 دقائق", "3 minutes ago"),
        (11 * MINUTE, "منذ 11 دقيقة", "11 minutes ago"),
        (2 * HOUR, "منذ ساعتين", "2 hours ago"),
        (5 * HOUR + 2 * MINUTE, "منذ 5 ساعات ودقيقتين", "5 hours and 2 minutes ago"),
        (DAY + 3 * HOUR, "منذ يوم و3 ساعات", "1 day and 3 hours ago"),
        (2 * DAY, "منذ يومين", "2 days ago"),
        (12 * DAY, "منذ أسبوع و5 أيام", "1 week and 5 days ago"),
        (100 * DAY, "منذ 3 أشهر وأسبوع", "3 months and 1 week ago"),
        (400 * DAY, "منذ سنة وشهر", "1 year and 1 month ago"),
    ],
)
def test_relative_times_agree_with_their_number(elapsed, arabic, english):
    with translation.override("ar"):
        shown_in_arabic = ago(NOW - elapsed, now=NOW)
    with translation.override("en"):
        shown_in_english = ago(NOW - elapsed, now=NOW)

    # A number and its unit are held together by a no-break space.
    assert shown_in_arabic.replace("\u00a0", " ") == arabic
    assert shown_in_english.replace("\u00a0", " ") == english
    assert not re.search(r"\d ", shown_in_arabic + shown_in_english)


def test_no_numeral_stands_before_a_dual():
    with translation.override("ar"):
        words = [
            ago(NOW - n * unit, now=NOW).replace("\u00a0", " ")
            for n in range(1, 30)
            for unit in (MINUTE, HOUR, DAY)
        ]

    assert not any(word.startswith("منذ 1 ") or word.startswith("منذ 2 ") for word in words)


def test_dates_with_a_time_take_the_arabic_comma_only_in_arabic():
    moment = timezone.make_aware(datetime.datetime(2026, 12, 6, 14, 5))

    with translation.override("en"):
        assert date_time(moment) == "6 December 2026, 14:05"
        assert date_time(moment, "short") == "6 December, 14:05"
    with translation.override("ar"):
        assert date_time(moment).endswith("2026، 14:05")
        assert "،" in date_time(moment, "short")

"""The grammar of numbers typed by people: one table for money, one for whole numbers."""

import pytest
from django import forms

from mostaql.core.forms import MoneyField, WholeNumberField
from mostaql.core.numbers import parse_money_cents, parse_whole_number

# What a person types → cents, or None where it must be refused.
MONEY_TABLE = [
    ("250", 250_00),
    ("٢٥٠", 250_00),  # Arabic-Indic digits
    ("۲۵۰", 250_00),  # Eastern (Persian) digits
    ("249.5", 249_50),
    ("249.99", 249_99),
    ("٢٤٩٫٩٩", 249_99),  # the Arabic decimal separator
    ("٢٤٩.٩٩", 249_99),
    ("0.01", 1),
    ("  250 ", 250_00),
    ("\u200f٢٥٠", 250_00),  # a right-to-left mark that an Arabic keyboard typed
    ("1,250", 1250_00),  # thousands grouped in threes
    ("1,250.50", 1250_50),
    ("١٬٢٥٠", 1250_00),  # the Arabic thousands separator
    ("١،٢٥٠", 1250_00),  # the Arabic comma as a thousands separator
    ("1,000,000", 1_000_000_00),
    ("", None),
    ("   ", None),
    ("1_000", None),
    ("1e1", None),
    ("1E1", None),
    ("+5", None),
    ("-5", None),
    ("$5", None),
    ("5$", None),
    ("١.٢.٣", None),
    ("1.2.3", None),
    ("1.234", None),  # three decimals
    ("5.", None),
    (".5", None),
    ("12,50", None),  # a decimal comma is refused, not guessed
    ("1,25,000", None),
    ("1,250،000", None),  # two kinds of separator in one number
    ("1 250", None),
    ("NaN", None),
    ("Infinity", None),
    ("٥٠٠x", None),
    ("१२", None),  # Devanagari digits are digits to Python, not to this form
    ("0x10", None),
]


@pytest.mark.parametrize(("typed", "expected"), MONEY_TABLE)
def test_money_grammar(typed, expected):
    if expected is None:
        with pytest.raises(ValueError):
            parse_money_cents(typed)
    else:
        assert parse_money_cents(typed) == expected


WHOLE_TABLE = [
    ("7", 7),
    ("٧", 7),
    ("۱۴", 14),
    ("١٤", 14),
    (" 30 ", 30),
    ("+5", None),
    ("-5", None),
    ("1_000", None),
    ("5.0", None),
    ("5٫0", None),
    ("1e1", None),
    ("", None),
]


@pytest.mark.parametrize(("typed", "expected"), WHOLE_TABLE)
def test_whole_number_grammar(typed, expected):
    if expected is None:
        with pytest.raises(ValueError):
            parse_whole_number(typed)
    else:
        assert parse_whole_number(typed) == expected


class PriceForm(forms.Form):
    amount = MoneyField(min_cents=25_00, max_cents=1000_00)
    days = WholeNumberField(min_value=1, max_value=365)
    rate = MoneyField(required=False)


def test_money_and_whole_number_fields_clean_arabic_digits_to_cents_and_days():
    form = PriceForm({"amount": "٢٥٠", "days": "١٤", "rate": "٣٥٫٥"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"amount": 250_00, "days": 14, "rate": 35_50}


def test_every_problem_is_reported_and_nothing_is_dropped_silently():
    form = PriceForm({"amount": "1e1", "days": "+5", "rate": "1_000"})

    assert not form.is_valid()
    assert set(form.errors) == {"amount", "days", "rate"}


def test_an_optional_money_field_left_blank_is_none_but_rubbish_is_an_error():
    assert PriceForm({"amount": "30", "days": "3", "rate": ""}).is_valid()
    assert not PriceForm({"amount": "30", "days": "3", "rate": "abc"}).is_valid()


def test_money_field_limits_name_the_amounts_isolated_left_to_right():
    form = PriceForm({"amount": "٢٠", "days": "3"})

    assert not form.is_valid()
    assert "\u2066$25.00\u2069" in form.errors["amount"][0]
    assert "\u2066$1,000.00\u2069" in PriceForm({"amount": "1001", "days": "3"}).errors["amount"][0]


def test_number_fields_render_as_text_inputs_that_keep_arabic_digits():
    html = str(PriceForm()["amount"]) + str(PriceForm()["days"])

    assert 'type="number"' not in html
    assert 'inputmode="decimal"' in html and 'inputmode="numeric"' in html


def test_an_initial_amount_in_dollars_is_shown_with_two_decimals():
    assert 'value="250.00"' in str(PriceForm(initial={"amount": 250.0})["amount"])

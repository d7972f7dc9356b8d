"""Money is integer cents; only display code turns it into dollars."""

import re
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from mostaql.core.money import dollars_to_cents, format_cents

MONEY_TEXT = re.compile(r"^(-?)\$(\d{1,3}(?:,\d{3})*)\.(\d{2})$")


def cents_from_text(text: str) -> int:
    """Read an amount shown by format_cents back into cents, refusing anything else."""
    match = MONEY_TEXT.match(text)
    assert match, f"{text!r} is not a formatted amount"
    sign, dollars, cents = match.groups()
    return (-1 if sign else 1) * (int(dollars.replace(",", "")) * 100 + int(cents))


@pytest.mark.parametrize(
    ("cents", "shown"),
    [
        pytest.param(125000, "$1,250.00", id="thousands"),
        pytest.param(0, "$0.00", id="zero"),
        pytest.param(5, "$0.05", id="five-cents"),
        pytest.param(99, "$0.99", id="under-a-dollar"),
        pytest.param(100, "$1.00", id="one-dollar"),
        pytest.param(2500, "$25.00", id="minimum-project-budget"),
        pytest.param(99999, "$999.99", id="just-under-a-thousand"),
        pytest.param(100000, "$1,000.00", id="first-separator"),
        pytest.param(123456789012, "$1,234,567,890.12", id="billions"),
        pytest.param(10**20, "$1,000,000,000,000,000,000.00", id="beyond-64-bit"),
        pytest.param(-125000, "-$1,250.00", id="negative-thousands"),
        pytest.param(-5, "-$0.05", id="negative-cents"),
    ],
)
def test_cents_are_shown_as_dollars_with_western_separators(cents, shown):
    # given an amount in cents

    # when it is formatted
    text = format_cents(cents)

    # then it reads as dollars and cents, the sign before the dollar sign
    assert text == shown


def test_amounts_use_western_digits_even_when_the_page_is_arabic():
    # given the Arabic interface is active
    with translation.override("ar"):
        # when an amount is formatted
        text = format_cents(125000)

    # then digits and separators are Western, never Arabic-Indic
    assert text == "$1,250.00"
    assert text.isascii()


@given(st.integers(min_value=-(10**18), max_value=10**18))
def test_a_formatted_amount_reads_back_to_the_same_cents(cents):
    # given any amount in cents

    # when it is formatted and read back
    text = format_cents(cents)

    # then nothing was lost and the text has exactly the expected shape
    assert cents_from_text(text) == cents


@pytest.mark.parametrize(
    ("dollars", "cents"),
    [
        pytest.param(Decimal("1250.00"), 125000, id="thousands"),
        pytest.param(Decimal("1250"), 125000, id="no-decimal-places"),
        pytest.param(Decimal("0.05"), 5, id="five-cents"),
        pytest.param(Decimal("0"), 0, id="zero"),
        pytest.param(Decimal("0.00"), 0, id="zero-with-places"),
        pytest.param(Decimal("19.99"), 1999, id="not-a-float"),
        pytest.param(Decimal("0.1"), 10, id="one-place"),
        pytest.param(Decimal("-3.50"), -350, id="negative"),
        pytest.param(Decimal("12345678901234567.89"), 1234567890123456789, id="huge"),
    ],
)
def test_a_typed_dollar_amount_becomes_integer_cents(dollars, cents):
    # given a validated amount in dollars

    # when it is converted
    result = dollars_to_cents(dollars)

    # then it is exactly that many cents, as an int
    assert result == cents
    assert type(result) is int


@given(
    st.decimals(
        min_value=Decimal("-1000000000"),
        max_value=Decimal("1000000000"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_a_two_place_dollar_amount_survives_conversion_and_display(dollars):
    # given any amount typed to two places

    # when it is converted to cents and shown
    cents = dollars_to_cents(dollars)
    text = format_cents(cents)

    # then the cents are exact and the text shows the same amount
    assert Decimal(cents) == dollars * 100
    assert cents_from_text(text) == cents
    assert text.replace("$", "").replace(",", "") == f"{dollars:.2f}"

"""Money is integer cents (USD) everywhere; only display code turns it into text."""

from decimal import ROUND_HALF_UP, Decimal


def format_cents(cents: int) -> str:
    """$1,250.00 — Western digits and separators, in every language."""
    sign = "-" if cents < 0 else ""
    dollars, remainder = divmod(abs(int(cents)), 100)
    return f"{sign}${dollars:,}.{remainder:02d}"


def dollars_to_cents(dollars: Decimal | int | str) -> int:
    """An amount typed by a person, in dollars, to integer cents; half a cent rounds up."""
    return int((Decimal(str(dollars)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))

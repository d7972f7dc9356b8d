"""Money is integer cents (USD) everywhere; only display code turns it into text."""


def format_cents(cents: int) -> str:
    """$1,250.00 — Western digits and separators, in every language."""
    sign = "-" if cents < 0 else ""
    dollars, remainder = divmod(abs(int(cents)), 100)
    return f"{sign}${dollars:,}.{remainder:02d}"


def dollars_to_cents(dollars) -> int:
    """A Decimal amount typed by a person (already validated to two places) to integer cents."""
    return int((dollars * 100).to_integral_value())

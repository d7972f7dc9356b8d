"""Money is integer cents (USD) everywhere; only display code turns it into text."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings


def format_cents(cents: int) -> str:
    """$1,250.00 — Western digits and separators, in every language."""
    sign = "-" if cents < 0 else ""
    dollars, remainder = divmod(abs(int(cents)), 100)
    return f"{sign}${dollars:,}.{remainder:02d}"


def dollars_to_cents(dollars: Decimal | int | str) -> int:
    """An amount typed by a person, in dollars, to integer cents; half a cent rounds up."""
    return int((Decimal(str(dollars)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def commission_cents(amount_cents: int) -> int:
    """The platform's share of an amount: COMMISSION_PERCENT of it, half a cent rounded up.

    The one place commission is computed: the offer form's "you will receive" and the ledger's
    release of escrow both call it, so what a freelancer is promised is what they are paid.
    """
    share = Decimal(int(amount_cents)) * Decimal(settings.COMMISSION_PERCENT) / 100
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def net_after_commission_cents(amount_cents: int) -> int:
    return int(amount_cents) - commission_cents(amount_cents)


# Left-to-right isolate … pop directional isolate: keeps "$250.00" in its order inside right-to-left
# plain text (notification titles, e-mails, form hints), where an HTML <bdi> cannot be used.
LRI, PDI = "\u2066", "\u2069"


def format_money(cents: int) -> str:
    """The one money display for plain text: format_cents isolated left-to-right."""
    return f"{LRI}{format_cents(cents)}{PDI}"


# The steps a client's total spending is shown in ("more than $500"): a public card tells the order
# of magnitude, never the exact sum.
SPENDING_STEPS_CENTS = (100_000_00, 50_000_00, 10_000_00, 5_000_00, 1_000_00, 500_00, 100_00)


def spending_step_cents(cents: int) -> int:
    """The largest step at or below `cents` (0 below the first step): shown as "more than $X"."""
    return next((step for step in SPENDING_STEPS_CENTS if cents >= step), 0)


def format_whole_dollars(cents: int) -> str:
    """$5,000 — for rounded figures (spending steps), without the cents."""
    return f"${int(cents) // 100:,}"

"""Numbers typed by people: Western (0-9), Arabic-Indic (٠-٩) and Eastern (۰-۹) digits, one grammar.

Arabic keyboards type ٢٥٠ and the Arabic decimal separator ٫; a browser's `type=number` input drops
them, and Python's own parsers accept far more than a person means (`Decimal("1_000")`,
`Decimal("1e1")`, `int("+5")`). Every number field goes through these two functions instead.

Money grammar: digits, then at most one decimal separator (`.` or `٫`) followed by one or two digits.
Thousands separators (`,`, the Arabic comma `،` and the Arabic thousands separator `٬`) are accepted
only where they group the whole part in threes from the right (1,250 or ١٬٢٥٠), one kind per number:
"12,50" is refused rather than guessed, since half the world writes that for twelve and a half.
Nothing else: no sign, no exponent, no underscore, no currency symbol.
"""

import re

_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
_TO_WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")
# Direction marks and other invisible characters that Arabic keyboards and copy-paste bring along.
_INVISIBLE = re.compile("[\u200b-\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]")
_WHOLE = re.compile(rf"[{_DIGIT}]+")
_AMOUNT = re.compile(
    rf"(?P<whole>[{_DIGIT}]+|[{_DIGIT}]{{1,3}}(?P<sep>[,،٬])[{_DIGIT}]{{3}}(?:(?P=sep)[{_DIGIT}]{{3}})*)"
    rf"(?:[.٫](?P<fraction>[{_DIGIT}]{{1,2}}))?"
)

# For the browser: the same grammar as an HTML `pattern` (checked with the `v` flag, whole value).
AMOUNT_PATTERN = rf"\s*[{_DIGIT},،٬]+([.٫][{_DIGIT}]{{1,2}})?\s*"
WHOLE_NUMBER_PATTERN = rf"\s*[{_DIGIT}]+\s*"


def _clean(text: str) -> str:
    return _INVISIBLE.sub("", str(text)).strip()


def to_western_digits(text: str) -> str:
    """٢٥٠٫٥ → 250.5: only digits and the Arabic decimal separator change."""
    return str(text).translate(_TO_WESTERN)


def parse_whole_number(text: str) -> int:
    """A count (days, quantity) typed by a person: digits only, in any of the three scripts.

    Raises ValueError for anything else ("+5", "1_000", "5.0", "1e1", "").
    """
    cleaned = _clean(text)
    if not _WHOLE.fullmatch(cleaned):
        raise ValueError(f"not a whole number: {text!r}")
    return int(to_western_digits(cleaned))


def parse_money_cents(text: str) -> int:
    """Dollars typed by a person, to integer cents: "٢٥٠" → 25000, "1,250.5" → 125050.

    Raises ValueError for anything outside the grammar above.
    """
    match = _AMOUNT.fullmatch(_clean(text))
    if match is None:
        raise ValueError(f"not an amount: {text!r}")
    whole = to_western_digits(re.sub("[,،٬]", "", match["whole"]))
    fraction = to_western_digits(match["fraction"] or "").ljust(2, "0")
    return int(whole) * 100 + int(fraction)

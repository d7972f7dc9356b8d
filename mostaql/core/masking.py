"""Contact details hidden before a hire, so that deals stay on the platform where money is safe.

Masks e-mail addresses, phone numbers (Western, Arabic-Indic and Persian digits, written with
spaces, dashes, dots or brackets) and links to outside messengers, and a messenger's name written in
English or Arabic followed by a handle. Returns the masked text and whether anything was masked, so
the sender can be told why.

What looks like a phone number but reads as a price range (500-1000) or a date (2024-05-01) is
kept: a marketplace's texts are full of both.
"""

import re

MASK = "•••"

_DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
_WESTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Bounded as addresses are (64 characters before the @, 63 per label): an unbounded `[\w.+-]+` tried
# at every position of a long word without spaces made masking quadratic (10,000 letters took seconds).
_EMAIL = re.compile(
    r"[\w.+-]{1,64}\s*(?:@|\(at\)|\[at\])\s*[\w-]{1,63}(?:\s*\.\s*[\w-]{1,63}){1,8}", re.IGNORECASE
)
# Seven or more digits, possibly with a leading + and separators between them.
_PHONE = re.compile(rf"(?<!\w)\+?(?:{_DIGIT}[\s\-.()\u00a0]{{0,3}}){{6,}}{_DIGIT}(?!\w)")
_PHONE_MINIMUM_DIGITS = 7
# A messenger's domain, or any subdomain of it, standing on its own: not the end of another name
# (kareem.me is a portfolio, not m.me) nor the domain of an e-mail address.
_MESSENGERS = re.compile(
    r"(?<![\w.@-])(?:https?://)?(?:[\w-]+\.)*"
    r"(?:wa\.me|api\.whatsapp\.com|chat\.whatsapp\.com|whatsapp\.com|t\.me|telegram\.me|telegram\.org"
    r"|m\.me|messenger\.com|skype\.com|join\.skype\.com|instagram\.com|snapchat\.com|signal\.me|viber\.com"
    r"|discord\.gg|discord\.com)"
    r"(?![\w-])(?:/[^\s]*)?",
    re.IGNORECASE,
)
_MESSENGER_WORDS = re.compile(
    r"\b(?:skype|telegram|whatsapp|instagram|insta|snapchat|discord|viber)"
    r"(?:\s*[:：]\s*|\s+(?=@))\S+",
    re.IGNORECASE,
)
# The same names as Arabic writes them, with the prefixes that attach to a word (و، ف، ب، ل، ال).
# The handle after them starts with a Latin letter or @: a number after them is the phone rule's.
_ARABIC_MESSENGER_NAMES = (
    "سكايب|سكايپ|[اإ]سكايب"
    "|تيليجرام|تيليغرام|تيلجرام|تيلغرام|تليجرام|تليغرام|تلجرام|تلغرام|تلقرام"
    "|واتساب|واتسآب|واتس ?[اآ]ب|وتساب|واتس"
    "|[اإ]نستغرام|[اإ]نستقرام|[اإ]نستجرام|[اإ]نستاغرام|[اإ]نستاجرام|[اإ]نستا"
    "|سناب ?شات|سناب"
    "|ديسكورد|فايبر|ماسنجر|مسنجر"
)
_ARABIC_MESSENGER_WORDS = re.compile(
    rf"(?<!\w)[وف]?(?:بال|لل|ال|ب|ل)?(?:{_ARABIC_MESSENGER_NAMES})"
    r"(?:\s*[:：]\s*(?=[@A-Za-z_])|\s+(?=@))\S+"
)


def _is_price_range(groups: list[str]) -> bool:
    """Two amounts, low to high, such as 500-1000 or 2500 - 3000 (a phone's first group starts with 0
    or is the larger one)."""
    return (
        len(groups) == 2
        and all(len(group) <= 5 and not group.startswith("0") for group in groups)
        and int(groups[0]) < int(groups[1])
    )


def _is_date(groups: list[str]) -> bool:
    """Year, month and day in either order: 2024-05-01, 01-05-2024, 01 05 2024."""
    if len(groups) != 3:
        return False
    year, first, second = (groups[0], groups[1], groups[2]) if len(groups[0]) == 4 else groups[::-1]
    if len(year) != 4 or not 1900 <= int(year) <= 2099 or len(first) > 2 or len(second) > 2:
        return False
    month_and_day = sorted([int(first), int(second)])
    return 1 <= month_and_day[0] <= 12 and 1 <= month_and_day[1] <= 31


def _is_phone_number(groups: list[str], *, international: bool) -> bool:
    if sum(len(group) for group in groups) < _PHONE_MINIMUM_DIGITS:
        return False
    if international:  # a leading + is a dialling code, whatever follows
        return True
    if _is_price_range(groups):
        return False
    if _is_date(groups[:3]):  # a date, perhaps followed by a time or by another date
        return _is_phone_number(groups[3:], international=False)
    return True


def _mask_phone(match: re.Match) -> str:
    candidate = match.group()
    groups = re.findall(r"[0-9]+", candidate.translate(_WESTERN_DIGITS))
    return MASK if _is_phone_number(groups, international=candidate.startswith("+")) else candidate


def mask_contacts(text: str) -> tuple[str, bool]:
    masked = text
    for pattern in (_MESSENGERS, _MESSENGER_WORDS, _ARABIC_MESSENGER_WORDS, _EMAIL):
        masked = pattern.sub(MASK, masked)
    masked = _PHONE.sub(_mask_phone, masked)
    return masked, masked != text

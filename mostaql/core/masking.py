"""Contact details hidden before a hire, so that deals stay on the platform where money is safe.

Masks e-mail addresses, phone numbers (Western, Arabic-Indic and Persian digits, written with
spaces, dashes, dots or brackets) and links to outside messengers. Returns the masked text and
whether anything was masked, so the sender can be told why.
"""

import re

MASK = "•••"

_DIGIT = r"[0-9\u0660-\u0669\u06f0-\u06f9]"
_EMAIL = re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*\.\s*[\w-]+)+", re.IGNORECASE)
# Seven or more digits, possibly with a leading + and separators between them.
_PHONE = re.compile(rf"(?<!\w)\+?(?:{_DIGIT}[\s\-.()\u00a0]{{0,3}}){{6,}}{_DIGIT}(?!\w)")
_MESSENGERS = re.compile(
    r"(?:https?://)?(?:www\.)?"
    r"(?:wa\.me|api\.whatsapp\.com|chat\.whatsapp\.com|whatsapp\.com|t\.me|telegram\.me|telegram\.org"
    r"|m\.me|messenger\.com|skype\.com|join\.skype\.com|instagram\.com|snapchat\.com|signal\.me|viber\.com"
    r"|discord\.gg|discord\.com)"
    r"(?:/[^\s]*)?",
    re.IGNORECASE,
)
_MESSENGER_WORDS = re.compile(r"\b(?:skype|telegram|whatsapp)\s*[:：]\s*\S+", re.IGNORECASE)


def mask_contacts(text: str) -> tuple[str, bool]:
    masked = text
    for pattern in (_MESSENGERS, _MESSENGER_WORDS, _EMAIL, _PHONE):
        masked = pattern.sub(MASK, masked)
    return masked, masked != text

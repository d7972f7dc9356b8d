"""Text clean-up shared by every app: Arabic normalisation for search, and safe names and titles."""

import re
import unicodedata

# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks; and tatweel (kashida).
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTER_FOLDS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
# Embeddings, overrides and isolates: they can make a name read as something it is not.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Invisible marks that keyboards insert (direction marks, zero-width joiners): never part of a word.
_INVISIBLE = re.compile("[\u200b-\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")


def normalize_arabic(text: str) -> str:
    """Fold a text to the form that search indexes and matches.

    «مُبَرمِج» → «مبرمج», «برمجة» → «برمجه», «أحمد» → «احمد». Latin letters are lower-cased, so a mixed
    text («مطور Django») is found by either script.
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = _INVISIBLE.sub("", _DIACRITICS.sub("", text)).translate(_LETTER_FOLDS)
    # Again after folding, so that a second pass changes nothing (marks removed can recompose).
    text = unicodedata.normalize("NFKC", text.casefold())
    return _SPACES.sub(" ", text).strip()


def search_terms(query: str) -> list[str]:
    """The normalised words of a search box query, without duplicates, in order."""
    return list(dict.fromkeys(normalize_arabic(query).split()))


def clean_line(text: str) -> str:
    """A name or title as it may be stored: no bidirectional controls, one line, single spaces."""
    return _SPACES.sub(" ", _BIDI_CONTROLS.sub("", text or "")).strip()


def strip_bidi_controls(text: str) -> str:
    """Longer texts keep their line breaks; only the bidirectional controls go."""
    return _BIDI_CONTROLS.sub("", text or "")

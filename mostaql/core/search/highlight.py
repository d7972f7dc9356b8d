"""Matched words marked in a result's title and excerpt, everything else escaped."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from mostaql.core.search.analysis import written_word
from mostaql.core.search.engine import Query

# A word as written, with its diacritics and tatweel (they are folded away before matching).
_WRITTEN_WORD = re.compile(r"(?:[^\W_]|[\u0610-\u061a\u064b-\u065f\u0670\u0640])+")


def _spans(text: str, query: Query) -> list[tuple[int, int]]:
    spans = []
    for match in _WRITTEN_WORD.finditer(text):
        if any(query.matches_word(word) for word in written_word(match.group())):
            spans.append(match.span())
    return spans


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    parts, position = [], 0
    for start, end in spans:
        parts += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


def highlight(text: str, query: Query) -> SafeString:
    """The text, escaped, with the words the query found in <mark>."""
    return mark_safe(_marked(text, _spans(text, query) if query else []))  # every piece escaped


def excerpt(text: str, query: Query, length: int = 220) -> SafeString:
    """About `length` characters of a text around its first found word, marked and escaped."""
    text = " ".join(text.split())
    spans = _spans(text, query) if query else []
    start = 0
    if spans and spans[0][1] > length - 40:
        start = max(0, spans[0][0] - 60)
        start = text.find(" ", start) + 1 if text.find(" ", start) != -1 else start
    end = start + length
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    window = text[start:end]
    shown = [(a - start, b - start) for a, b in spans if a >= start and b <= end]
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(escape(prefix) + _marked(window, shown) + escape(suffix))  # every piece escaped

"""Markdown written by staff, turned into HTML that is safe to show to everyone.

markdown-it-py (CommonMark) renders, then nh3 (the Ammonia sanitiser) keeps only the tags and
attributes listed below, and links whose scheme is http, https or mailto (or relative ones):
`<script>` goes with its content; `<img onerror=…>`, `<iframe>`, `style` and every `on…` attribute
go. The scheme is judged by nh3 alone, so a refused link still reads as its words (without an
address) rather than as the raw `[words](javascript:…)` markdown-it would leave. A little raw HTML
that the list allows (`<bdi>`, `<strong>`) still works, for the rare line that needs it.

Figures that come from settings are written in the text as placeholders — `{commission_percent}`,
`{clearance_days}`, `{min_offer}` … (the list is FIGURES below) — and expanded when the page is
drawn, so an article never quotes a stale commission or waiting period. They are expanded in the
text only (never inside a link's address or a code span), after the headings' ids are made from
their own words (Arabic letters kept as they are), so an id does not change with a figure.
"""

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import nh3
from django.conf import settings
from django.utils.html import format_html
from markdown_it import MarkdownIt
from markdown_it.token import Token

from mostaql.core.money import format_cents
from mostaql.core.text import strip_bidi_controls

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "bdi",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "ol": {"start"},
    "bdi": {"dir", "class"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
WORDS_PER_MINUTE = 180  # Arabic prose reads a little slower than the 200–250 usually quoted for English

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_NOT_IN_ANCHOR = re.compile(r"[^\w\-]+", re.UNICODE)
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")


def _percent(value: int) -> str:
    return f"{value}%"


def _money_html(cents: int) -> str:
    return format_html('<bdi dir="ltr" class="money">{}</bdi>', format_cents(cents))


# name → (a function of settings giving the plain text, whether the value is money)
FIGURES: dict[str, tuple[Callable[[], int], str]] = {
    "commission_percent": (lambda: settings.COMMISSION_PERCENT, "percent"),
    "freelancer_share_percent": (lambda: 100 - settings.COMMISSION_PERCENT, "percent"),
    "clearance_days": (lambda: settings.CLEARANCE_DAYS, "number"),
    "auto_accept_days": (lambda: settings.AUTO_ACCEPT_DAYS, "number"),
    "review_window_days": (lambda: settings.REVIEW_WINDOW_DAYS, "number"),
    "offers_per_month": (lambda: settings.OFFERS_PER_MONTH, "number"),
    "min_offer": (lambda: settings.MIN_OFFER_CENTS, "money"),
    "min_withdrawal": (lambda: settings.MIN_WITHDRAWAL_CENTS, "money"),
    "min_offer_net": (lambda: settings.MIN_OFFER_CENTS * (100 - settings.COMMISSION_PERCENT) // 100, "money"),
}


def figure_text(name: str) -> str | None:
    """A placeholder's value as plain text (for titles and the table of contents); None if unknown."""
    if name not in FIGURES:
        return None
    value, kind = FIGURES[name][0](), FIGURES[name][1]
    if kind == "money":
        return format_cents(value)
    return _percent(value) if kind == "percent" else str(value)


def expand_text(text: str) -> str:
    """Placeholders in plain text replaced by their figures; unknown ones are left as written."""
    return _PLACEHOLDER.sub(lambda match: figure_text(match.group(1)) or match.group(0), text)


def _expand_tokens(children: list[Token]) -> list[Token]:
    """Text tokens with placeholders split into text and, for money, a left-to-right island."""
    expanded: list[Token] = []
    for child in children:
        if child.type != "text" or "{" not in child.content:
            expanded.append(child)
            continue
        position = 0
        for match in _PLACEHOLDER.finditer(child.content):
            name = match.group(1)
            if name not in FIGURES:
                continue
            expanded.append(Token("text", "", 0, content=child.content[position : match.start()]))
            if FIGURES[name][1] == "money":
                expanded.append(Token("html_inline", "", 0, content=_money_html(FIGURES[name][0]())))
            else:
                expanded.append(Token("text", "", 0, content=figure_text(name)))
            position = match.end()
        expanded.append(Token("text", "", 0, content=child.content[position:]))
    return expanded


def anchor_for(text: str) -> str:
    """A heading's id: its words joined by hyphens, Arabic letters kept, diacritics and marks dropped.

    «كيف تُسعّر عملك؟» → «كيف-تسعر-عملك». The same words give the same id, so a link to a section
    keeps working while the rest of the article changes.
    """
    text = _DIACRITICS.sub("", unicodedata.normalize("NFKC", strip_bidi_controls(text))).casefold()
    words = [word for word in _NOT_IN_ANCHOR.sub(" ", text.replace("_", " ")).split() if word]
    return "-".join(words)[:80].strip("-")


@dataclass
class Heading:
    level: int
    text: str
    anchor: str


@dataclass
class Rendered:
    html: str
    headings: list[Heading] = field(default_factory=list)
    reading_minutes: int = 1


def _markdown() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )
    parser.validateLink = lambda url: True  # nh3 decides, with ALLOWED_SCHEMES (see above)
    return parser


def render_markdown(source: str) -> Rendered:
    """Markdown → sanitised HTML with heading ids, the headings for a table of contents, reading time."""
    source = strip_bidi_controls(source or "")
    parser = _markdown()
    tokens = parser.parse(source)
    headings: list[Heading] = []
    used: dict[str, int] = {}
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        if level == 1:  # the page's title is its only h1: a "#" in the text becomes a section
            token.tag = tokens[index + 2].tag = "h2"
            level = 2
        words = tokens[index + 1].content
        anchor = anchor_for(words) or f"section-{len(headings) + 1}"
        used[anchor] = used.get(anchor, 0) + 1
        if used[anchor] > 1:
            anchor = f"{anchor}-{used[anchor]}"
        token.attrSet("id", anchor)
        if level <= 3:
            plain = re.sub(r"[*`]", "", expand_text(words))
            headings.append(Heading(level=level, text=plain, anchor=anchor))
    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = _expand_tokens(token.children)
    rendered = parser.renderer.render(tokens, parser.options, {})
    sanitised = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    words = len(expand_text(source).split())
    return Rendered(
        html=sanitised,
        headings=headings,
        reading_minutes=max(1, math.ceil(words / WORDS_PER_MINUTE)),
    )

"""The offer cards of a project page, rendered once for what they show and then read from the cache.

Fifty offers made the page's template the slowest part of the site (docs/architecture.md,
"Performance"). Each card has two parts, each keyed by everything it shows, so that any change makes a
new key and nothing needs to be invalidated (old keys expire on their own):

- the bidder's public card (avatar, name, title, reputation line, the offer's state) is the same on
  every project the freelancer bids on, for every visitor;
- the details that only the owner and the offer's author see (price, duration, text, files, actions)
  are the same for every view of that offer by that side, in that state. They hold no CSRF token (the
  action buttons submit the page's one form) and not the offer's age ("3 hours ago"), which the page
  adds.

The cache is read with one get_many for the whole page, in the fragments cache (settings.CACHES).
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db.models import prefetch_related_objects
from django.template import Context
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from mostaql.core.cache import FRAGMENTS
from mostaql.projects.models import Offer, Project
from mostaql.reviews.selectors import reputation_of

CARD_SECONDS = 3600


@dataclass
class OfferCard:
    offer: Offer
    public: SafeString
    details: SafeString  # empty for visitors who may not see them


def offer_cards(
    project: Project, offers: list[Offer], *, viewer, can_hire: bool, verified_ids: set[int] = frozenset()
) -> list[OfferCard]:
    """`offers` from selectors.bidders(project), whose attachments need not be fetched; `viewer` is
    request.user; `verified_ids` the bidders whose identity is verified (their badge)."""
    is_owner = viewer.is_authenticated and viewer.pk == project.owner_id
    language = get_language()
    wanted = {}  # cache key → (template, context) to render it on a miss
    keys = []
    for offer in offers:
        person = offer.freelancer
        profile = person.profile
        public_key = _key(
            "bidder-card",
            person.pk,
            language,
            person.name,
            profile.slug,
            profile.title,
            profile.avatar_thumbnail.name,
            reputation_of(person).updated_at,
            settings.REPUTATION_MIN_SAMPLE,  # below it, a figure says "not enough data yet"
            offer.status,
            person.pk in verified_ids,
        )
        wanted[public_key] = (
            "projects/partials/bidder_card.html",
            {"person": person, "offer": offer, "is_verified": person.pk in verified_ids},
        )
        details_key = ""
        is_author = viewer.is_authenticated and viewer.pk == offer.freelancer_id
        if is_owner or is_author:
            details_key = _key(
                "offer-details",
                offer.pk,
                language,
                offer.updated_at,
                offer.status,
                person.name,
                project.status,
                is_owner,
                is_author,
                can_hire,
            )
            wanted[details_key] = (
                "projects/partials/offer_details.html",
                {
                    "offer": offer,
                    "project": project,
                    "is_owner": is_owner,
                    "is_author": is_author,
                    "can_hire": can_hire,
                },
            )
        keys.append((public_key, details_key))

    cache = caches[FRAGMENTS]
    found = cache.get_many(list(wanted))
    to_render = {key: wanted[key] for key in wanted.keys() - found.keys()}
    # The files are listed in the details only: fetched for the details that must be rendered.
    prefetch_related_objects(
        [values["offer"] for name, values in to_render.values() if name.endswith("offer_details.html")],
        "attachments",
    )
    missing = _render(to_render)
    cache.set_many(missing, CARD_SECONDS)
    found.update(missing)
    return [
        OfferCard(offer, mark_safe(found[public]), mark_safe(found[details]) if details else SafeString())
        for offer, (public, details) in zip(offers, keys, strict=True)
    ]


def _render(wanted: dict[str, tuple[str, dict]]) -> dict[str, str]:
    """Each (template, context) of `wanted`, rendered in one Context (pushed and popped per card)
    rather than a render_to_string, and its new context, per card."""
    context = Context(autoescape=True)
    rendered = {}
    for key, (name, values) in wanted.items():
        with context.push(values):
            rendered[key] = get_template(name).template.render(context)
    return rendered


def _key(prefix: str, pk: int, *parts) -> str:
    """The row's id in clear, so that keys of two offers can never meet; the rest (free text among it)
    hashed, so that the key is short and holds no spaces or control characters."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).hexdigest()
    return f"{prefix}:{pk}:{digest}"

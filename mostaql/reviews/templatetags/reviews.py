from django import template

from mostaql.reviews.figures import CardSummary, card_summary
from mostaql.reviews.selectors import reputation_of

register = template.Library()


@register.filter
def reputation_summary(user) -> CardSummary:
    """A card's reputation line for `user`: free when the list selected `…__reputation` with the user."""
    return card_summary(reputation_of(user))

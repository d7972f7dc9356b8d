from django.utils.functional import SimpleLazyObject

from mostaql.saved.selectors import favourite_keys


def favourites(request) -> dict:
    """`favourite_keys`: what the person keeps, read only when a page draws a toggle."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"favourite_keys": frozenset()}
    return {"favourite_keys": SimpleLazyObject(lambda: favourite_keys(user))}

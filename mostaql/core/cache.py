"""Versioned cache keys: what is cached carries a version in its key, and a change bumps the version,
which retires every key made with the old one at once (they expire on their own).

In one process the default local-memory cache is enough; several processes (gunicorn workers) see
one another's bumps only through a shared cache, such as Redis named by CACHE_URL.
"""

from django.core.cache import cache
from django.db import transaction


def current_version(key: str) -> int:
    return cache.get_or_set(key, 1, None)


def bump_version(key: str) -> None:
    """After the transaction commits, so that nobody caches what the database does not hold yet."""
    transaction.on_commit(lambda: _incr(key))


def _incr(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # never read yet, or evicted
        cache.set(key, 1, None)

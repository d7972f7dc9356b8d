"""Versioned cache keys: what is cached carries a version in its key, and a change bumps the version,
which retires every key made with the old one at once (they expire on their own).

In one process the default local-memory cache is enough; several processes (gunicorn workers) see
one another's bumps only through a shared cache, such as Redis named by CACHE_URL.
"""

import time

from django.core.cache import cache
from django.db import transaction

# Rendered pieces of pages: a cache of their own (settings.CACHES), which {% cache %} uses too.
FRAGMENTS = "template_fragments"


def current_version(key: str) -> int:
    # A version starts from the clock, never from 1: if the key was evicted, the versions handed out
    # before must not come back while what was cached under them lives on.
    return cache.get_or_set(key, time.time_ns, None)


def bump_version(key: str) -> None:
    """After the transaction commits, so that nobody caches what the database does not hold yet."""
    transaction.on_commit(lambda: _incr(key))


def _incr(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # never read yet, or evicted
        cache.set(key, time.time_ns(), None)

"""`manage.py check --deploy`: what production needs from the settings that Django's own checks miss."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.caches, Tags.security, deploy=True)
def shared_cache(app_configs, **kwargs) -> list:
    """Rate limits, lockouts, cached sessions and the list's versions live in the default cache."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "The default cache is kept in each process: with several workers, rate limits and lockouts "
            "are counted per process and sessions and list versions are not shared.",
            hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/1.",
            id="mostaql.W001",
        )
    ]

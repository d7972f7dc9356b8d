"""Settings that every test shares: mail is captured, files go to a temporary folder."""

import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private-media"), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits live in the cache, rendered fragments in another: each test starts with neither."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def admin_user(django_user_model, django_username_field):
    """pytest-django's superuser, with the second factor every staff account must have."""
    from mostaql.accounts.services import enroll_totp
    from mostaql.accounts.tests.factories import STAFF_TOTP_SECRET

    user = django_user_model.objects.create_superuser(email="admin@example.com", password="password")
    enroll_totp(user=user, secret=STAFF_TOTP_SECRET)
    return user

"""What every /api/ request goes through before Ninja: its language, its body size, its rate limit."""

import hashlib
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from mostaql.api.auth import bearer_secret
from mostaql.api.errors import error_response

API_PREFIX = "/api/"
WINDOW_SECONDS = 60


def accepted_language(header: str) -> str | None:
    """The first language of Accept-Language that the site speaks (`en-GB` counts as `en`)."""
    supported = {code for code, _name in settings.LANGUAGES}
    for code, _quality in parse_accept_lang_header(header or ""):
        base = code.split("-")[0].lower()
        if base in supported:
            return base
    return None


def rate_identity(request) -> tuple[str, int]:
    """Per token when one is sent, else per signed-in person, else per IP address; with its limit."""
    secret = bearer_secret(request)
    if secret:
        digest = hashlib.sha256(secret.encode()).hexdigest()[:32]
        return f"token:{digest}", settings.API_RATE_LIMIT_PER_MINUTE
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}", settings.API_RATE_LIMIT_PER_MINUTE
    return address_identity(request), settings.API_ANONYMOUS_RATE_LIMIT_PER_MINUTE


def address_identity(request) -> str:
    """The anonymous bucket: the client's address (behind nginx, from X-Forwarded-For, see settings)."""
    return f"ip:{get_adapter(request).get_client_ip(request)}"


def _window_key(identity: str, now: float) -> tuple[str, int]:
    window = int(now // WINDOW_SECONDS)
    return f"api:rate:{identity}:{window}", window


def wait_if_spent(identity: str, limit: int) -> int | None:
    """Without counting: the seconds to wait when this minute's window is already used up."""
    now = time.time()
    key, window = _window_key(identity, now)
    if (cache.get(key) or 0) >= limit:
        return max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)
    return None


def spend(identity: str, limit: int) -> int | None:
    """Count one request in the current minute's window; the seconds to wait when over the limit."""
    now = time.time()
    key, window = _window_key(identity, now)
    if cache.add(key, 1, WINDOW_SECONDS + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # the window expired between the two calls
            cache.add(key, 1, WINDOW_SECONDS + 5)
            count = 1
    if count > limit:
        return max(1, int((window + 1) * WINDOW_SECONDS - now) + 1)
    return None


class ApiMiddleware:
    """For /api/ only.

    - Language: the API answers in the language of Accept-Language when the site speaks it, else
      in the language cookie's, else in Arabic (the web pages keep following the cookie alone).
    - A body larger than API_MAX_BODY_BYTES (API_MAX_UPLOAD_BODY_BYTES for a multipart body with files)
      is refused with 422 before anything reads it.
    - Rate limits with the cache, per token, signed-in person or IP (429 with Retry-After).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        language = accepted_language(request.headers.get("Accept-Language", ""))
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self._checked(request)
        response.headers["Content-Language"] = translation.get_language()
        return response

    def _checked(self, request):
        sends_token = bearer_secret(request) is not None
        anonymous = address_identity(request), settings.API_ANONYMOUS_RATE_LIMIT_PER_MINUTE
        # A token that fails counts against its address's anonymous allowance (below): once that is
        # spent, no token from there is even looked at, so a fresh random token per request gains nothing.
        wait = wait_if_spent(*anonymous) if sends_token else None
        if wait is None:
            wait = spend(*rate_identity(request))
        if wait is not None:
            return _rate_limited(wait)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # Files come in multipart bodies (a delivery, a message), which may be as large as the files
        # allowed; Django streams their files to disk, and JSON bodies keep the small limit.
        is_multipart = request.content_type == "multipart/form-data"
        limit = settings.API_MAX_UPLOAD_BODY_BYTES if is_multipart else settings.API_MAX_BODY_BYTES
        if length > limit:
            message = _("The request body is too large (at most %(size)s KB).") % {"size": limit // 1024}
            return error_response(422, "body_too_large", message, fields={"body": message})
        response = self.get_response(request)
        if sends_token and response.status_code == 401:
            spend(*anonymous)
        return response


def _rate_limited(wait: int):
    return error_response(
        429,
        "rate_limited",
        _("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": wait},
        headers={"Retry-After": str(wait)},
    )

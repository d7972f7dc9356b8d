"""Who is calling: a personal access token (`Authorization: Bearer mq_…`) or the browser session.

Operations are authenticated by default (the NinjaAPI's `auth=[token_auth, session_auth]`): the
view reads the person as `request.auth` (also set as `request.user`). Public operations are
declared with `auth=None` and call `viewer(request)`, which gives the person when a token or a
session is there, AnonymousUser otherwise; a bad token is refused (401) even there.

A session request that changes something must carry Django's CSRF token (`X-CSRFToken` header);
token requests need none (a token is not sent by the browser on its own).
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer

from mostaql.accounts.security import needs_two_factor_setup, recently_authenticated
from mostaql.api.errors import ApiError
from mostaql.api.services import TokenRefused, resolve_token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def bearer_secret(request: HttpRequest) -> str | None:
    """The secret of an `Authorization: Bearer …` header, or None when there is no such header."""
    header = request.headers.get("Authorization", "")
    scheme, _space, secret = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip()


def _authenticate_token(request: HttpRequest, secret: str):
    try:
        token = resolve_token(secret)
    except TokenRefused as refusal:
        raise ApiError(
            401, refusal.code, refusal.message, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}
        ) from None
    request.access_token = token
    request.user = token.user
    return token.user


class TokenAuth(HttpBearer):
    """`Authorization: Bearer mq_…`; an unknown, expired or revoked token is a 401 with its reason."""

    def authenticate(self, request: HttpRequest, token: str):
        return _authenticate_token(request, token)


def _csrf_failed(request: HttpRequest) -> bool:
    middleware = CsrfViewMiddleware(lambda request: None)
    request.csrf_processing_done = False
    middleware.process_request(request)
    return middleware.process_view(request, lambda request: None, (), {}) is not None


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; changes need the CSRF token (refused with 403 otherwise)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest):
        if bearer_secret(request) is not None:
            return None  # a token was sent: it alone decides
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and _csrf_failed(request):
            raise ApiError(
                403,
                "csrf_failed",
                _("The CSRF token is missing or wrong: send it as the X-CSRFToken header."),
            )
        return user

    def authenticate(self, request: HttpRequest, key: str | None):  # pragma: no cover - __call__ decides
        return None


token_auth = TokenAuth()
session_auth = SessionAuth()
DEFAULT_AUTH = [token_auth, session_auth]


def viewer(request: HttpRequest):
    """For public operations (`auth=None`): the person behind the token or session, or AnonymousUser."""
    secret = bearer_secret(request)
    if secret is not None:
        return _authenticate_token(request, secret)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else AnonymousUser()


def staff_only(request: HttpRequest) -> None:
    """Call at the top of a staff operation: a 403 for anyone else (they are authenticated already)."""
    if not request.auth.is_staff:
        raise ApiError(403, "permission_denied", _("Only staff can do this."))
    require_staff_second_factor(request)


def require_staff_second_factor(request: HttpRequest) -> None:
    """Staff powers, by session or token, only for accounts that sign in with a second factor."""
    if needs_two_factor_setup(request.auth):
        raise ApiError(
            403,
            "two_factor_required",
            _("Staff accounts need two-factor sign-in. Set up an authenticator app to continue."),
        )


def require_recent_authentication(request: HttpRequest) -> None:
    """A money-sensitive act through the browser session needs a recent sign-in or re-authentication.

    A token caller is not asked (it cannot answer interactively): making a token is itself gated.
    """
    if getattr(request, "access_token", None) is None and not recently_authenticated(request):
        raise ApiError(
            403,
            "reauthentication_required",
            _("Confirm it is you: sign in again or re-enter your password on the site, then retry."),
        )

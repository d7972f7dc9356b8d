"""Who signed in how recently, and the gates that depend on it.

- **Recent authentication.** Money-sensitive acts (a withdrawal with its payout details, a new API
  token, staff paying or refusing a withdrawal, a dispute decided) need a sign-in or a
  re-authentication (password or TOTP, through allauth's own pages) within
  ACCOUNT_REAUTHENTICATION_TIMEOUT seconds. A full sign-in counts: it is stamped in the session when
  Django logs the person in (after the second factor, when there is one); allauth's re-authentication
  records count too. Otherwise `require_recent_authentication` raises allauth's
  `ReauthenticationRequired`: allauth's middleware keeps the POST, sends the person to confirm, and
  then replays it.
- **Two-factor for staff.** With STAFF_TWO_FACTOR_REQUIRED (on by default), a staff account without
  a TOTP app is sent to set one up before it reaches the staff pages, the admin, or API tokens.
"""

import time
from functools import wraps

from allauth.account.internal.flows.login import get_authentication_records
from allauth.core.exceptions import ReauthenticationRequired
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest

SIGNED_IN_AT_SESSION_KEY = "mostaql_signed_in_at"
# Methods that prove the person is at the keyboard (a code e-mailed is not one of them here).
CONFIRMING_METHODS = {"password", "mfa"}


def stamp_sign_in(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver: a full sign-in is an authentication as recent as it gets."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT_SESSION_KEY] = time.time()


def last_authenticated_at(request: HttpRequest) -> float | None:
    """When this session last proved who it is: its sign-in or a later re-authentication."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    moments = []
    signed_in_at = request.session.get(SIGNED_IN_AT_SESSION_KEY)
    if isinstance(signed_in_at, int | float):
        moments.append(float(signed_in_at))
    for record in get_authentication_records(request, user):
        if record.get("reauthenticated") and record.get("method") in CONFIRMING_METHODS:
            moments.append(float(record.get("at", 0)))
    return max(moments, default=None)


def recently_authenticated(request: HttpRequest) -> bool:
    moment = last_authenticated_at(request)
    return moment is not None and time.time() - moment < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT


def require_recent_authentication(request: HttpRequest) -> None:
    """Call before a money-sensitive act in a web view: asks for the password (or TOTP) when stale."""
    if not recently_authenticated(request):
        raise ReauthenticationRequired()


def recent_authentication_required(view):
    """For views whose POST is money-sensitive: GET shows the page, POST needs a recent authentication."""

    @wraps(view)
    def gated(request, *args, **kwargs):
        if request.method == "POST":
            require_recent_authentication(request)
        return view(request, *args, **kwargs)

    return gated


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def needs_two_factor_setup(user) -> bool:
    """A staff account that must turn on a TOTP app before doing staff work."""
    return bool(
        settings.STAFF_TWO_FACTOR_REQUIRED
        and user is not None
        and user.is_authenticated
        and user.is_staff
        and not has_totp(user)
    )

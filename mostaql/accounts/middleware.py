"""Staff work needs a second factor: staff accounts without a TOTP app are sent to set one up.

The JSON API's staff operations check the same thing themselves (`mostaql.api.auth.staff_only`).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from mostaql.accounts.security import needs_two_factor_setup

# Where staff powers are used, or where the tokens that would carry them are made.
GUARDED_PREFIXES = ("/staff/", "/admin/", "/settings/tokens/")


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path.startswith(GUARDED_PREFIXES) and needs_two_factor_setup(user):
            messages.warning(
                request, _("Staff accounts need two-factor sign-in. Set up an authenticator app to continue.")
            )
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

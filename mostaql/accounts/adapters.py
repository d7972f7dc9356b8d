import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit
from django.core.cache import cache
from django.utils import timezone

from mostaql.accounts import services
from mostaql.accounts.models import User

LOCKOUT_MAIL_SECONDS = 5 * 60


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """allauth creates the user; the name, role and profile are ours to set, in one step."""
        user = super().save_user(request, user, form, commit=True)
        services.register_user(
            user=user,
            name=form.cleaned_data["name"],
            primary_role=form.cleaned_data["primary_role"],
        )
        return user

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Failed logins count per account *and* address (the "key" of ACCOUNT_RATE_LIMITS'
        "login_failed"): five wrong passwords lock the account from that address only. Keyed on the
        e-mail alone, as allauth does, anyone could lock anyone out by typing their address.
        """
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{self.get_client_ip(request)}"

    def authentication_failed(self, request, **credentials) -> None:
        """When this failure locks the account from this address, tell the owner (once per lock)."""
        key = self._get_login_attempts_cache_key(request, **credentials)
        if ratelimit.consume(request, action="login_failed", key=key, dry_run=True):
            return
        login = (credentials.get("email") or credentials.get("username") or "").strip()
        user = User.objects.filter(email__iexact=login, is_active=True).first() if login else None
        if user is None:
            return
        marker = "mostaql:lockout-mail:" + hashlib.sha256(key.encode()).hexdigest()
        if not cache.add(marker, 1, LOCKOUT_MAIL_SECONDS):
            return
        self.send_mail(
            "account/email/login_locked",
            user.email,
            {
                "user": user,
                "ip": self.get_client_ip(request),
                "user_agent": self.get_http_user_agent(request)[:200],
                "timestamp": timezone.now(),
                "minutes": LOCKOUT_MAIL_SECONDS // 60,
            },
        )

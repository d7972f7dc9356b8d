"""Personal access tokens: create (the secret is returned once), revoke, resolve; the idempotency sweep."""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mostaql.accounts.models import User
from mostaql.api.models import TOKEN_PREFIX, AccessToken, IdempotencyRecord, hash_token
from mostaql.core.exceptions import DomainError
from mostaql.core.text import clean_line

# Writing "last used" on every request would make each API call a write: once a minute is enough.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


@transaction.atomic
def create_token(*, user: User, name: str, expires_in_days: int | None = None) -> tuple[AccessToken, str]:
    """A new token for `user`. Returns the row and the secret: the secret is never stored, only its hash.

    Locks the user's row (so two new tokens at once respect the limit).
    """
    name = clean_line(name or "")
    if not 1 <= len(name) <= 60:
        raise DomainError(_("Give the token a name of 1 to 60 characters."), field="name")
    if expires_in_days is not None and not 1 <= expires_in_days <= 366:
        raise DomainError(_("A token expires after 1 to 366 days, or never."), field="expires_in_days")
    User.objects.select_for_update().filter(pk=user.pk).first()
    live = AccessToken.objects.filter(user=user, revoked_at__isnull=True).count()
    if live >= settings.API_TOKENS_PER_USER:
        raise DomainError(
            _("You already have %(count)s tokens: revoke one first.")
            % {"count": settings.API_TOKENS_PER_USER}
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user,
        name=name,
        hint=secret[: len(TOKEN_PREFIX) + 6],
        hashed_key=hash_token(secret),
        expires_at=timezone.now() + datetime.timedelta(days=expires_in_days) if expires_in_days else None,
    )
    return token, secret


@transaction.atomic
def revoke_token(*, user: User, token: AccessToken) -> AccessToken:
    """Revoking is final and safe to repeat; a token of someone else is refused.

    Locks the token's row.
    """
    token = AccessToken.objects.select_for_update().get(pk=token.pk)
    if token.user_id != user.pk:
        raise DomainError(_("This token is not yours."), status=404, code="not_found")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def tokens_of(user: User) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=user).order_by("-created_at", "-pk")


class TokenRefused(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def resolve_token(secret: str) -> AccessToken:
    """The live token behind `secret`, with its user; raises TokenRefused (a 401) otherwise."""
    token = (
        AccessToken.objects.select_related("user").filter(hashed_key=hash_token(secret.strip())).first()
        if secret
        else None
    )
    if token is None or not token.user.is_active:
        raise TokenRefused("invalid_token", _("This access token is not valid."))
    if token.is_revoked:
        raise TokenRefused("token_revoked", _("This access token was revoked."))
    if token.is_expired:
        raise TokenRefused("token_expired", _("This access token has expired."))
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def sweep_idempotency_records(*, now: datetime.datetime | None = None) -> int:
    """Forget idempotency keys older than IDEMPOTENCY_KEY_TTL_HOURS. Safe to run at any time, twice."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)
    deleted, _per_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted

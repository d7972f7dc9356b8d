"""Optional two-factor login with a TOTP app, through django-allauth's MFA, in our own pages."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.urls import reverse

from mostaql.accounts.models import User

PASSWORD = "a-long-secret-2026"


def _current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def _log_in(client, email: str):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


@pytest.fixture
def member(db):
    user = User.objects.create_user(email="huda@example.com", name="هدى سالم", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _confirm_password(client) -> None:
    """Turning on 2FA is sensitive: allauth asks for the password again first."""
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


def _activate_totp(client, member) -> str:
    _log_in(client, member.email)
    _confirm_password(client)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.content.decode()
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert response.status_code == 302
    return secret


def test_member_turns_on_totp_and_then_needs_a_code_to_log_in(client, member):
    secret = _activate_totp(client, member)
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    client.post(reverse("account_logout"))

    response = _log_in(client, member.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("dashboard")).status_code == 302  # not logged in yet

    client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})

    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_code_keeps_the_member_out(client, member):
    _activate_totp(client, member)
    client.post(reverse("account_logout"))
    _log_in(client, member.email)

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(reverse("dashboard")).status_code == 302


def test_the_activation_refuses_a_wrong_code_and_saves_nothing(client, member):
    _log_in(client, member.email)
    _confirm_password(client)
    client.get(reverse("mfa_activate_totp"))

    response = client.post(reverse("mfa_activate_totp"), {"code": "123456"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Authenticator.objects.filter(user=member).exists()

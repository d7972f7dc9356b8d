"""Sign-up, e-mail verification, login, password reset and the language of the pages around them."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client

from mostaql.accounts.models import Profile, User
from mostaql.accounts.tests.factories import PASSWORD, UserFactory, verify_email

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/accounts/signup/"
LOGIN_URL = "/accounts/login/"
VERIFICATION_SENT_URL = "/accounts/confirm-email/"
BIDI_CONTROLS = [chr(codepoint) for codepoint in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def signup_data(**changes) -> dict:
    data = {
        "name": "فاطمة الزهراء",
        "email": "fatima@example.com",
        "password1": PASSWORD,
        "primary_role": "client",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def html_attributes(response) -> dict[str, str]:
    """The attributes of the page's <html> element."""
    tag = re.search(r"<html([^>]*)>", response.content.decode()).group(1)
    return dict(re.findall(r'(\w+)="([^"]*)"', tag))


def non_field_errors(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<ul class="errorlist nonfield">(.*?)</ul>', html, flags=re.DOTALL)


def verification_link(message) -> str:
    return re.search(r"https?://testserver(/accounts/confirm-email/[^\s/]+/)", message.body).group(1)


def logged_in_user_id(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


# --- Sign-up ------------------------------------------------------------------------------------


def test_a_new_person_signs_up_and_is_asked_to_verify_their_email(client):
    response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT_URL
    user = User.objects.get(email="fatima@example.com")
    assert (user.name, user.primary_role) == ("فاطمة الزهراء", User.Role.CLIENT)
    assert user.profile.slug == "فاطمة-الزهراء"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["fatima@example.com"]
    assert mail.outbox[0].subject.startswith("[مستقل] ")
    assert logged_in_user_id(client) is None


def test_a_person_who_wants_to_work_signs_up_as_a_freelancer(client):
    client.post(SIGNUP_URL, signup_data(primary_role="freelancer", email="omar@example.com", name="عمر"))

    assert User.objects.get(email="omar@example.com").primary_role == User.Role.FREELANCER


def test_the_link_in_the_email_verifies_the_address_and_logs_the_person_in(client):
    client.post(SIGNUP_URL, signup_data())
    link = verification_link(mail.outbox[0])
    user = User.objects.get(email="fatima@example.com")

    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert EmailAddress.objects.get(user=user).verified
    assert logged_in_user_id(client) == user.pk
    assert client.get("/dashboard/").status_code == 200


def test_merely_opening_the_link_does_not_verify_the_address(client):
    """Mail scanners open links; only the person's own click on the page's button verifies."""
    client.post(SIGNUP_URL, signup_data())
    link = verification_link(mail.outbox[0])

    response = client.get(link)

    assert response.status_code == 200
    assert not EmailAddress.objects.get(email="fatima@example.com").verified
    assert logged_in_user_id(client) is None


def test_a_second_person_with_the_same_name_gets_a_numbered_address(client):
    client.post(SIGNUP_URL, signup_data())
    cache.clear()

    Client().post(SIGNUP_URL, signup_data(email="fatima2@example.com"))

    assert Profile.objects.get(user__email="fatima2@example.com").slug == "فاطمة-الزهراء-2"


def test_bidirectional_controls_are_removed_from_the_name_at_sign_up(client):
    name = "".join(BIDI_CONTROLS[:5]) + "فاطمة" + "".join(BIDI_CONTROLS[5:]) + " الزهراء"

    client.post(SIGNUP_URL, signup_data(name=name))

    user = User.objects.get(email="fatima@example.com")
    assert user.name == "فاطمة الزهراء"
    assert not any(control in user.profile.search_title for control in BIDI_CONTROLS)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "\u202e\u202c"}, "name"),
        ({"email": "not-an-address"}, "email"),
        ({"password1": "Ab1x"}, "password1"),
        ({"password1": "password123"}, "password1"),
        ({"primary_role": None}, "primary_role"),
        ({"primary_role": "admin"}, "primary_role"),
    ],
    ids=[
        "empty name",
        "name of controls only",
        "invalid email",
        "short password",
        "common password",
        "missing role",
        "unknown role",
    ],
)
def test_bad_sign_up_input_is_shown_beside_its_field_and_creates_nothing(client, changes, field):
    response = client.post(SIGNUP_URL, signup_data(**changes))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<ul class="field-errors" id="id_{field}_errors">' in html
    assert not User.objects.exists()
    assert not Profile.objects.exists()
    assert not EmailAddress.objects.exists()
    assert mail.outbox == []


def test_signing_up_with_a_known_email_looks_the_same_and_makes_no_second_account(client):
    owner = UserFactory(email="fatima@example.com", name="فاطمة")
    verify_email(owner)
    new_address_response = Client().post(SIGNUP_URL, signup_data(email="someone-new@example.com"))
    # allauth sends at most one confirmation mail per address every three minutes.
    cache.clear()
    mail.outbox.clear()

    response = client.post(SIGNUP_URL, signup_data(name="محتال", password1="another-long-passphrase"))

    assert response.status_code == new_address_response.status_code == 302
    assert response["Location"] == new_address_response["Location"] == VERIFICATION_SENT_URL
    assert User.objects.filter(email="fatima@example.com").count() == 1
    owner.refresh_from_db()
    assert owner.name == "فاطمة"
    assert owner.check_password(PASSWORD)
    # The owner, not the stranger, learns that someone tried to use the address.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["fatima@example.com"]
    assert "/accounts/confirm-email/" not in mail.outbox[0].body
    assert "/accounts/password/reset/" in mail.outbox[0].body


# --- Login --------------------------------------------------------------------------------------


def test_a_verified_person_logs_in_with_email_and_lands_on_the_dashboard(client):
    user = UserFactory(email="sara@example.com")
    verify_email(user)

    response = client.post(LOGIN_URL, {"login": "SARA@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert logged_in_user_id(client) == user.pk


def test_an_unverified_person_is_sent_to_verify_before_logging_in(client):
    UserFactory(email="sara@example.com")

    response = client.post(LOGIN_URL, {"login": "sara@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT_URL
    assert logged_in_user_id(client) is None


def test_a_wrong_password_gets_the_same_error_as_an_unknown_email(client):
    verify_email(UserFactory(email="sara@example.com"))

    known = client.post(LOGIN_URL, {"login": "sara@example.com", "password": "wrong-passphrase-1"})
    unknown = Client().post(LOGIN_URL, {"login": "nobody@example.com", "password": "wrong-passphrase-1"})

    assert known.status_code == unknown.status_code == 200
    assert non_field_errors(known) == non_field_errors(unknown)
    assert len(non_field_errors(known)) == 1
    assert ARABIC_LETTER.search(non_field_errors(known)[0])
    assert logged_in_user_id(client) is None


def test_after_five_failures_for_one_email_even_the_right_password_is_refused(client):
    """ACCOUNT_RATE_LIMITS["login_failed"]: 5 per 5 minutes per address; allauth answers on the form."""
    user = UserFactory(email="sara@example.com")
    verify_email(user)
    for _attempt in range(5):
        client.post(LOGIN_URL, {"login": "sara@example.com", "password": "wrong-passphrase-1"})
    [wrong_password_error] = non_field_errors(
        Client().post(LOGIN_URL, {"login": "other@example.com", "password": "wrong-passphrase-1"})
    )

    response = client.post(LOGIN_URL, {"login": "sara@example.com", "password": PASSWORD})

    assert response.status_code == 200
    [error] = non_field_errors(response)
    assert error != wrong_password_error
    assert ARABIC_LETTER.search(error)
    assert logged_in_user_id(client) is None


def test_ten_failures_from_one_address_block_every_email_from_it(client):
    """ACCOUNT_RATE_LIMITS["login_failed"]: 10 per minute per IP, whatever the e-mail."""
    verify_email(UserFactory(email="sara@example.com"))
    for attempt in range(10):
        client.post(LOGIN_URL, {"login": f"guess{attempt}@example.com", "password": "wrong-passphrase-1"})

    response = client.post(LOGIN_URL, {"login": "sara@example.com", "password": PASSWORD})

    assert response.status_code == 200
    assert len(non_field_errors(response)) == 1
    assert logged_in_user_id(client) is None


def test_more_than_thirty_login_posts_a_minute_get_too_many_requests(client):
    """ACCOUNT_RATE_LIMITS["login"]: 30 per minute per IP, answered with HTTP 429."""
    for attempt in range(30):
        response = client.post(LOGIN_URL, {"login": f"guess{attempt}@example.com", "password": "x"})
        assert response.status_code == 200

    response = client.post(LOGIN_URL, {"login": "guess@example.com", "password": "x"})

    assert response.status_code == 429


# --- Password reset -----------------------------------------------------------------------------


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_email(client):
    verify_email(UserFactory(email="sara@example.com"))

    known = client.post("/accounts/password/reset/", {"email": "sara@example.com"})
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/done/"
    [reset_mail] = [message for message in mail.outbox if message.to == ["sara@example.com"]]
    assert "/accounts/password/reset/key/" in reset_mail.body
    assert not any(
        "/accounts/password/reset/key/" in message.body
        for message in mail.outbox
        if message.to == ["nobody@example.com"]
    )


# --- Language -------------------------------------------------------------------------------------


def test_the_signup_page_is_arabic_and_right_to_left_by_default(client):
    response = client.get(SIGNUP_URL)

    assert response.status_code == 200
    assert html_attributes(response)["lang"] == "ar"
    assert html_attributes(response)["dir"] == "rtl"
    assert response["Content-Language"] == "ar"
    # allauth ships its own Arabic catalogue: its labels are already translated.
    assert 'placeholder="عنوان البريد الالكتروني"' in response.content.decode()


def test_a_browser_asking_for_english_still_gets_the_arabic_site(client):
    response = client.get(SIGNUP_URL, headers={"accept-language": "en-US,en;q=0.9"})

    assert html_attributes(response)["lang"] == "ar"
    assert html_attributes(response)["dir"] == "rtl"


def test_the_language_switcher_turns_the_site_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/freelancers/"})

    assert response.status_code == 302
    english = client.get(SIGNUP_URL)
    assert html_attributes(english)["lang"] == "en"
    assert html_attributes(english)["dir"] == "ltr"
    assert 'placeholder="Email address"' in english.content.decode()

    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})

    assert html_attributes(client.get(SIGNUP_URL))["dir"] == "rtl"


def test_an_unknown_language_in_the_cookie_falls_back_to_arabic(client):
    client.cookies["django_language"] = "xx"

    response = client.get(SIGNUP_URL)

    assert html_attributes(response)["lang"] == "ar"

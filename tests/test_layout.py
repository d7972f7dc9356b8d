"""The shared layout: Arabic and right-to-left first, English through the switcher, a strict CSP."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_are_arabic_and_right_to_left_by_default(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    assert response["Content-Language"] == "ar"


@pytest.mark.django_db
def test_language_switcher_turns_the_site_english_and_left_to_right(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302

    page = client.get(reverse("home")).content.decode()

    assert '<html lang="en" dir="ltr">' in page
    assert "Find freelancers" in page


@pytest.mark.django_db
def test_every_arabic_message_of_the_catalogue_is_translated():
    import polib
    from django.conf import settings

    catalogue = polib.pofile(str(settings.BASE_DIR / "locale/ar/LC_MESSAGES/django.po"))

    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


@pytest.mark.django_db
def test_home_page_is_served_in_arabic_from_the_compiled_catalogue(client):
    page = client.get(reverse("home")).content.decode()

    assert "مستقل" in page
    assert "Find freelancers" not in page


@pytest.mark.django_db
def test_responses_carry_a_content_security_policy_without_outside_sources(client):
    response = client.get(reverse("home"))

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "http" not in policy


@pytest.mark.django_db
def test_money_is_shown_with_western_digits_in_a_left_to_right_island(client):
    from django.template import Context, Template

    html = Template("{{ amount|money }}").render(Context({"amount": 125000}))

    assert html == '<bdi dir="ltr" class="money">$1,250.00</bdi>'

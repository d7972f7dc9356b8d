"""What every browser journey shares: viewports, Arabic texts, logging in, screenshots, and the
accessibility check (axe-core) that runs on every page a journey opens (tests/browser/accessibility.py,
hooked into the `page` and `open_context` fixtures)."""

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.utils import translation
from django.utils.translation import gettext

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import PASSWORD, STAFF_TOTP_SECRET
from tests.browser.accessibility import AccessibilityWatch, check_accessibility, watch_accessibility
from tests.browser.conftest import ARTIFACTS

__all__ = ["AccessibilityWatch", "check_accessibility", "watch_accessibility"]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def ar(message: str) -> str:
    """A message as the Arabic interface shows it (the English text while its translation is missing)."""
    with translation.override("ar"):
        return gettext(message)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # else the sticky header is drawn where the page was scrolled
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page, user: User) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    if user.is_staff:  # staff sign in with a second factor: the code of the factories' TOTP secret
        page.wait_for_url("**/accounts/2fa/authenticate/")
        counter = next(iter(yield_hotp_counters_from_time()))
        page.fill("input[name=code]", format_hotp_value(hotp_value(STAFF_TOTP_SECRET, counter)))
        page.click("main form button[type=submit]")
    page.wait_for_url("**/dashboard/")

"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

They skip, saying why, where no Chromium is installed, so `make test` passes on a bare machine.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.browser.accessibility import watch_accessibility

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    executable = _chromium()
    if not executable:
        pytest.skip("no Chromium installed (apt-get install chromium fonts-noto-core): browser tests skipped")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright runs an event loop in this thread; the test's ORM calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def watch_console(page) -> list[str]:
    """Collects the console's errors (a refused inline style or script is one: the CSP reports it
    there) and uncaught exceptions. A page the journey opens on purpose to see a 403 or 404 logs the
    failed load of that very page, which is expected, not an error of the page."""
    errors: list[str] = []

    def on_console(message):
        if message.type != "error":
            return
        expected_refusal = (
            "Failed to load resource" in message.text and message.location.get("url") == page.url
        )
        if not expected_refusal:
            errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return errors


@pytest.fixture
def console_errors():
    """Every page the test opens adds its console errors here; none may remain at the end."""
    errors: list[str] = []
    yield errors
    assert errors == [], "console errors on visited pages"


@pytest.fixture
def page(browser, live_server, request, console_errors):
    """A page whose every load is checked for accessibility (see support.watch_accessibility) and
    whose console errors are collected."""
    context = browser.new_context(
        base_url=live_server.url, locale="ar", viewport={"width": 1280, "height": 900}
    )
    watch = watch_accessibility(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    console_errors_of_page = watch_console(page)
    yield page
    console_errors.extend(console_errors_of_page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    watch.check_now(page)
    context.close()
    watch.assert_clean()


@pytest.fixture
def open_context(browser, live_server, console_errors):
    """Opens a browser context of its own for each person, each page's loads checked for
    accessibility and its console errors collected; closes them all after the test."""
    contexts = []
    watched: list[list[str]] = []

    def open_(viewport=None):
        context = browser.new_context(
            base_url=live_server.url, locale="ar", viewport=viewport or {"width": 1280, "height": 900}
        )
        watch = watch_accessibility(context)
        page = context.new_page()
        contexts.append((context, page, watch))
        page.set_default_timeout(15_000)
        watched.append(watch_console(page))
        return page

    yield open_
    for errors in watched:
        console_errors.extend(errors)
    for context, page, watch in contexts:
        watch.check_now(page)
        context.close()
    for _context, _page, watch in contexts:
        watch.assert_clean()

"""A newcomer finds the guides and the fees from the home page; every public page, the help centre's
forms and the staff's support queue pass the accessibility check in Arabic and in English, at desktop
and at phone width."""

import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from mostaql.accounts.tests.factories import UserFactory, verify_email
from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import load_catalog
from mostaql.guides.models import Article, Track
from mostaql.guides.starter import load_starter_guides
from mostaql.help import services as help_services
from mostaql.help.models import Question
from mostaql.help.starter import load_starter_questions
from mostaql.projects.tests.factories import freelancer_user, open_project
from tests.browser.support import DESKTOP, PHONE, ar, log_in, shot, watch_accessibility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _starting_data():
    # Transactional tests flush every table at the end: put back what the migrations load.
    load_catalog(Category, Skill)
    load_starter_guides(Track, Article)
    load_starter_questions(Question)


def test_a_new_visitor_reaches_the_fees_page_and_a_guide_from_home_in_two_clicks(page):
    page.goto("/")
    page.get_by_role("link", name=ar("Fees and waiting periods")).first.click()
    page.wait_for_url("**/help/fees/")
    assert page.locator("h1").inner_text() == ar("Fees and waiting periods")
    assert "20%" in page.locator("main").inner_text()

    page.goto("/")
    page.locator(".start-freelancing").get_by_role("link", name=ar("Start freelancing: guides")).click()
    page.wait_for_url("**/guides/")
    page.get_by_role("link", name="كيف يعمل مستقل: من العرض إلى الدفع").click()
    page.wait_for_url("**/guides/how-mostaql-works/")
    assert page.locator("h1").inner_text() == "كيف يعمل مستقل: من العرض إلى الدفع"
    # The table of contents leads to its section.
    page.locator(".guide-toc a").nth(1).click()
    assert unquote(page.url).endswith("#" + page.locator(".guide-body h2").nth(1).get_attribute("id"))
    shot(page, "guide-article")


def _public_pages(project, profile) -> list[str]:
    return [
        "/",
        "/projects/",
        project.get_absolute_url(),
        "/freelancers/",
        profile.get_absolute_url(),
        reverse("guides:index"),
        reverse("guides:article", args=["price-your-work"]),
        reverse("help:index"),
        reverse("help:index") + "?q=سحب",
        reverse("help:fees"),
        reverse("help:terms"),
        reverse("help:privacy"),
        reverse("help:contact"),
        "/accounts/login/",
        "/accounts/signup/",
    ]


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_public_pages_and_the_support_queue_pass_the_accessibility_check(
    browser, live_server, language, viewport
):
    project = open_project(title="تصميم هوية بصرية لمقهى")
    profile = freelancer_user(name="ليلى حسن").profile
    ticket = help_services.file_ticket(
        requester=None, sender_key="ip:1", name="سارة", email="sara@example.com", topic="payments",
        subject="تأخر طلب السحب", body="طلبت سحب أرباحي قبل خمسة أيام وما زال الطلب قيد المعالجة.",
        language="ar",
    )  # fmt: skip
    staff = UserFactory(is_staff=True, name="فريق الدعم")
    member = freelancer_user(name="عمر المستقل")
    for person in (staff, member):
        verify_email(person)
    context = browser.new_context(base_url=live_server.url, locale=language, viewport=viewport)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    watch = watch_accessibility(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        for url in _public_pages(project, profile):
            page.goto(url)
            watch.check_now(page)
            assert page.locator("html").get_attribute("lang") == language
        log_in(page, member)
        for url in (
            "/dashboard/", project.get_absolute_url(), "/wallet/", "/wallet/withdraw/", "/settings/",
            "/notifications/", "/messages/", "/help/contact/",
        ):  # fmt: skip
            page.goto(url)
            watch.check_now(page)
        page.goto("/")
        page.locator("summary").filter(has=page.locator(".account-name")).click()
        page.get_by_role("button", name=ar("Log out") if language == "ar" else "Log out").click()
        page.wait_for_load_state()
        log_in(page, staff)
        for url in (reverse("help:ticket_queue"), reverse("help:ticket_review", args=[ticket.pk])):
            page.goto(url)
            watch.check_now(page)
        shot(page, f"support-ticket-{language}-{viewport['width']}")
    finally:
        context.close()
    watch.assert_clean()


def test_the_accessibility_check_catches_a_page_that_fails(browser, live_server):
    # The check itself must be able to fail: a picture without a text alternative is a critical fault.
    context = browser.new_context(base_url=live_server.url)
    watch = watch_accessibility(context)
    page = context.new_page()
    try:
        page.goto("/help/fees/")
        # The check that runs by itself when a page loads reports back (the journeys rely on it).
        for _attempt in range(50):
            if watch.checked:
                break
            page.wait_for_timeout(100)
        assert watch.checked == ["/help/fees/ (ar, 1280px)"] and watch.problems == []
        page.evaluate("document.querySelector('main').append(document.createElement('img'))")
        watch.check_now(page)
    finally:
        context.close()

    assert any("image-alt" in problem and "[critical]" in problem for problem in watch.problems)


def test_the_keyboard_alone_sends_a_support_request(page):
    page.goto("/help/contact/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")  # skip to the content, then tab through the form
    for _press in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "name":
            break
    page.keyboard.type("سارة المطيري")
    page.keyboard.press("Tab")
    page.keyboard.type("sara@example.com")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # the first topic
    for field, text in (
        ("subject", "سؤال عن العمولة"),
        ("body", "كم تقتطع المنصة من مبلغ العقد عند القبول؟"),
    ):
        while page.evaluate("document.activeElement.name") != field:
            page.keyboard.press("Tab")
        page.keyboard.type(text)
    while page.evaluate("document.activeElement.type") != "submit":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/help/(#main)?$"))  # the skip link's #main survives the redirect
    assert "أُرسل طلبك رقم" in page.locator(".messages").inner_text()

"""Saved searches in a real browser: a freelancer saves a search with instant alerts, a client posts a
matching project, a moderator approves it, and the freelancer's alert e-mail links to it; the
freelancer then keeps the project in their list with the card's toggle, in place (htmx)."""

import re

import pytest
from django.core import mail

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import UserFactory, verify_email
from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import load_catalog
from mostaql.projects.models import Project
from mostaql.saved.models import Favourite, SavedSearch
from tests.browser.support import PHONE, ar, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "تصميم شعار لمخبز عائلي في جدة"
DESCRIPTION = (
    "نفتتح مخبزاً عائلياً صغيراً ونحتاج شعاراً دافئاً وبسيطاً يصلح للافتة والأكياس والعلب، "
    "مع نسخة أحادية اللون وملفات مصدرية."
)


def _person(name: str, email: str, role: str, **extra) -> User:
    user = UserFactory(name=name, email=email, primary_role=role, **extra)
    verify_email(user)
    return user


def test_a_saved_search_alerts_the_freelancer_of_an_approved_project(page, open_context):
    load_catalog(Category, Skill)
    freelancer = _person("هالة يوسف", "hala@example.com", User.Role.FREELANCER)
    client = _person("مراد سليم", "murad@example.com", User.Role.CLIENT)
    moderator = _person("مشرف المنصة", "mod@example.com", User.Role.CLIENT, is_staff=True)
    logo = Skill.objects.get(slug="logo-design")

    # The freelancer searches «شعارات» in the logo category and saves the search, alerts at once.
    log_in(page, freelancer)
    page.goto("/projects/?q=شعارات&category=design")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.select_option("#save-frequency", "instant")
    page.click(".save-search-bar button[type=submit]")
    page.wait_for_selector(".message-success")
    shot(page, "saved_journey-1-search-saved")
    search = SavedSearch.objects.get(user=freelancer)
    assert (search.query, search.filters, search.frequency) == ("شعارات", {"category": "design"}, "instant")
    page.goto("/saved/searches/")
    assert page.locator(".saved-search", has_text="شعارات").count() == 1
    shot(page, "saved_journey-2-saved-searches")

    # A client posts a project that the search finds; nothing is sent before a moderator approves it.
    poster = open_context()
    log_in(poster, client)
    poster.goto("/projects/new/")
    poster.fill("input[name=title]", TITLE)
    poster.fill("textarea[name=description]", DESCRIPTION)
    poster.select_option("select[name=category]", str(logo.category_id))
    poster.check(f"input[name=skills][value='{logo.pk}']")
    poster.select_option("select[name=budget]", "100-250")
    poster.fill("input[name=duration_days]", "10")
    poster.click("form.stacked-form button[type=submit]")
    poster.wait_for_url(re.compile(r"/projects/\d+/$"))
    project = Project.objects.get(title=TITLE)
    assert project.status == Project.Status.PENDING_REVIEW
    assert [message for message in mail.outbox if message.to == [freelancer.email]] == []

    # The moderator approves it.
    moderation = open_context()
    log_in(moderation, moderator)
    moderation.goto("/staff/projects/")
    moderation.locator("li.card", has_text=TITLE).locator(
        "form[action$='/approve/'] button[type=submit]"
    ).click()
    moderation.wait_for_selector(".message-success")

    # The freelancer's alert e-mail links to the project, once.
    alerts = [message for message in mail.outbox if message.to == [freelancer.email]]
    assert len(alerts) == 1
    assert ar("A new project matches your saved search") in alerts[0].subject
    link = re.search(r"https?://\S+/projects/(\d+)/", alerts[0].body)
    assert link and int(link[1]) == project.pk
    assert TITLE in alerts[0].body

    # And in the app: the bell's notification opens the project.
    page.goto("/notifications/")
    page.locator("a.inbox-row").first.click()
    page.wait_for_url(f"**/projects/{project.pk}/")

    # The freelancer keeps it with the card's toggle, without a page load (htmx swaps the form).
    page.goto("/projects/?q=شعارات&category=design")
    card = page.locator(".project-card", has_text=TITLE)
    card.locator(".favourite-button").click()
    card.locator(".favourite-button[aria-pressed=true]").wait_for()
    assert page.url.endswith("category=design")
    assert Favourite.objects.filter(user=freelancer, kind="project", object_id=project.pk).exists()
    shot(page, "saved_journey-3-toggled")
    page.goto("/saved/")
    assert page.locator(".project-card", has_text=TITLE).count() == 1
    shot(page, "saved_journey-4-my-list")

    # On a phone, the list and the saved searches read right to left.
    phone = open_context(PHONE)
    log_in(phone, freelancer)
    phone.goto("/saved/")
    shot(phone, "saved_journey-phone-1-my-list")
    phone.goto("/saved/searches/")
    shot(phone, "saved_journey-phone-2-saved-searches")
    assert phone.locator("html").get_attribute("dir") == "rtl"

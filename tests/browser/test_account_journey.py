"""A new freelancer's first visit, in a real browser: sign up, verify, profile, portfolio, found."""

import io
import re

import pytest
from django.core import mail
from PIL import Image

from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import load_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png(color: str) -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), color).save(buffer, "PNG")
    return {"name": "work.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_freelancer_signs_up_builds_a_profile_and_is_found_by_an_arabic_search(page):
    load_catalog(Category, Skill)  # an earlier transactional test may have emptied the tables
    # Sign up as someone who wants to work.
    page.goto("/accounts/signup/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("input[name=name]", "مريم الكردي")
    page.fill("input[name=email]", "maryam@example.com")
    page.fill("input[name=password1]", "a-long-secret-2026")
    page.check("input[name=primary_role][value=freelancer]")
    page.click("form button[type=submit]")
    page.wait_for_url("**/accounts/confirm-email/")

    # Verify the e-mail from the captured message; verifying logs the person in.
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.click("form button[type=submit]")
    page.wait_for_url("**/dashboard/")
    assert "مريم" in page.inner_text("h1")

    # Fill in the profile.
    page.goto("/settings/")
    page.fill("input[name=title]", "مُبَرمِجة تطبيقات ويب بجانغو")
    page.fill("textarea[name=bio]", "أبني تطبيقات ويب عربية سريعة وآمنة.")
    page.select_option("select[name=country]", "JO")
    for slug in ("python", "django"):
        page.check(f"input[name=skills][value='{Skill.objects.get(slug=slug).pk}']")
    page.fill("input[name=hourly_rate]", "30")
    page.set_input_files("input[name=avatar]", _png("#0f766e"))
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_selector(".message-success")

    # Add a portfolio item with two images.
    page.goto("/settings/portfolio/new/")
    page.fill("input[name=title]", "متجر إلكتروني للعطور")
    page.fill("textarea[name=description]", "متجر كامل بجانغو مع سلة مشتريات ودفع إلكتروني.")
    page.set_input_files("input[name=images]", [_png("#7c3aed"), _png("#b45309")])
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_selector(".message-success")
    assert "متجر إلكتروني للعطور" in page.inner_text("main")

    # Someone types the title without diacritics, with ة written as ه, in the directory's search box.
    page.goto("/freelancers/")
    page.fill("#q", "مبرمجه جانغو")
    page.press("#q", "Enter")
    page.wait_for_url("**/freelancers/?q=*")
    card = page.locator(".freelancer-card", has_text="مريم الكردي")
    assert card.count() == 1

    # The public profile shows the portfolio with its images.
    card.locator("a").first.click()
    page.wait_for_selector(".portfolio-card img")
    assert "متجر إلكتروني للعطور" in page.inner_text(".portfolio-grid")

"""The marketplace in a real browser: a client posts, a moderator approves, a freelancer finds the
project by an Arabic search and bids, the client hires. Each person has a browser context of their own."""

import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import UserFactory, verify_email
from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import load_catalog
from mostaql.contracts.models import Contract
from mostaql.projects.models import Offer, Project
from tests.browser.support import PHONE, ar, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


TITLE = "مطلوب تصميم شعار لمتجر عطور إلكتروني"
DESCRIPTION = (
    "نفتتح متجراً إلكترونياً لبيع العطور الشرقية والبخور، ونحتاج شعاراً بسيطاً وأنيقاً يصلح للموقع "
    "ولحسابات التواصل وللعلب المطبوعة، مع نسخة أحادية اللون وملفات مصدرية."
)
OFFER_TEXT = (
    "صممت أكثر من ثلاثين شعاراً لمتاجر إلكترونية، وسأقدم لك ثلاثة مقترحات خلال أسبوع مع تعديلات "
    "غير محدودة وملفات مصدرية كاملة."
)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
# No diacritics, no hamza on «الكتروني», «متجر» where the title has «لمتجر»: the normalised search matches.
QUERY = "شعار متجر عطور الكتروني"


def _person(name: str, email: str, role: str, **extra) -> User:
    user = UserFactory(name=name, email=email, primary_role=role, **extra)
    verify_email(user)
    return user


def test_client_posts_moderator_approves_freelancer_bids_client_hires(page, open_context):
    # Earlier transactional tests flush the tables: put back the starting catalog if it went.
    load_catalog(Category, Skill)
    client = _person("سلمى الحسيني", "salma@example.com", User.Role.CLIENT)
    freelancer = _person("خالد العمري", "khaled@example.com", User.Role.FREELANCER)
    moderator = _person("مشرف المنصة", "moderator@example.com", User.Role.CLIENT, is_staff=True)
    logo, brand = Skill.objects.get(slug="logo-design"), Skill.objects.get(slug="brand-identity")

    # The client posts the project, with a brief in PDF.
    log_in(page, client)
    page.goto("/projects/new/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=description]", DESCRIPTION)
    page.select_option("select[name=category]", str(logo.category_id))
    page.check(f"input[name=skills][value='{logo.pk}']")
    page.check(f"input[name=skills][value='{brand.pk}']")
    page.select_option("select[name=budget]", "100-250")
    page.fill("input[name=duration_days]", "10")
    page.set_input_files(
        "input[name=attachments]",
        {"name": "brief.pdf", "mimeType": "application/pdf", "buffer": PDF},
    )
    shot(page, "project_journey-1-project-form")
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    project_url = page.url
    assert page.inner_text("h1") == TITLE
    assert ar("Your project was received and will be published after review.") in page.inner_text(
        ".message-success"
    )
    assert page.locator(".page-head .badge-pending_review").inner_text() == ar("Waiting for review")
    assert "brief.pdf" in page.inner_text("ul.files")
    project = Project.objects.get(title=TITLE)
    assert project.status == Project.Status.PENDING_REVIEW
    assert project.owner == client
    assert set(project.skills.all()) == {logo, brand}

    # Nobody finds it before a moderator lets it in.
    visitor = open_context()
    visitor.goto(f"/projects/?q={QUERY}")
    assert visitor.locator(".project-card", has_text=TITLE).count() == 0

    # The moderator approves it from the review queue; the client is told by e-mail.
    moderation = open_context()
    log_in(moderation, moderator)
    moderation.goto("/staff/projects/")
    assert moderation.locator("html").get_attribute("dir") == "rtl"
    queued = moderation.locator("li.card", has_text=TITLE)
    assert queued.count() == 1
    assert client.email in queued.inner_text()
    shot(moderation, "project_journey-2-moderation-queue")
    queued.locator("form[action$='/approve/'] button[type=submit]").click()
    moderation.wait_for_selector(".message-success")
    assert moderation.url.endswith("/staff/projects/")
    assert moderation.locator("li.card", has_text=TITLE).count() == 0
    shot(moderation, "project_journey-2b-moderation-after-approval")
    project.refresh_from_db()
    assert project.status == Project.Status.OPEN
    assert [message.to for message in mail.outbox] == [[client.email]]
    assert TITLE in mail.outbox[0].subject
    assert f"/projects/{project.pk}/" in mail.outbox[0].body

    # ة typed as ه finds it through its skill «هوية بصرية».
    visitor.goto("/projects/?q=هويه بصريه")
    shot(visitor, "project_journey-2c-search-by-skill")
    assert "<article" not in visitor.inner_text("main"), "the list shows its results as escaped HTML"
    assert visitor.locator(".project-card", has_text=TITLE).count() == 1

    # A visitor on a phone sees it in the list and opens it.
    phone = open_context(PHONE)
    phone.goto("/projects/")
    shot(phone, "project_journey-phone-1-project-list")
    assert phone.locator(".project-card", has_text=TITLE).count() == 1
    phone.click(f".project-card a:text-is('{TITLE}')")
    phone.wait_for_url(project_url)
    shot(phone, "project_journey-phone-2-project-page")

    # The freelancer searches in Arabic, without diacritics or hamza, and finds the project.
    bidder = open_context()
    log_in(bidder, freelancer)
    bidder.goto("/projects/")
    bidder.fill("#q", QUERY)
    bidder.press("#q", "Enter")
    bidder.wait_for_url("**/projects/?q=*")
    shot(bidder, "project_journey-3-search-results")
    assert bidder.locator("html").get_attribute("dir") == "rtl"
    card = bidder.locator(".project-card", has_text=TITLE)
    assert card.count() == 1
    assert "$100 – $250" in card.inner_text()
    assert "سلمى الحسيني" in card.inner_text()
    card.locator("a").first.click()
    bidder.wait_for_url(project_url)

    # The offer form shows, as the price is typed, what is left after the 20% commission.
    hint = ar("Type your price to see what you will receive after commission.")
    bidder.locator("#offer-net", has_text=hint).wait_for()
    # Typed with Arabic-Indic digits, as an Arabic keyboard types them: read, not dropped.
    bidder.fill("input[name=amount]", "٢٥٠")
    bidder.locator("#offer-net", has_text="$200.00").wait_for()
    assert "$50.00" in bidder.inner_text("#offer-net")
    bidder.fill("input[name=duration_days]", "٧")
    bidder.fill("textarea[name=text]", OFFER_TEXT)
    shot(bidder, "project_journey-4-offer-form")
    bidder.click("#offer form button[type=submit]")
    bidder.wait_for_selector(".message-success")
    assert bidder.url == project_url
    own = bidder.locator(".offer-card", has_text="خالد العمري")
    assert "$250.00" in own.inner_text()
    assert "ثلاثة مقترحات" in own.inner_text()
    assert bidder.locator("#offer").count() == 0  # one offer per project
    shot(bidder, "project_journey-5-project-page-own-offer")
    offer = Offer.objects.get(project=project, freelancer=freelancer)
    assert (offer.amount_cents, offer.duration_days) == (25000, 7)
    assert [message.to for message in mail.outbox] == [[client.email], [client.email]]
    assert TITLE in mail.outbox[1].subject
    assert "خالد العمري" in mail.outbox[1].body

    # The client sees the offer with its price and hires it.
    page.goto(project_url)
    offer_card = page.locator(f"#offer-{offer.pk}")
    assert "خالد العمري" in offer_card.inner_text()
    assert "$250.00" in offer_card.inner_text()
    assert "ثلاثة مقترحات" in offer_card.inner_text()
    shot(page, "project_journey-6-project-page-with-offer")
    # Hiring asks first, saying what it means; cancelling goes back with nothing changed.
    offer_card.locator("button[formaction$='/hire/']").click()
    page.wait_for_selector(".confirm-step")
    assert "$250.00" in page.inner_text(".confirm-step") and "خالد العمري" in page.inner_text(".confirm-step")
    shot(page, "project_journey-6b-hire-confirmation")
    page.click(".confirm-step a.button-ghost")
    page.wait_for_url(project_url)
    assert not Contract.objects.filter(project=project).exists()
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SUBMITTED
    page.locator(f"#offer-{offer.pk} button[formaction$='/hire/']").click()
    page.wait_for_selector(".confirm-step")
    page.click(".confirm-step button[type=submit]")
    page.wait_for_url(re.compile(r"/contracts/\d+/$"))
    contract = Contract.objects.get(project=project)
    assert page.url.endswith(f"/contracts/{contract.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    facts = page.inner_text("dl.facts")
    assert "خالد العمري" in facts
    assert "سلمى الحسيني" in facts
    assert "$250.00" in facts
    assert TITLE in facts
    shot(page, "project_journey-7-contract")

    # The database agrees with what the people saw.
    assert contract.status == "awaiting_funding"
    assert contract.amount_cents == 25000
    assert (contract.client, contract.freelancer, contract.offer) == (client, freelancer, offer)
    project.refresh_from_db()
    offer.refresh_from_db()
    assert project.status == Project.Status.HIRING
    assert offer.status == Offer.Status.HIRED

    # Three e-mails: approval and new offer to the client, the hire to the freelancer.
    assert [message.to for message in mail.outbox] == [[client.email], [client.email], [freelancer.email]]
    assert all(TITLE in message.subject for message in mail.outbox)
    with translation.override("ar"):
        assert mail.outbox[0].subject.startswith(gettext("Your project is published:"))
        assert mail.outbox[1].subject.startswith(gettext("A new offer on your project:"))
        assert mail.outbox[2].subject.startswith(gettext("You are hired:"))
    assert f"/contracts/{contract.pk}/" in mail.outbox[2].body

"""Trust in a real browser: a client and a freelancer write to each other before the hire (contact
details masked) and after it (shown), the contract is funded, delivered and accepted, both review each
other, and each review appears on the other's public profile with its rating.

The accounts, the client's funds and the freelancer's offer are set up through the services;
everything after that is done by the two people, each in a browser context of their own."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import UserFactory, verify_email
from mostaql.catalog.models import Category, Skill
from mostaql.catalog.seed import load_catalog
from mostaql.contracts.models import Contract
from mostaql.core.masking import MASK
from mostaql.core.money import format_cents
from mostaql.projects.tests.factories import open_project, place_offer
from mostaql.wallet.tests.factories import give_available_funds
from tests.browser.support import PHONE, ar, log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


TITLE = "تصميم هوية بصرية لمقهى مختص في الرياض"
AMOUNT_CENTS = 320_00
EMAIL, PHONE_NUMBER = "ali@example.com", "0501234567"
FREELANCER_PHONE = "0559876543"
BEFORE_HIRE = f"راسلني على {EMAIL} أو {PHONE_NUMBER}"
REPLY_BEFORE_HIRE = f"شكراً لك، وهذا رقمي {FREELANCER_PHONE} إن أردت الاتصال"
AFTER_HIRE = f"تم التوظيف والتمويل. بريدي {EMAIL} وهاتفي {PHONE_NUMBER} للتنسيق السريع"
REPLY_AFTER_HIRE = f"ممتاز، سأتصل بك على {PHONE_NUMBER} غداً، ورقمي {FREELANCER_PHONE}"
DELIVERY_TEXT = "أرسلت الشعار بثلاث نسخ ودليل الألوان والخطوط، مع الملفات المصدرية كاملة."
# The client rates the freelancer (six criteria, 28/30 → 4.7); the freelancer rates the client (18/20 → 4.5).
CLIENT_MARKS = {
    "professionalism": 5,
    "communication": 4,
    "quality": 5,
    "expertise": 4,
    "on_time": 5,
    "would_work_again": 5,
}
FREELANCER_MARKS = {"professionalism": 5, "communication": 5, "clarity": 4, "would_work_again": 4}
CLIENT_COMMENT = "عمل متقن وتواصل ممتاز، سلّم الهوية قبل الموعد وأخذ ملاحظاتنا كلها بعين الاعتبار."
FREELANCER_COMMENT = "صاحبة مشروع واضحة في طلباتها، ترد بسرعة وتدفع في الوقت. أنصح بالعمل معها."


def _person(name: str, email: str, role: str) -> User:
    user = UserFactory(name=name, email=email, primary_role=role)
    verify_email(user)
    return user


def _send(page, text: str) -> None:
    page.fill("form.message-form textarea[name=body]", text)
    page.click("form.message-form button[type=submit]")
    page.wait_for_load_state()


def _bubble(page, text: str):
    """The message bubble holding this text (waits for it: the open conversation polls every 5 s)."""
    bubble = page.locator("#thread li.message-bubble", has_text=text)
    bubble.wait_for()
    return bubble


def _review(page, marks: dict[str, int], comment: str) -> None:
    for field, mark in marks.items():
        page.check(f"form.review-form input[name={field}][value='{mark}']")
    page.fill("form.review-form textarea[name=comment]", comment)
    page.click("form.review-form button[type=submit]")
    page.wait_for_selector(".message-success")


def test_messages_masked_before_hire_shown_after_then_reviews_on_both_profiles(page, open_context, settings):
    # One public review is enough for a profile to show its averages, so the rating shows here.
    settings.REPUTATION_MIN_SAMPLE = 1
    # Earlier transactional tests flush the tables: put back the starting catalog if it went.
    load_catalog(Category, Skill)
    client = _person("ريم العتيبي", "reem@example.com", User.Role.CLIENT)
    freelancer = _person("عمر السيد", "omar@example.com", User.Role.FREELANCER)
    give_available_funds(client, AMOUNT_CENTS)
    project = open_project(owner=client, title=TITLE)
    offer = place_offer(project, freelancer, amount_cents=AMOUNT_CENTS, duration_days=6)
    project_url = f"/projects/{project.pk}/"
    masked_note = ar("Contact details were hidden: they are shared once there is a contract.")
    masked_warning = ar(
        "Contact details were hidden from your message: until you have a contract, "
        "talk and pay through Mostaql, where your money is protected."
    )

    # --- 1. Before the hire: the client writes to the bidder from the project page. -----------------
    log_in(page, client)
    page.goto(project_url)
    page.click(f"#offer-{offer.pk} button[formaction$='/messages/start/{offer.pk}/']")
    page.wait_for_url(re.compile(r"/messages/\d+/$"))
    conversation_url = page.url
    conversation_path = urlparse(conversation_url).path
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.inner_text("h1") == freelancer.name
    _send(page, BEFORE_HIRE)
    assert page.url == conversation_url
    assert masked_warning in page.inner_text(".message-warning")
    sent = _bubble(page, "راسلني على")
    assert sent.get_attribute("class") == "message-bubble is-mine"
    assert f"راسلني على {MASK} أو {MASK}" in sent.inner_text()
    assert EMAIL not in page.inner_text("main")
    assert PHONE_NUMBER not in page.inner_text("main")
    shot(page, "trust_journey-1-client-message-masked")

    # The freelancer is told, opens the inbox, and reads it masked, with the note saying why.
    worker = open_context()
    log_in(worker, freelancer)
    assert worker.locator("a.bell[href='/notifications/'] .count-badge").inner_text() == "1"
    worker.goto("/messages/")
    row = worker.locator("a.inbox-row", has_text=client.name)
    assert "is-unread" in row.get_attribute("class")
    assert row.locator(".count-badge").inner_text() == "1"
    assert EMAIL not in row.inner_text()
    shot(worker, "trust_journey-2-freelancer-inbox")
    row.click()
    worker.wait_for_url(conversation_url)
    received = _bubble(worker, "راسلني على")
    # The empty message box keeps its Arabic placeholder on the right, where the writing starts.
    assert (
        worker.eval_on_selector(
            "form.message-form textarea[name=body]", "box => getComputedStyle(box).direction"
        )
        == "rtl"
    )
    assert f"راسلني على {MASK} أو {MASK}" in received.inner_text()
    assert masked_note in received.inner_text()
    assert EMAIL not in worker.inner_text("main")
    assert PHONE_NUMBER not in worker.inner_text("main")
    shot(worker, "trust_journey-3-freelancer-reads-masked")
    # Nor does the e-mail telling them about it carry the contact details.
    told = [message for message in mail.outbox if message.to == [freelancer.email]]
    assert told and client.name in told[-1].subject
    assert MASK in told[-1].body
    assert EMAIL not in told[-1].body and PHONE_NUMBER not in told[-1].body

    # The freelancer answers with their number: masked too; the client's open page receives it.
    _send(worker, REPLY_BEFORE_HIRE)
    assert masked_warning in worker.inner_text(".message-warning")
    reply = _bubble(page, "وهذا رقمي")
    assert f"وهذا رقمي {MASK} إن" in reply.inner_text()
    assert masked_note in reply.inner_text()
    assert FREELANCER_PHONE not in page.inner_text("main")
    shot(page, "trust_journey-4-client-receives-masked-reply")

    # --- 2. The hire: the client hires the offer and funds the contract from their balance. ---------
    page.goto(project_url)
    page.click(f"#offer-{offer.pk} button[formaction$='/hire/']")
    page.click(".confirm-step button[type=submit]")  # the confirmation step
    page.wait_for_url(re.compile(r"/contracts/\d+/$"))
    contract = Contract.objects.get(project=project)
    contract_url = f"/contracts/{contract.pk}/"
    assert page.url.endswith(contract_url)
    assert page.locator(".page-head .badge-awaiting_funding").count() == 1
    assert format_cents(AMOUNT_CENTS) in page.inner_text("dl.facts")
    page.click("form[action$='/fund/'] button[type=submit]")
    page.wait_for_selector(".message-success")
    assert page.url.endswith(contract_url)
    assert page.locator(".page-head .badge-active").inner_text() == ar("In progress")
    shot(page, "trust_journey-5-contract-funded")

    # --- 3. After the hire: the same conversation, from the contract page, and nothing is masked. ---
    page.click(f"main a[href='{conversation_path}']")
    page.wait_for_url(conversation_url)
    _send(page, AFTER_HIRE)
    assert page.locator(".message-warning").count() == 0
    sent = _bubble(page, "تم التوظيف")
    assert EMAIL in sent.inner_text() and PHONE_NUMBER in sent.inner_text()
    assert MASK not in sent.inner_text()
    # The earlier messages stay as they were sent: masked.
    assert f"راسلني على {MASK} أو {MASK}" in _bubble(page, "راسلني على").inner_text()

    # The freelancer's page, still open, receives it by its poll, unmasked and without the note.
    arrived = _bubble(worker, "تم التوظيف")
    assert f"بريدي {EMAIL} وهاتفي {PHONE_NUMBER}" in arrived.inner_text()
    assert masked_note not in arrived.inner_text()
    _send(worker, REPLY_AFTER_HIRE)
    assert worker.locator(".message-warning").count() == 0
    assert FREELANCER_PHONE in _bubble(worker, "سأتصل بك").inner_text()
    shot(worker, "trust_journey-6-freelancer-after-hire-unmasked")
    answer = _bubble(page, "سأتصل بك")
    assert f"ورقمي {FREELANCER_PHONE}" in answer.inner_text()
    assert masked_note not in answer.inner_text()
    shot(page, "trust_journey-7-client-after-hire-unmasked")

    # On a phone, the freelancer reads the whole conversation.
    phone = open_context(PHONE)
    log_in(phone, freelancer)
    phone.goto(conversation_url)
    assert f"بريدي {EMAIL}" in _bubble(phone, "تم التوظيف").inner_text()
    shot(phone, "trust_journey-phone-1-conversation")

    # --- 4. The freelancer delivers; the client accepts. ---------------------------------------------
    worker.goto(contract_url)
    worker.fill("#deliver textarea[name=message]", DELIVERY_TEXT)
    worker.click("#deliver form button[type=submit]")
    worker.wait_for_selector(".message-success")
    assert worker.locator(".page-head .badge-delivered").inner_text() == ar("Delivered")
    page.goto(contract_url)
    assert "دليل الألوان" in page.inner_text("main")
    page.click("form[action$='/accept/'] button[type=submit]")
    page.click(".confirm-step button[type=submit]")  # the confirmation step
    page.wait_for_selector(".message-success")
    assert page.locator(".page-head .badge-completed").inner_text() == ar("Completed")
    shot(page, "trust_journey-8-contract-completed")

    # --- 5. Reviews: the client writes first; theirs stays hidden until the freelancer writes. -----
    page.click(f"#reviews a[href$='{contract_url}review/']")
    page.wait_for_url(f"**{contract_url}review/")
    assert page.locator("form.review-form input[type=radio]").count() == 5 * len(CLIENT_MARKS)
    shot(page, "trust_journey-9-client-review-form")
    _review(page, CLIENT_MARKS, CLIENT_COMMENT)
    assert page.locator("form.review-form").count() == 0
    assert CLIENT_COMMENT in page.inner_text("main")
    assert page.locator(".review .review-rating").inner_text().strip() == "★ 4.7"
    shot(page, "trust_journey-10-client-review-written")

    freelancer_profile = f"/u/{freelancer.profile.slug}/"
    client_profile = f"/u/{client.profile.slug}/"
    worker.goto(freelancer_profile)
    assert CLIENT_COMMENT not in worker.inner_text("main")  # double-blind: not public yet
    assert worker.locator("#reviews .review").count() == 0

    worker.goto(contract_url)
    assert worker.locator("#reviews").count() == 1
    worker.click(f"#reviews a[href$='{contract_url}review/']")
    worker.wait_for_url(f"**{contract_url}review/")
    assert CLIENT_COMMENT not in worker.inner_text("main")  # not before writing their own
    assert worker.locator("form.review-form input[type=radio]").count() == 5 * len(FREELANCER_MARKS)
    shot(worker, "trust_journey-11-freelancer-review-form")
    _review(worker, FREELANCER_MARKS, FREELANCER_COMMENT)
    assert ar("Thank you. Both reviews are now public.") in worker.inner_text(".message-success")
    assert CLIENT_COMMENT in worker.inner_text("main")
    assert FREELANCER_COMMENT in worker.inner_text("main")
    shot(worker, "trust_journey-12-both-reviews-public")

    # --- 6. Each public profile shows the other's review and its rating. -----------------------------
    visitor = open_context()
    visitor.goto(freelancer_profile)
    assert visitor.inner_text("h1") == freelancer.name
    review = visitor.locator("#reviews .review")
    assert review.count() == 1
    assert CLIENT_COMMENT in review.inner_text()
    assert client.name in review.inner_text()
    assert TITLE in review.inner_text()
    assert review.locator(".review-rating").inner_text().strip() == "★ 4.7"
    as_freelancer = visitor.locator(".reputation-role", has_text=ar("As a freelancer"))
    assert as_freelancer.locator(".reputation-rating .rating-value bdi").inner_text() == "4.7"
    shot(visitor, "trust_journey-13-freelancer-profile")

    visitor.goto(client_profile)
    assert visitor.inner_text("h1") == client.name
    review = visitor.locator("#reviews .review")
    assert review.count() == 1
    assert FREELANCER_COMMENT in review.inner_text()
    assert freelancer.name in review.inner_text()
    assert review.locator(".review-rating").inner_text().strip() == "★ 4.5"
    as_client = visitor.locator(".reputation-role", has_text=ar("As a client"))
    assert as_client.locator(".reputation-rating .rating-value bdi").inner_text() == "4.5"
    shot(visitor, "trust_journey-14-client-profile")

    phone.goto(freelancer_profile)
    assert CLIENT_COMMENT in phone.inner_text("#reviews")
    # On a phone each figure keeps room beside its label: its bar and value sit on one line.
    figure = phone.locator(".reputation-figures dd").first
    assert figure.locator("meter").bounding_box()["y"] == pytest.approx(
        figure.locator("bdi").bounding_box()["y"], abs=8
    )
    shot(phone, "trust_journey-phone-2-freelancer-profile")

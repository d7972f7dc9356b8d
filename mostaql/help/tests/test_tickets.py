"""Support tickets: anyone writes through the contact form; staff answer from /staff/support/ by e-mail."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mostaql.accounts.tests.factories import UserFactory
from mostaql.core.exceptions import DomainError
from mostaql.help import services
from mostaql.help.models import Ticket, TicketReply
from mostaql.projects.tests.factories import pdf_upload, png_upload

pytestmark = pytest.mark.django_db

FORM = {
    "name": "سارة المطيري",
    "email": "sara@example.com",
    "topic": "payments",
    "subject": "تأخر طلب السحب",
    "body": "طلبت سحب أرباحي قبل خمسة أيام وما زال الطلب قيد المعالجة. رقم الطلب 42.",
}


def _ticket(language: str = "ar", **changes) -> Ticket:
    fields = {**FORM, **changes}
    return services.file_ticket(requester=None, sender_key="ip:1", language=language, **fields)


def test_a_visitor_files_a_ticket_with_a_screenshot(client):
    response = client.post(reverse("help:contact"), {**FORM, "attachment": png_upload("screen.png")})

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert (ticket.name, ticket.email, ticket.topic, ticket.status) == (
        "سارة المطيري", "sara@example.com", "payments", "open",
    )  # fmt: skip
    assert ticket.language == "ar" and ticket.requester is None
    assert ticket.attachment_name == "screen.jpg"  # re-encoded by the upload helper
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any(f"رقم {ticket.pk}" in message for message in messages)


def test_a_signed_in_person_files_under_their_own_name_and_address(client):
    member = UserFactory(name="خالد", email="khaled@example.com")
    client.force_login(member)

    client.post(reverse("help:contact"), {**FORM, "name": "someone else", "email": "other@example.com"})

    ticket = Ticket.objects.get()
    assert (ticket.requester, ticket.name, ticket.email) == (member, "خالد", "khaled@example.com")


def test_a_20000_character_message_is_refused_with_a_message(client):
    response = client.post(reverse("help:contact"), {**FORM, "body": "ا" * 20_000})

    assert response.status_code == 200
    assert "طول رسالتك 20,000 حرفاً، والحد الأقصى 10,000" in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("virus.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf"),
        SimpleUploadedFile("notes.txt", "ملاحظات".encode(), content_type="text/plain"),
        SimpleUploadedFile("fake.png", b"<html><script>alert(1)</script></html>", content_type="image/png"),
    ],
    ids=["program", "text", "html-named-png"],
)
def test_an_attachment_of_the_wrong_type_is_refused_with_a_message(client, upload):
    response = client.post(reverse("help:contact"), {**FORM, "attachment": upload})

    assert response.status_code == 200
    page = response.content.decode()
    assert '<ul class="field-errors" id="id_attachment_errors"><li>تعذّرت قراءة هذا الملف كصورة' in page
    assert not Ticket.objects.exists()


def test_a_pdf_is_accepted(client):
    client.post(reverse("help:contact"), {**FORM, "attachment": pdf_upload("receipt.pdf")})

    assert Ticket.objects.get().attachment_name == "receipt.pdf"


def test_the_contact_form_is_rate_limited_per_address(client, settings, django_capture_on_commit_callbacks):
    settings.SUPPORT_TICKETS_PER_HOUR = 2
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("help:contact"), FORM)

    response = client.post(reverse("help:contact"), FORM)

    assert Ticket.objects.count() == 2
    assert "أرسلت 2 رسائل خلال الساعة الأخيرة" in response.content.decode()


@pytest.mark.parametrize(
    "changes, field",
    [({"subject": "؟"}, "subject"), ({"body": "ساعدوني"}, "body"), ({"topic": "weather"}, "topic")],
)
def test_a_ticket_without_a_real_subject_message_or_topic_is_refused(changes, field):
    with pytest.raises(DomainError) as refused:
        _ticket(**changes)

    assert refused.value.field == field
    assert not Ticket.objects.exists()


def test_staff_see_the_queue_oldest_first_and_answer_by_email_in_the_requesters_language(
    client, django_capture_on_commit_callbacks
):
    first, second = _ticket(language="en", subject="Withdrawal late"), _ticket()
    staff = UserFactory(is_staff=True, name="فريق الدعم")
    client.force_login(staff)

    queue = client.get(reverse("help:ticket_queue")).content.decode()
    assert queue.index("Withdrawal late") < queue.index("تأخر طلب السحب")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("help:ticket_review", args=[first.pk]),
            {"body": "We paid it today; it should arrive within a day."},
        )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == Ticket.Status.ANSWERED
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["sara@example.com"]
    assert sent.subject == f"Re: Withdrawal late (request #{first.pk})"
    assert "Hello سارة المطيري," in sent.body and "We paid it today" in sent.body
    assert "Withdrawal late" not in client.get(reverse("help:ticket_queue")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("help:ticket_review", args=[second.pk]), {"body": "تم تحويل المبلغ اليوم."})
    assert mail.outbox[1].subject == f"رد: تأخر طلب السحب (الطلب رقم {second.pk})"
    assert "مرحباً سارة المطيري،" in mail.outbox[1].body


def test_members_who_are_not_staff_can_neither_read_nor_answer_tickets(client):
    ticket = _ticket(attachment=None)
    client.force_login(UserFactory())

    for url in (
        reverse("help:ticket_queue"),
        reverse("help:ticket_review", args=[ticket.pk]),
        reverse("help:ticket_attachment", args=[ticket.pk]),
    ):
        assert client.get(url).status_code == 302  # to the staff login
    client.post(reverse("help:ticket_review", args=[ticket.pk]), {"body": "محاولة رد من غير الفريق"})

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert not TicketReply.objects.exists() and not mail.outbox


def test_the_answer_service_refuses_someone_who_is_not_staff():
    ticket = _ticket()

    with pytest.raises(DomainError):
        services.answer_ticket(staff=UserFactory(), ticket=ticket, body="رد غير مأذون به")

    assert not TicketReply.objects.exists() and not mail.outbox


def test_staff_download_a_tickets_attachment(client):
    client.post(reverse("help:contact"), {**FORM, "attachment": pdf_upload("receipt.pdf")})
    ticket = Ticket.objects.get()
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("help:ticket_attachment", args=[ticket.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment;" in response["Content-Disposition"]

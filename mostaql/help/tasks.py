from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from mostaql.help.models import TicketReply


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_ticket_reply(reply_id: int) -> bool:
    """E-mail a staff answer to whoever filed the ticket, in the language they wrote in; once only."""
    claimed = TicketReply.objects.filter(pk=reply_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    reply = TicketReply.objects.select_related("ticket").get(pk=reply_id)
    ticket = reply.ticket
    with translation.override(ticket.language):
        context = {"ticket": ticket, "reply": reply}
        subject = " ".join(render_to_string("help/email/reply_subject.txt", context).split())
        body = render_to_string("help/email/reply_body.txt", context).strip()
    try:
        send_mail(subject, body, None, [ticket.email])
    except OSError:
        TicketReply.objects.filter(pk=reply_id).update(emailed_at=None)
        raise
    return True

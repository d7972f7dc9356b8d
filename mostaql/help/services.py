"""Support tickets: a person (signed in or not) files one; staff answer it and the answer is e-mailed."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from mostaql.accounts.models import User
from mostaql.core.exceptions import DomainError
from mostaql.core.text import clean_line, strip_bidi_controls
from mostaql.core.uploads import CleanFile
from mostaql.help.models import Ticket, TicketReply, Topic
from mostaql.help.tasks import send_ticket_reply

SUBJECT_MIN, SUBJECT_MAX = 5, 150
BODY_MIN = 20
REPLY_MIN = 5
RATE_WINDOW_SECONDS = 60 * 60


def _rate_key(sender_key: str) -> str:
    return f"help:tickets:{sender_key}"


def tickets_per_hour() -> int:
    return settings.SUPPORT_TICKETS_PER_HOUR


def _count_towards_rate_limit(sender_key: str) -> None:
    """An hour-long window opened by the first ticket; tickets filed count, refusals do not."""
    key = _rate_key(sender_key)
    if cache.add(key, 1, RATE_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # the window closed between the two calls
        cache.add(key, 1, RATE_WINDOW_SECONDS)


@transaction.atomic
def file_ticket(
    *,
    requester: User | AnonymousUser | None,
    sender_key: str,
    name: str,
    email: str,
    topic: str,
    subject: str,
    body: str,
    language: str,
    attachment: CleanFile | None = None,
) -> Ticket:
    """File a support ticket. `sender_key` is who counts for the rate limit (the user, else the IP).

    A signed-in person's ticket carries their account's name and e-mail, whatever the form said.
    """
    if requester is not None and requester.is_authenticated:
        name, email = requester.name, requester.email
    else:
        requester = None
    name, subject = clean_line(name)[:80], clean_line(subject)
    body = strip_bidi_controls(body).strip()
    if not name:
        raise DomainError(_("Write your name."), field="name")
    if topic not in Topic.values:
        raise DomainError(_("Choose a topic."), field="topic")
    if not SUBJECT_MIN <= len(subject) <= SUBJECT_MAX:
        raise DomainError(
            _("Write a subject of %(min)s to %(max)s characters.") % {"min": SUBJECT_MIN, "max": SUBJECT_MAX},
            field="subject",
        )
    limit = settings.SUPPORT_TICKET_MAX_CHARS
    if len(body) < BODY_MIN:
        raise DomainError(
            _("Tell us a little more: at least %(min)s characters.") % {"min": BODY_MIN}, field="body"
        )
    if len(body) > limit:
        raise DomainError(
            _(
                "Your message is %(length)s characters long; the limit is %(limit)s. "
                "Shorten it, or attach a file."
            )
            % {"length": f"{len(body):,}", "limit": f"{limit:,}"},
            field="body",
        )
    if (cache.get(_rate_key(sender_key)) or 0) >= tickets_per_hour():
        raise DomainError(
            _("You have sent %(count)s messages in the last hour. Please wait before sending another.")
            % {"count": tickets_per_hour()}
        )
    ticket = Ticket(
        requester=requester,
        name=name,
        email=email.strip(),
        topic=topic,
        subject=subject,
        body=body,
        language=language
        if language in {code for code, _name in settings.LANGUAGES}
        else settings.LANGUAGE_CODE,
    )
    if attachment is not None:
        ticket.attachment = attachment.content
        ticket.attachment_name = attachment.original_name
    ticket.save()
    transaction.on_commit(lambda: _count_towards_rate_limit(sender_key))
    return ticket


@transaction.atomic
def answer_ticket(*, staff: User, ticket: Ticket, body: str) -> TicketReply:
    """Staff answer a ticket; the answer leaves by e-mail after commit, in the requester's language.
    Locks the ticket."""
    if not staff.is_staff:
        raise DomainError(_("Only staff can answer support requests."))
    body = strip_bidi_controls(body).strip()
    if len(body) < REPLY_MIN:
        raise DomainError(_("Write an answer."), field="body")
    if len(body) > settings.SUPPORT_TICKET_MAX_CHARS:
        raise DomainError(
            _("The answer may be at most %(limit)s characters.")
            % {"limit": f"{settings.SUPPORT_TICKET_MAX_CHARS:,}"},
            field="body",
        )
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    reply = TicketReply.objects.create(ticket=ticket, author=staff, body=body)
    ticket.status = Ticket.Status.ANSWERED
    ticket.save(update_fields=["status", "updated_at"])
    transaction.on_commit(lambda: send_ticket_reply.delay(reply.pk), robust=True)
    return reply

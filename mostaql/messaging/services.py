"""Writing to each other: open a conversation, send a message, mark it read."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mostaql.accounts.models import User
from mostaql.contracts import selectors as contract_selectors
from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError
from mostaql.core.masking import mask_contacts
from mostaql.core.text import strip_bidi_controls
from mostaql.core.uploads import CleanFile
from mostaql.messaging import hooks
from mostaql.messaging.models import Conversation, Message, MessageAttachment
from mostaql.notifications.services import notify
from mostaql.projects.models import Project

LIVE_CONTRACT = contract_selectors.LIVE


def have_contract(*, project: Project, client: User, freelancer: User) -> bool:
    """Contact details may be shared once the two sides are bound by a contract on this project."""
    return contract_selectors.has_live_contract(project=project, client=client, freelancer=freelancer)


@transaction.atomic
def open_conversation(*, project: Project, client: User, freelancer: User) -> Conversation:
    """The owner writes to a bidder, or a hire opens it. Idempotent: one conversation per bidder."""
    if project.owner_id != client.pk:
        raise DomainError(_("Only the project's owner can start a conversation about it."))
    if not project.offers.filter(freelancer=freelancer).exists():
        raise DomainError(_("You can write to the freelancers who sent an offer on your project."))
    conversation, _created = Conversation.objects.get_or_create(
        project=project, freelancer=freelancer, defaults={"client": client}
    )
    return conversation


def open_conversation_at_hire(contract: Contract) -> Conversation:
    """Registered on `contracts.hooks.hired` (MessagingConfig.ready): a hire opens the two sides'
    conversation, inside the hire's transaction; an agreement without a project (an order, a direct
    contract) gets a conversation of its own."""
    if contract.project_id is None:
        conversation, _created = Conversation.objects.get_or_create(
            contract=contract, defaults={"client": contract.client, "freelancer": contract.freelancer}
        )
        return conversation
    return open_conversation(project=contract.project, client=contract.client, freelancer=contract.freelancer)


@transaction.atomic
def send_message(
    *,
    sender: User,
    conversation: Conversation,
    body: str,
    files: list[CleanFile] = (),
    now: datetime.datetime | None = None,
) -> Message:
    if not conversation.is_participant(sender):
        raise DomainError(_("You are not part of this conversation."))
    body = strip_bidi_controls(body).strip()
    files = list(files)
    if not body and not files:
        raise DomainError(_("Write a message or attach a file."), field="body")
    if len(files) > settings.MESSAGE_MAX_ATTACHMENTS:
        raise DomainError(
            _("At most %(count)s files a message.") % {"count": settings.MESSAGE_MAX_ATTACHMENTS},
            field="files",
        )
    was_masked = False
    # A conversation without a project was opened by a paid order or a direct contract: bound already.
    if conversation.project_id is not None and not have_contract(
        project=conversation.project, client=conversation.client, freelancer=conversation.freelancer
    ):
        body, was_masked = mask_contacts(body)
    message = Message.objects.create(
        conversation=conversation,
        sender=sender,
        body=body,
        was_masked=was_masked,
        created_at=now or timezone.now(),
    )
    for clean in files:
        MessageAttachment.objects.create(
            message=message,
            file=clean.content,
            original_name=clean.original_name,
            kind=clean.kind,
            size=clean.content.size,
            preview=clean.preview or "",
        )
    now = message.created_at
    read_field = "client_read_at" if sender.pk == conversation.client_id else "freelancer_read_at"
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now, **{read_field: now})
    hooks.message_sent(message)
    _notify_recipient(conversation, sender, message, now)
    return message


def _notify_recipient(
    conversation: Conversation, sender: User, message: Message, now: datetime.datetime
) -> None:
    recipient = conversation.other(sender)
    emailed_field = "client_emailed_at" if recipient.pk == conversation.client_id else "freelancer_emailed_at"
    quiet_since = now - timezone.timedelta(minutes=settings.MESSAGE_EMAIL_QUIET_MINUTES)
    # One e-mail per conversation per quiet period: claim the slot atomically, so two messages sent at
    # once do not both send one.
    claimed = Conversation.objects.filter(
        Q(**{f"{emailed_field}__isnull": True}) | Q(**{f"{emailed_field}__lt": quiet_since}),
        pk=conversation.pk,
    ).update(**{emailed_field: now})
    notify(
        user=recipient,
        kind="new_message",
        context={"conversation": conversation, "sender": sender, "message": message},
        url=conversation.get_absolute_url(),
        send_email=bool(claimed),
    )


def mark_read(*, user: User, conversation: Conversation) -> None:
    field = "client_read_at" if user.pk == conversation.client_id else "freelancer_read_at"
    Conversation.objects.filter(pk=conversation.pk).update(**{field: timezone.now()})

"""Conversations for API clients: the inbox, a thread, sending (text; files stay on the web page) and
reading; the same selectors and services as the message pages, contact masking included."""

import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from mostaql.api.errors import errors
from mostaql.api.pagination import paginate
from mostaql.api.params import Text, path_id
from mostaql.core.schemas import AttachmentOut, PersonOut, ProjectRefOut
from mostaql.messaging import selectors, services
from mostaql.messaging.models import Conversation
from mostaql.projects.models import Offer

router = Router(tags=["messaging"])


class ConversationOut(Schema):
    id: int
    project: ProjectRefOut
    client: PersonOut
    freelancer: PersonOut
    last_message_at: datetime.datetime | None
    created_at: datetime.datetime


class InboxItemOut(ConversationOut):
    unread: int = Field(description="Messages from the other side since you last read the conversation.")
    last_message: str = Field(description="The last message that is still shown (hidden ones are skipped).")

    @staticmethod
    def resolve_last_message(conversation) -> str:
        return conversation.last_body or ""


class MessageOut(Schema):
    id: int
    sender: PersonOut
    body: str = Field(description="Empty when the moderators hid the message.")
    hidden: bool = Field(description="True when the moderators hid the message.")
    masked: bool = Field(
        description="True when contact details were hidden from the text (before a contract)."
    )
    files: list[AttachmentOut] = Field(description="Files are sent and downloaded on the web page.")
    created_at: datetime.datetime

    @staticmethod
    def resolve_hidden(message) -> bool:
        return bool(getattr(message, "is_hidden", False))

    @staticmethod
    def resolve_body(message) -> str:
        return "" if getattr(message, "is_hidden", False) else message.body

    @staticmethod
    def resolve_masked(message) -> bool:
        return message.was_masked

    @staticmethod
    def resolve_files(message) -> list:
        return [] if getattr(message, "is_hidden", False) else list(message.attachments.all())


class MessageIn(Schema):
    body: Text(min_length=1, max_length=5000)


def _conversation_for(request, conversation_id: int) -> Conversation:
    """Only the two sides read a conversation; anyone else's is not found, whatever the id."""
    user = request.auth
    conversations = Conversation.objects.select_related("project", "client", "freelancer")
    return get_object_or_404(conversations.filter(Q(client=user) | Q(freelancer=user)), pk=conversation_id)


@router.get("/conversations/", response=list[InboxItemOut])
@paginate
def inbox(request):
    """Your conversations with a message, latest first, each with its unread count."""
    return selectors.inbox(request.auth)


@router.post("/offers/{offer_id}/conversation/", response={200: ConversationOut, **errors(404, 409)})
def open_conversation(request, offer_id: int = path_id()):
    """Write to a bidder on your project: opens their conversation (the same one if it exists)."""
    offer = get_object_or_404(
        Offer.objects.select_related("project", "freelancer"), pk=offer_id, project__owner=request.auth
    )
    conversation = services.open_conversation(
        project=offer.project, client=request.auth, freelancer=offer.freelancer
    )
    return _conversation_for(request, conversation.pk)


@router.get("/conversations/{conversation_id}/", response={200: ConversationOut, **errors(404)})
def get_conversation(request, conversation_id: int = path_id()):
    """A conversation of yours."""
    return _conversation_for(request, conversation_id)


@router.get("/conversations/{conversation_id}/messages/", response={200: list[MessageOut], **errors(404)})
@paginate
def list_messages(request, conversation_id: int = path_id()):
    """The thread, oldest first. Reading it here does not mark it read: POST …/read/ does."""
    return selectors.messages_of(_conversation_for(request, conversation_id))


@router.post("/conversations/{conversation_id}/messages/", response={201: MessageOut, **errors(404, 409)})
def send_message(request, payload: MessageIn, conversation_id: int = path_id()):
    """Send a text message. Before a contract, contact details are hidden from it (`masked` says so)."""
    conversation = _conversation_for(request, conversation_id)
    message = services.send_message(sender=request.auth, conversation=conversation, body=payload.body)
    return Status(201, selectors.messages_of(conversation).get(pk=message.pk))


@router.post("/conversations/{conversation_id}/read/", response={200: InboxItemOut, **errors(404)})
def mark_read(request, conversation_id: int = path_id()):
    """Mark the conversation read up to now."""
    conversation = _conversation_for(request, conversation_id)
    services.mark_read(user=request.auth, conversation=conversation)
    return selectors.inbox(request.auth).filter(pk=conversation.pk).first() or _unread_zero(conversation)


def _unread_zero(conversation: Conversation) -> Conversation:
    """A conversation with no message yet is not in the inbox: it has nothing unread."""
    conversation.unread, conversation.last_body = 0, ""
    return conversation

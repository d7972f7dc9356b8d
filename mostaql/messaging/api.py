"""Conversations for API clients: the inbox, a thread, sending (text and files) and reading; the same
selectors and services as the message pages, contact masking included."""

import datetime

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.responses import Status

from mostaql.api.errors import errors
from mostaql.api.pagination import paginate
from mostaql.api.params import (
    FormOrJson,
    Text,
    UploadedFiles,
    clean_deliverables,
    file_response_doc,
    json_too,
    path_id,
)
from mostaql.core.schemas import PersonOut, ProjectRefOut
from mostaql.core.uploads import download_response, preview_response
from mostaql.messaging import selectors, services
from mostaql.messaging.models import Conversation, MessageAttachment
from mostaql.projects.models import Offer

router = Router(tags=["messaging"])


class ConversationOut(Schema):
    id: int
    title: str = Field(description="What it is about: the project, or the order or direct contract.")
    project: ProjectRefOut | None
    contract_id: int | None = Field(description="The order or direct contract it belongs to, if no project.")
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


class MessageFileOut(Schema):
    id: int
    name: str = Field(alias="original_name")
    kind: str = Field(
        description="image, svg, pdf, video, audio, subtitles, design, font, text, office or zip."
    )
    size: int
    download_url: str = Field(description="GET it (with your token) for the file exactly as it was sent.")
    preview_url: str | None = Field(description="A small re-encoded picture of an image, where there is one.")

    @staticmethod
    def resolve_download_url(attachment) -> str:
        return reverse("api-v1:messaging_attachment", kwargs={"file_id": attachment.pk})

    @staticmethod
    def resolve_preview_url(attachment) -> str | None:
        if not attachment.preview:
            return None
        return reverse("api-v1:messaging_attachment_preview", kwargs={"file_id": attachment.pk})


class MessageOut(Schema):
    id: int
    sender: PersonOut
    body: str = Field(description="Empty when the moderators hid the message.")
    hidden: bool = Field(description="True when the moderators hid the message.")
    masked: bool = Field(
        description="True when contact details were hidden from the text (before a contract)."
    )
    files: list[MessageFileOut] = Field(
        description="The attached files; each is downloaded, exactly as sent, at `download_url`."
    )
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
    body: Text(max_length=5000, description="The text; it may be empty when files are attached.") = ""


def _conversation_for(request, conversation_id: int) -> Conversation:
    """Only the two sides read a conversation; anyone else's is not found, whatever the id."""
    user = request.auth
    conversations = Conversation.objects.select_related("project", "contract", "client", "freelancer")
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


@router.post(
    "/conversations/{conversation_id}/messages/",
    response={201: MessageOut, **errors(404, 409)},
    openapi_extra=json_too(MessageIn),
)
def send_message(
    request, payload: FormOrJson(MessageIn), files: UploadedFiles = (), conversation_id: int = path_id()
):
    """Send a message: text, files or both. Before a contract, contact details are hidden from the text
    (`masked` says so).

    Send `multipart/form-data` with `body` and up to five `files` (kept byte for byte and checked by
    their content, as on the web page), or a JSON object with the `body` alone."""
    conversation = _conversation_for(request, conversation_id)
    message = services.send_message(
        sender=request.auth, conversation=conversation, body=payload.body, files=clean_deliverables(files)
    )
    return Status(201, selectors.messages_of(conversation).get(pk=message.pk))


def _attachment(request, file_id: int) -> MessageAttachment:
    """A file of one of the caller's conversations; anyone else's is not found, whatever the id."""
    attachment = selectors.visible_attachment(user=request.auth, pk=file_id)
    if attachment is None:
        raise Http404
    return attachment


@router.get(
    "/conversations/files/{file_id}/",
    response={**errors(404)},
    url_name="messaging_attachment",
    openapi_extra=file_response_doc("The attached file, exactly as it was sent, as a download."),
)
def attachment(request, file_id: int = path_id()):
    """Download a file sent in one of your conversations."""
    attachment = _attachment(request, file_id)
    return download_response(attachment.file, filename=attachment.original_name)


@router.get(
    "/conversations/files/{file_id}/preview/",
    response={**errors(404)},
    url_name="messaging_attachment_preview",
    openapi_extra=file_response_doc("A small re-encoded picture of an attached image."),
)
def attachment_preview(request, file_id: int = path_id()):
    """The preview of an image sent in one of your conversations; 404 where there is none."""
    attachment = _attachment(request, file_id)
    if not attachment.preview:
        raise Http404
    return preview_response(attachment.preview)


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

import datetime

from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from mostaql.accounts.models import User
from mostaql.core.visibility import is_hidden
from mostaql.messaging.models import Conversation, Message, MessageAttachment

NEVER = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def inbox(user: User) -> QuerySet[Conversation]:
    """The person's conversations, newest first, each with its unread count and last message."""
    my_read_at = Coalesce(
        Case(When(client=user, then=F("client_read_at")), default=F("freelancer_read_at")), Value(NEVER)
    )
    # The preview never shows what the moderators hid: it falls back to the last message still shown.
    last = Message.objects.filter(~is_hidden("message"), conversation=OuterRef("pk")).order_by("-id")
    return (
        Conversation.objects.filter(Q(client=user) | Q(freelancer=user), last_message_at__isnull=False)
        .select_related("project", "contract", "client__profile", "freelancer__profile")
        .annotate(
            unread=Count(
                "messages", filter=Q(messages__created_at__gt=my_read_at) & ~Q(messages__sender=user)
            ),
            last_body=Subquery(last.values("body")[:1]),
        )
        .order_by("-last_message_at", "-pk")
    )


def messages_of(conversation: Conversation) -> QuerySet[Message]:
    """The thread in order, each message knowing (in the same query) whether the moderators hid it."""
    return (
        conversation.messages.select_related("sender__profile")
        .prefetch_related("attachments")
        .annotate(is_hidden=is_hidden("message"))
        .order_by("id")
    )


def visible_attachment(*, user: User, pk: int) -> MessageAttachment | None:
    """A file of a message in one of `user`'s conversations, unless the moderators hid that message
    (the page and the API no longer list it then); None for anything else. One query."""
    of_user = Q(message__conversation__client=user) | Q(message__conversation__freelancer=user)
    return (
        MessageAttachment.objects.filter(of_user)
        .filter(~is_hidden("message", outer="message_id"))
        .filter(pk=pk)
        .first()
    )

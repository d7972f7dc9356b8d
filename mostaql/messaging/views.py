from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mostaql.core.exceptions import DomainError
from mostaql.core.forms import show_domain_error
from mostaql.core.uploads import download_response, preview_response
from mostaql.messaging import selectors, services
from mostaql.messaging.forms import MessageForm
from mostaql.messaging.models import Conversation, MessageAttachment
from mostaql.projects.models import Offer


def _conversation_for(request, pk: int) -> Conversation:
    """Only the two sides read a conversation (moderators see disputed contracts' through the admin)."""
    conversations = Conversation.objects.select_related(
        "project", "contract", "client__profile", "freelancer__profile"
    )
    return get_object_or_404(conversations.filter(Q(client=request.user) | Q(freelancer=request.user)), pk=pk)


@login_required
def inbox(request):
    page = Paginator(selectors.inbox(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "messaging/inbox.html", {"page": page})


@login_required
def conversation(request, pk: int):
    conversation = _conversation_for(request, pk)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.send_message(
                sender=request.user,
                conversation=conversation,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            if message.was_masked:
                flash.warning(
                    request,
                    _(
                        "Contact details were hidden from your message: until you have a contract, "
                        "talk and pay through Mostaql, where your money is protected."
                    ),
                )
            if request.POST.get("back") == "subject":  # sent from the thread embedded in an order's page
                return redirect(f"{conversation.get_subject_url()}#thread")
            return redirect(conversation)
    messages = selectors.messages_of(conversation)
    paginator = Paginator(messages, settings.MESSAGES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    services.mark_read(user=request.user, conversation=conversation)
    return render(
        request,
        "messaging/conversation.html",
        {
            "conversation": conversation,
            "other": conversation.other(request.user),
            "page": page,
            "form": form,
            "is_last_page": page.number == paginator.num_pages,
            "last_id": page.object_list[len(page.object_list) - 1].pk if page.object_list else 0,
        },
    )


@login_required
def poll(request, pk: int):
    """The HTMX poll of an open conversation: the messages after the last one shown."""
    conversation = _conversation_for(request, pk)
    try:
        after = int(request.GET.get("after", 0))
    except ValueError:
        after = 0
    new = list(selectors.messages_of(conversation).filter(pk__gt=after)[:100])
    if new:
        services.mark_read(user=request.user, conversation=conversation)
    return render(
        request,
        "messaging/partials/poll.html",
        {"conversation": conversation, "new_messages": new, "last_id": new[-1].pk if new else after},
    )


@login_required
@require_POST
def start(request, offer_id: int):
    """The project's owner writes to a bidder: opens (or reopens) their conversation."""
    offer = get_object_or_404(
        Offer.objects.select_related("project", "freelancer"), pk=offer_id, project__owner=request.user
    )
    try:
        conversation = services.open_conversation(
            project=offer.project, client=request.user, freelancer=offer.freelancer
        )
    except DomainError as error:
        flash.error(request, error.message)
        return redirect(offer.project)
    return redirect(conversation)


def _attachment_for(request, pk: int) -> MessageAttachment:
    attachment = selectors.visible_attachment(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
    return attachment


@login_required
def attachment(request, pk: int):
    """The file exactly as it was sent, always as a download."""
    attachment = _attachment_for(request, pk)
    return download_response(attachment.file, filename=attachment.original_name)


@login_required
def attachment_preview(request, pk: int):
    attachment = _attachment_for(request, pk)
    if not attachment.preview:
        raise Http404
    return preview_response(attachment.preview)

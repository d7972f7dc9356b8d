from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from mostaql.core.exceptions import DomainError
from mostaql.guides.rendering import render_markdown
from mostaql.help import selectors, services
from mostaql.help.forms import ContactForm, HelpSearchForm, ReplyForm
from mostaql.help.models import Ticket
from mostaql.wallet.services import MAX_DEPOSIT_CENTS, MIN_DEPOSIT_CENTS

QUEUE_PER_PAGE = 25


def index(request):
    form = HelpSearchForm(request.GET or None)
    query = topic = ""
    if form.is_valid():
        query, topic = form.cleaned_data["q"], form.cleaned_data["topic"]
    found = list(selectors.questions(query=query, topic=topic))
    for question in found:
        question.answer_html = render_markdown(question.shown_answer).html
    return render(
        request,
        "help/index.html",
        {
            "form": form,
            "query": query,
            "topic": topic,
            "groups": selectors.grouped_by_topic(found),
            "result_count": len(found),
        },
    )


def fees(request):
    """Every figure from settings (or, for deposits, from the wallet's own limits), so it never goes stale."""
    return render(
        request,
        "help/fees.html",
        {
            "commission_percent": settings.COMMISSION_PERCENT,
            "freelancer_share_percent": 100 - settings.COMMISSION_PERCENT,
            "clearance_days": settings.CLEARANCE_DAYS,
            "auto_accept_days": settings.AUTO_ACCEPT_DAYS,
            "review_window_days": settings.REVIEW_WINDOW_DAYS,
            "offers_per_month": settings.OFFERS_PER_MONTH,
            "min_offer_cents": settings.MIN_OFFER_CENTS,
            "min_withdrawal_cents": settings.MIN_WITHDRAWAL_CENTS,
            "min_deposit_cents": MIN_DEPOSIT_CENTS,
            "max_deposit_cents": MAX_DEPOSIT_CENTS,
            "example_cents": 100_00,
            "example_commission_cents": 100_00 * settings.COMMISSION_PERCENT // 100,
            "example_net_cents": 100_00 - 100_00 * settings.COMMISSION_PERCENT // 100,
        },
    )


def _legal(request, name: str):
    # Legal texts are written whole in each language (one template each), not sentence by sentence.
    language = "en" if get_language() == "en" else "ar"
    return render(request, f"help/{name}_{language}.html", {"updated": "2026-12-01"})


def terms(request):
    return _legal(request, "terms")


def privacy(request):
    return _legal(request, "privacy")


def _sender_key(request) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def contact(request):
    form = ContactForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.file_ticket(
                requester=request.user,
                sender_key=_sender_key(request),
                name=data.get("name", ""),
                email=data.get("email", ""),
                topic=data["topic"],
                subject=data["subject"],
                body=data["body"],
                language=get_language(),
                attachment=data.get("attachment"),
            )
        except DomainError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your request #%(number)s was sent; "
                    "we answer by e-mail, usually within two working days."
                )
                % {"number": ticket.pk},
            )
            return redirect("help:index")
    return render(request, "help/contact.html", {"form": form})


@staff_member_required
def ticket_queue(request):
    answered = request.GET.get("show") == "answered"
    tickets = selectors.answered_tickets() if answered else selectors.open_tickets()
    page = Paginator(tickets, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "help/ticket_queue.html", {"page": page, "answered": answered})


@staff_member_required
def ticket_review(request, pk: int):
    try:
        ticket = selectors.ticket_for_staff(pk=pk)
    except Ticket.DoesNotExist:
        raise Http404 from None
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_ticket(staff=request.user, ticket=ticket, body=form.cleaned_data["body"])
        except DomainError as error:
            form.add_error("body" if error.field == "body" else None, error.message)
        else:
            messages.success(request, _("Your answer was sent to %(email)s.") % {"email": ticket.email})
            return redirect("help:ticket_queue")
    return render(request, "help/ticket_review.html", {"ticket": ticket, "form": form})


@staff_member_required
def ticket_attachment(request, pk: int):
    """A ticket's attachment is private: staff only, and always downloaded, never shown inline."""
    ticket = Ticket.objects.filter(pk=pk).exclude(attachment="").first()
    if ticket is None:
        raise Http404
    return FileResponse(
        ticket.attachment.open("rb"), as_attachment=True, filename=ticket.attachment_name or None
    )

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mostaql.briefs import selectors, services
from mostaql.briefs.forms import AnswerForm, BriefForm
from mostaql.briefs.models import Answer, Brief
from mostaql.catalog.selectors import categories_with_skills
from mostaql.contracts.services import NeedsFunds
from mostaql.core.exceptions import DomainError
from mostaql.core.forms import show_domain_error
from mostaql.core.money import format_money
from mostaql.core.pagination import CappedPaginator
from mostaql.gigs.forms import RejectForm
from mostaql.gigs.models import Service
from mostaql.gigs.views import MASKED_WARNING, _dollars, _require_verified, _send_to_deposit


def list_filters(params: QueryDict) -> dict:
    """The list's filters from a query string: unknown values are dropped, never an error."""
    return {
        "query": params.get("q", "").strip()[:100],
        "category": params.get("category", "")[:50],
        "min_budget_cents": _dollars(params.get("min_budget", "")) if params.get("min_budget") else None,
        "max_budget_cents": _dollars(params.get("max_budget", "")) if params.get("max_budget") else None,
    }


def _search_params(filters: dict, raw: QueryDict) -> str:
    """The list's query and filters as a query string, the values it dropped left out: what a saved
    search and the feed are given."""
    params = QueryDict(mutable=True)
    if filters["query"]:
        params["q"] = filters["query"]
    if filters["category"]:
        params["category"] = filters["category"]
    for name in ("min_budget", "max_budget"):
        if filters[f"{name}_cents"] is not None:
            params[name] = raw.get(name, "")[:12]
    return params.urlencode()


def brief_list(request):
    filters = list_filters(request.GET)
    searched = selectors.brief_search(filters["query"])
    page = CappedPaginator(
        selectors.listed_briefs(**{**filters, "query": searched}),
        settings.REQUESTS_PER_PAGE,
        limit=settings.SERVICES_LIST_LIMIT,
    ).get_page(request.GET.get("page", "")[:20])
    link_params = request.GET.copy()
    link_params.pop("page", None)
    return render(
        request,
        "briefs/list.html",
        {
            "page": page,
            "search": searched,
            "filters": filters,
            "search_query": filters["query"],
            "categories": categories_with_skills(),
            "link_params": link_params,
            "min_budget": request.GET.get("min_budget", "")[:12],
            "max_budget": request.GET.get("max_budget", "")[:12],
            "feed_query": _search_params(filters, request.GET),
        },
    )


@login_required
def brief_create(request):
    if not _require_verified(request):
        return redirect("account_email")
    form = BriefForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            brief = services.post_brief(
                buyer=request.user,
                title=data["title"],
                description=data["description"],
                category=data["category"],
                budget_cents=data["budget"],
                delivery_days=data["delivery_days"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            if brief.masked_contacts:
                messages.warning(request, MASKED_WARNING)
            messages.success(request, _("Your request was received and will be published after review."))
            return redirect(brief)
    return render(request, "briefs/form.html", {"form": form, "order_max_cents": settings.ORDER_MAX_CENTS})


def _visible_brief(request, pk: int) -> Brief:
    try:
        brief = selectors.brief_for_page(pk=pk)
    except Brief.DoesNotExist:
        raise Http404 from None
    if not selectors.can_view_brief(brief, request.user):
        raise Http404
    return brief


def brief_detail(request, pk: int, answer_form: AnswerForm | None = None):
    brief = _visible_brief(request, pk)
    user = request.user
    is_buyer = user.is_authenticated and user.pk == brief.buyer_id
    is_open = services.is_listed(brief)
    context = {"brief": brief, "is_buyer": is_buyer, "is_open": is_open}
    if is_buyer or user.is_staff:
        context["answers"] = selectors.answers_of(brief)
    elif user.is_authenticated:
        own = selectors.answer_of(brief, user)
        context["own_answer"] = own
        if own is None and is_open:
            choices = selectors.answerable_services(user)
            context["answer_form"] = answer_form or AnswerForm(services=choices)
            context["has_services"] = answer_form is not None or choices.exists()
    return render(request, "briefs/detail.html", context)


@login_required
@require_POST
def brief_answer(request, pk: int):
    brief = _visible_brief(request, pk)
    form = AnswerForm(request.POST, services=Service.objects.all())
    if form.is_valid():
        try:
            services.answer_brief(
                seller=request.user,
                brief=brief,
                service=form.cleaned_data["service"],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            if not show_domain_error(form, error, request=request):
                return redirect(brief)
        else:
            messages.success(request, _("Your answer was sent to the buyer."))
            return redirect(brief)
    form.fields["service"].queryset = selectors.answerable_services(request.user)
    return brief_detail(request, pk, answer_form=form)


@login_required
@require_POST
def answer_order(request, pk: int, answer_pk: int):
    """The buyer orders an answer's service: the first POST shows the confirmation (core/confirm.html),
    the confirmed one orders. Another person's request is a 404."""
    brief = get_object_or_404(Brief.objects.select_related("buyer"), pk=pk, buyer=request.user)
    answer = get_object_or_404(
        Answer.objects.select_related("service__seller", "seller"), pk=answer_pk, brief=brief
    )
    answer.brief = brief
    if not services.is_listed(brief):
        messages.error(request, _("This request is closed: it expired or you have already ordered."))
        return redirect(brief)
    if request.POST.get("confirmed") != "1":
        service = answer.service
        return render(
            request,
            "core/confirm.html",
            {
                "confirm_title": _("Order “%(service)s”") % {"service": service.title},
                "confirm_lines": [
                    _("%(price)s leaves your balance for escrow now, and your request closes.")
                    % {"price": format_money(service.price_cents)},
                    _("The seller delivers within %(days)s days of your answers to their instructions.")
                    % {"days": service.delivery_days},
                ],
                "confirm_action": request.path,
                "confirm_button": _("Confirm and pay"),
                "cancel_url": brief.get_absolute_url(),
            },
        )
    try:
        order = services.order_answer(buyer=request.user, answer=answer)
    except NeedsFunds as short:
        messages.warning(request, short.message)
        return _send_to_deposit(request, short.shortfall_cents, brief.get_absolute_url())
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(brief)
    messages.success(
        request,
        _(
            "Your order is paid and the money waits in escrow. "
            "Answer the seller's instructions so the work can start."
        ),
    )
    return redirect(order.contract.get_absolute_url())


@login_required
def my_briefs(request):
    page = Paginator(selectors.briefs_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "briefs/mine.html", {"page": page})


# --- Moderation: in the services' queue (gigs.views.moderation_queue) ----------------------------


@staff_member_required
@require_POST
def moderation_approve(request, pk: int):
    brief = get_object_or_404(Brief, pk=pk)
    try:
        services.approve_brief(moderator=request.user, brief=brief)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The request “%(title)s” is published.") % {"title": brief.title})
    return redirect("gigs:moderation")


@staff_member_required
@require_POST
def moderation_reject(request, pk: int):
    brief = get_object_or_404(Brief, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Explain the reason to the buyer (at least 10 characters)."))
        return redirect("gigs:moderation")
    try:
        services.reject_brief(moderator=request.user, brief=brief, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The request “%(title)s” was rejected; the buyer has been told why.") % {"title": brief.title},
        )
    return redirect("gigs:moderation")

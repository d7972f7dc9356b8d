from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mostaql.core.exceptions import DomainError
from mostaql.core.forms import show_domain_error
from mostaql.reports import selectors, services
from mostaql.reports.forms import DecisionForm, LiftForm, ReportForm
from mostaql.reports.models import HiddenItem, Kind, Report, Suspension, author_of, page_of

QUEUE_PER_PAGE = 25


@login_required
def report_new(request, kind: str, pk: int):
    """Report a project, an offer, a message or a profile: only what this person can see (else 404)."""
    if kind not in Kind.values:
        raise Http404
    try:
        item = selectors.visible_item(kind=kind, pk=pk, user=request.user)
    except selectors.NotVisible:
        raise Http404 from None
    back = page_of(item)
    if author_of(item).pk == request.user.pk:
        messages.error(request, _("You cannot report something of your own."))
        return redirect(back)
    existing = selectors.open_report_of(reporter=request.user, item=item)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_report(reporter=request.user, item=item, reason=form.cleaned_data["reason"])
        except DomainError as error:
            if not show_domain_error(form, error, request=request):  # about the report, not the form
                return redirect(back)
        else:
            messages.success(
                request,
                _("Thank you. Your report was sent to the moderators; we will tell you what they decide."),
            )
            return redirect(back)
    return render(
        request,
        "reports/new.html",
        {"form": form, "kind": kind, "item": item, "back": back, "existing": existing},
    )


@login_required
def my_reports(request):
    page = Paginator(selectors.reports_of(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "reports/mine.html", {"page": page})


@login_required
def report_detail(request, pk: int):
    """The reporter's own report and its outcome; anyone else gets a 404 whatever the id."""
    try:
        report = selectors.report_for_page(pk=pk, user=request.user)
    except Report.DoesNotExist:
        raise Http404 from None
    return render(request, "reports/detail.html", {"report": report})


@staff_member_required
def queue(request):
    page = Paginator(selectors.open_queue(), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/queue.html", {"page": page})


@staff_member_required
def review(request, pk: int):
    report = get_object_or_404(Report.objects.select_related(*selectors.ITEM_RELATIONS), pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decided = services.decide_report(
                staff=request.user, report=report, action=data["action"], note=data["note"], hide=data["hide"]
            )
        except DomainError as error:
            if not show_domain_error(form, error, request=request):  # the report was decided meanwhile
                return redirect("reports:review", pk=report.pk)
        else:
            messages.success(
                request,
                _("Decided. %(count)s reporter(s) have been told the outcome.") % {"count": len(decided)},
            )
            return redirect("reports:queue")
    return render(
        request,
        "reports/review.html",
        {
            "report": report,
            "form": form,
            "same_item": selectors.open_reports_on_same_item(report) if report.is_open else [],
            "warnings": selectors.warnings_of(report.author),
            "suspension": selectors.active_suspension(report.author),
        },
    )


@staff_member_required
def suspensions(request):
    return render(
        request,
        "reports/suspensions.html",
        {"suspensions": selectors.active_suspensions(), "form": LiftForm()},
    )


@staff_member_required
@require_POST
def lift(request, pk: int):
    suspension = get_object_or_404(Suspension.objects.select_related("user"), pk=pk, lifted_at__isnull=True)
    form = LiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the reason for lifting the suspension (at least 10 characters)."))
        return redirect("reports:suspensions")
    try:
        services.unsuspend_account(
            staff=request.user, user=suspension.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s can log in again.") % {"name": suspension.user.name})
    return redirect("reports:suspensions")


@staff_member_required
def hidden(request):
    page = Paginator(selectors.hidden_items(), QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/hidden.html", {"page": page})


@staff_member_required
@require_POST
def show(request, pk: int):
    """Put a hidden item back on the site (a mistake, or an appeal that was upheld)."""
    hidden_item = get_object_or_404(HiddenItem, pk=pk)
    try:
        services.show_item(staff=request.user, hidden=hidden_item, note=request.POST.get("note", "")[:2000])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The item is shown on the site again."))
    return redirect("reports:hidden")

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from mostaql.accounts.security import recent_authentication_required, require_recent_authentication
from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError
from mostaql.core.forms import show_domain_error
from mostaql.core.money import format_money
from mostaql.wallet import ledger, selectors, services, webhooks
from mostaql.wallet.forms import (
    DepositForm,
    IdentityForm,
    PaymentReferenceForm,
    ReasonForm,
    SandboxCardForm,
    WithdrawalForm,
)
from mostaql.wallet.gateways import WebhookRefused, get_gateway
from mostaql.wallet.models import Deposit, IdentityVerification, LedgerAccount, Withdrawal


@login_required
def wallet(request):
    page = Paginator(selectors.statement(request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "wallet/wallet.html",
        {
            "balances": services.balances(request.user),
            "pending": selectors.pending_earnings(request.user),
            "page": page,
            "withdrawals": request.user.withdrawals.all()[:10],
            "deposit_form": DepositForm(),
        },
    )


# A cell that starts with one of these is run as a formula by spreadsheet programs (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(text: str) -> str:
    """Text for a CSV cell, kept as text: a leading apostrophe stops a spreadsheet from running it.

    Only for text columns (labels, titles written by people); amounts are written by _number_cell and
    a negative one (-25.00) must stay a number.
    """
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _number_cell(cents: int) -> str:
    """An amount as a spreadsheet reads a number: -1250.50, no symbol, no thousands separator (the
    currency has its own column), so that a column of them can be summed."""
    sign = "-" if cents < 0 else ""
    dollars, remainder = divmod(abs(int(cents)), 100)
    return f"{sign}{dollars}.{remainder:02d}"


@login_required
def statement_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mostaql-statement.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the Arabic labels as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Date"),
            _("Operation"),
            _("Account"),
            _("Amount"),
            _("Balance after"),
            _("Currency"),
            _("Project"),
        ]
    )
    for entry in selectors.statement(request.user, kinds=LedgerAccount.USER_KINDS).iterator(chunk_size=500):
        contract = entry.transfer.contract
        writer.writerow(
            [
                timezone.localtime(entry.transfer.created_at).strftime("%Y-%m-%d %H:%M"),
                _text_cell(str(entry.transfer.get_kind_display())),
                _text_cell(str(entry.account.get_kind_display())),
                _number_cell(entry.amount_cents),
                _number_cell(entry.balance_after_cents),
                "USD",
                _text_cell(contract.title) if contract else "",
            ]
        )
    return response


@login_required
def deposit_start(request):
    form = DepositForm(request.POST or None, initial={"amount": request.GET.get("amount")})
    return_to = request.POST.get("next") or request.GET.get("next", "")
    # A deposit started from a contract's "fund" button funds that contract once paid.
    fund = request.POST.get("fund") or request.GET.get("fund", "")
    contract = (
        Contract.objects.filter(
            pk=int(fund),
            client=request.user,
            status__in=[Contract.Status.AWAITING_FUNDING, Contract.Status.AWAITING_MILESTONE],
        ).first()
        if fund.isascii() and fund.isdigit() and len(fund) < 12
        else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            deposit = services.start_deposit(
                user=request.user,
                amount_cents=form.cleaned_data["amount"],
                return_to=return_to,
                contract=contract,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return redirect(get_gateway(deposit.gateway).checkout_url(deposit))
    return render(
        request,
        "wallet/deposit.html",
        {
            "form": form,
            "next": return_to,
            "contract": contract,
            "minimum_cents": services.MIN_DEPOSIT_CENTS,
            "maximum_cents": services.MAX_DEPOSIT_CENTS,
        },
    )


def _own_deposit(request, pk) -> Deposit:
    return get_object_or_404(Deposit, pk=pk, user=request.user)


@login_required
def sandbox_checkout(request, pk):
    """The sandbox processor's card page. Paying makes it send us its signed webhook."""
    if not settings.SANDBOX_GATEWAY_ENABLED:
        raise Http404
    deposit = _own_deposit(request, pk)
    if deposit.status != Deposit.Status.STARTED:
        return redirect("wallet:deposit_result", pk=deposit.pk)
    form = SandboxCardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        gateway = get_gateway("sandbox")
        body, signature = gateway.charge(deposit, form.cleaned_data["card_number"])
        # The sandbox processor lives in this process: it hands its signed event to the same handler
        # that the webhook endpoint uses, so the signature is checked exactly as for a real one.
        webhooks.handle(gateway_name="sandbox", body=body, signature=signature)
        return redirect("wallet:deposit_result", pk=deposit.pk)
    return render(request, "wallet/sandbox_checkout.html", {"deposit": deposit, "form": form})


@login_required
def deposit_result(request, pk):
    deposit = _own_deposit(request, pk)
    if deposit.status == Deposit.Status.SUCCEEDED:
        messages.success(
            request,
            _("%(amount)s was added to your balance.") % {"amount": format_money(deposit.amount_cents)},
        )
        contract = deposit.contract
        if contract is not None and contract.status == Contract.Status.ACTIVE and contract.funded_at:
            messages.success(
                request, _("The contract is funded: the money waits in escrow and the work can start.")
            )
        return redirect(deposit.return_to or "wallet:index")
    return render(
        request,
        "wallet/deposit_result.html",
        {
            "deposit": deposit,
            "retry_amount": f"{deposit.amount_cents // 100}.{deposit.amount_cents % 100:02d}",
        },
    )


@csrf_exempt
@require_POST
def webhook(request, gateway):
    if gateway not in ("sandbox",) or (gateway == "sandbox" and not settings.SANDBOX_GATEWAY_ENABLED):
        raise Http404
    try:
        outcome = webhooks.handle(
            gateway_name=gateway, body=request.body, signature=request.META.get("HTTP_X_SIGNATURE", "")
        )
    except WebhookRefused as refusal:
        return HttpResponseBadRequest(str(refusal))
    return HttpResponse(outcome)


@login_required
def withdraw(request):
    if request.method == "POST" and "withdraw-amount" in request.POST:
        require_recent_authentication(request)  # a withdrawal carries its payout details
    verification = request.user.identity_checks.first()
    is_verified = services.is_identity_verified(request.user)
    identity_form = IdentityForm(request.POST or None, request.FILES or None, prefix="identity")
    balances = services.balances(request.user)
    form = WithdrawalForm(
        request.POST if "withdraw-amount" in request.POST else None,
        prefix="withdraw",
        available_cents=balances["available"],
    )
    if request.method == "POST" and "identity-document" in request.FILES and identity_form.is_valid():
        try:
            services.submit_identity_document(
                user=request.user, document=identity_form.cleaned_data["document"][0]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your document was sent. A moderator will review it soon."))
        return redirect("wallet:withdraw")
    if request.method == "POST" and "withdraw-amount" in request.POST and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_withdrawal(
                user=request.user,
                amount_cents=data["amount"],
                method=data["method"],
                paypal_email=data["paypal_email"],
                bank_holder=data["bank_holder"],
                bank_iban=data["bank_iban"],
                bank_name=data["bank_name"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Your withdrawal was requested. We will tell you when it is paid."))
            return redirect("wallet:index")
    return render(
        request,
        "wallet/withdraw.html",
        {
            "form": form,
            "identity_form": identity_form,
            "verification": verification,
            "is_verified": is_verified,
            "balances": balances,
        },
    )


def _finance_staff(user) -> bool:
    return user.is_superuser or user.has_perm("wallet.process_withdrawal")


@staff_member_required
def finance(request):
    if not _finance_staff(request.user):
        raise Http404
    report = ledger.audit() if request.GET.get("audit") else None
    return render(
        request,
        "wallet/finance.html",
        {
            "totals": selectors.finance_totals(),
            "queue": selectors.withdrawal_queue(),
            "report": report,
            "refuse_form": ReasonForm(),
        },
    )


def _confirm_payment(request, withdrawal: Withdrawal, form):
    """Before a withdrawal is marked paid: what was sent to whom, and the payment's reference."""
    if withdrawal.method == Withdrawal.Method.PAYPAL:
        destination = withdrawal.paypal_email
    else:
        destination = f"{withdrawal.bank_holder} · {withdrawal.bank_iban} · {withdrawal.bank_name}"
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Mark this withdrawal as paid?"),
            "confirm_lines": [
                _("%(amount)s to %(name)s by %(method)s: %(destination)s.")
                % {
                    "amount": format_money(withdrawal.amount_cents),
                    "name": withdrawal.user.name,
                    "method": withdrawal.get_method_display(),
                    "destination": destination,
                },
                _("Confirm only once the money was sent: the withdrawal is closed and the person is told."),
            ],
            "confirm_warning": _("This cannot be undone."),
            "confirm_form": form,
            "confirm_button": _("Mark as paid"),
            "confirm_action": request.path,
            "cancel_url": reverse("wallet:finance"),
        },
    )


@staff_member_required
@require_POST
@recent_authentication_required
def withdrawal_decide(request, pk, decision):
    withdrawal = get_object_or_404(Withdrawal.objects.select_related("user"), pk=pk)
    try:
        if decision == "pay":
            services.check_can_process(staff=request.user, withdrawal=withdrawal)
            confirmed = request.POST.get("confirmed") == "1"
            reference_form = PaymentReferenceForm(request.POST if confirmed else None)
            if not reference_form.is_valid():
                return _confirm_payment(request, withdrawal, reference_form)
            services.mark_withdrawal_paid(
                staff=request.user,
                withdrawal=withdrawal,
                payment_reference=reference_form.cleaned_data["payment_reference"],
            )
        elif decision == "refuse":
            services.refuse_withdrawal(
                staff=request.user, withdrawal=withdrawal, reason=request.POST.get("reason", "")
            )
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The withdrawal was processed."))
    return redirect("wallet:finance")


@staff_member_required
def identity_queue(request):
    return render(
        request,
        "wallet/identity_queue.html",
        {"queue": selectors.identity_queue(), "reject_form": ReasonForm()},
    )


@staff_member_required
def identity_document(request, pk):
    verification = get_object_or_404(IdentityVerification, pk=pk)
    return FileResponse(
        verification.document.open("rb"),
        as_attachment=False,
        filename=verification.document.name.rsplit("/", 1)[-1],
    )


@staff_member_required
@require_POST
def identity_decide(request, pk, decision):
    verification = get_object_or_404(IdentityVerification, pk=pk)
    if decision not in ("approve", "reject"):
        raise Http404
    try:
        services.review_identity(
            moderator=request.user,
            verification=verification,
            approve=decision == "approve",
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The document was reviewed."))
    return redirect("wallet:identity_queue")

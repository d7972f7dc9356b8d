from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mostaql.accounts.models import User
from mostaql.accounts.security import recent_authentication_required
from mostaql.contracts import selectors, services, states
from mostaql.contracts.forms import BonusForm, ExtensionForm, MilestoneChangeForm, RehireForm
from mostaql.contracts.models import Contract, DeliveryAttachment, Dispute
from mostaql.core.exceptions import DomainError
from mostaql.core.forms import show_domain_error
from mostaql.core.milestones import MilestoneTerms
from mostaql.core.money import format_money, net_after_commission_cents
from mostaql.core.uploads import download_response, preview_response
from mostaql.gigs import selectors as gig_selectors
from mostaql.messaging import selectors as message_selectors
from mostaql.messaging.forms import MessageForm
from mostaql.messaging.models import Conversation
from mostaql.reviews import selectors as review_selectors
from mostaql.wallet import services as wallet_services
from mostaql.wallet.forms import DeliveryForm, DisputeDecisionForm, ReasonForm, RequirementsForm

# The order page shows the latest messages of its thread; the whole thread is one link away.
ORDER_THREAD_MESSAGES = 20


def _contract_for(request, pk: int) -> Contract:
    """The two sides see a contract, and moderators; anyone else gets a 404 whatever the id."""
    contracts = selectors.visible_contracts(request.user).select_related(
        "project", "client__profile", "freelancer__profile", "offer"
    )
    return get_object_or_404(contracts, pk=pk)


@login_required
def contract_detail(request, pk: int, forms=None):
    contract = selectors.contract_detail(contract_id=pk, user=request.user)
    if contract is None:  # the two sides see a contract, and moderators; anyone else gets a 404
        raise Http404
    forms = forms or {}
    is_party = contract.is_party(request.user)
    if contract.project_id is None:
        conversation = Conversation.objects.filter(contract=contract).first() if is_party else None
    else:
        conversation = (
            Conversation.objects.filter(
                project=contract.project_id, freelancer=contract.freelancer_id
            ).first()
            if is_party
            else None
        )
    return render(
        request,
        "contracts/detail.html",
        {
            **_order_context(request, contract, conversation, forms),
            "contract": contract,
            "events": contract.events_list,
            "deliveries": contract.deliveries_list,
            "proposal": contract.proposal,
            "dispute": contract.dispute_row,
            "actions": contract.actions,
            "delivery_form": forms.get("deliver") or _delivery_form(contract),
            "milestone_change_form": forms.get("propose_milestone_change")
            or MilestoneChangeForm(contract=contract),
            "extension_form": forms.get("propose_extension") or ExtensionForm(),
            "bonus_form": forms.get("pay_bonus") or BonusForm(),
            "milestones": contract.milestones_list,
            "bonuses": contract.bonuses_list,
            "milestone_change": contract.milestone_change,
            "extension": contract.extension,
            "current_milestone": contract.current_milestone,
            "reason_form": ReasonForm(),
            "is_client": request.user.pk == contract.client_id,
            "auto_accept_days": contract.auto_accept_days,
            "reviews": review_selectors.review_state(contract=contract, user=request.user),
            "conversation": conversation,
        },
    )


def _delivery_form(contract: Contract) -> DeliveryForm:
    form = DeliveryForm()
    if contract.is_order:
        form.fields["message"].label = _("Message to the buyer")
    return form


def _order_context(request, contract: Contract, conversation: Conversation | None, forms: dict) -> dict:
    """What the page adds for a service order: the service and the upgrades chosen (gigs), the
    seller's instructions and the buyer's requirements, and the thread embedded (messaging)."""
    if not contract.is_order:
        return {"order": None}
    thread = []
    if conversation is not None:
        latest = message_selectors.messages_of(conversation).order_by("-id")[:ORDER_THREAD_MESSAGES]
        thread = list(reversed(latest))
    return {
        "order": gig_selectors.order_of_contract(contract.pk),
        "requirements": selectors.requirements_of(contract),
        "requirements_form": forms.get("submit_requirements") or RequirementsForm(auto_id="requirements_%s"),
        "thread": thread,
        "message_form": MessageForm(auto_id="message_%s"),
        "is_late": states.is_late(contract),
    }


@login_required
def order_detail(request, pk: int):
    """/orders/<id>/: an order is a contract of origin "order"; its page is the contract page."""
    contract = get_object_or_404(
        selectors.visible_contracts(request.user).filter(origin=Contract.Origin.ORDER), pk=pk
    )
    return redirect(contract)


def _send_to_deposit(request, contract: Contract, shortfall_cents: int):
    """To the deposit form, filled in with what one deposit can add towards the shortfall.

    A deposit takes between the minimum and the maximum at a time: a smaller shortfall is rounded up
    to the minimum (the rest stays in the balance), a larger one is paid in several deposits, the
    client coming back to the contract after each one.
    """
    deposit_cents = wallet_services.deposit_towards(shortfall_cents)
    if shortfall_cents < deposit_cents:
        messages.info(
            request,
            _("The smallest deposit is %(minimum)s: what the contract does not use stays in your balance.")
            % {"minimum": format_money(deposit_cents)},
        )
    elif shortfall_cents > deposit_cents:
        messages.info(
            request,
            _(
                "You can add at most %(maximum)s at a time. Add it, then fund the contract again to add "
                "the remaining %(rest)s."
            )
            % {"maximum": format_money(deposit_cents), "rest": format_money(shortfall_cents - deposit_cents)},
        )
    dollars, cents = divmod(deposit_cents, 100)
    query = urlencode(
        {"amount": f"{dollars}.{cents:02d}", "next": contract.get_absolute_url(), "fund": contract.pk}
    )
    return redirect(f"{reverse('wallet:deposit')}?{query}")


def _confirm_acceptance(request, contract: Contract):
    """Accepting releases the escrow: say how much goes where before it happens (nothing changes yet)."""
    states.next_status(contract, "accept", request.user)  # who may accept, and when: DomainError otherwise
    milestone = contract.current_milestone
    is_last = states.is_last_milestone_in_play(contract)
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Accept the delivery?"),
            "confirm_lines": [
                _("%(amount)s will be released to the freelancer, who receives %(net)s after the commission.")
                % {
                    "amount": format_money(milestone.amount_cents),
                    "net": format_money(net_after_commission_cents(milestone.amount_cents)),
                },
                _("The contract is then completed and you can review the freelancer.")
                if is_last
                else _("You then fund the next milestone when you choose."),
            ],
            "confirm_warning": _("This cannot be undone."),
            "confirm_button": _("Accept and release the payment"),
            "confirm_action": request.path,
            "cancel_url": contract.get_absolute_url(),
        },
    )


def _confirm_late_cancellation(request, contract: Contract):
    """Cancelling a late order refunds it at once: say so before it happens (nothing changes yet)."""
    if "cancel_late" not in states.offered_actions(contract, request.user):
        raise DomainError(_("The order is not late: you can cancel it once the deadline has passed."))
    return render(
        request,
        "core/confirm.html",
        {
            "confirm_title": _("Cancel the late order?"),
            "confirm_lines": [
                _("The deadline has passed with no delivery. %(amount)s returns to your balance at once.")
                % {"amount": format_money(contract.amount_cents)},
            ],
            "confirm_warning": _("This cannot be undone."),
            "confirm_button": _("Cancel and refund"),
            "confirm_action": request.path,
            "cancel_url": contract.get_absolute_url(),
        },
    )


@login_required
@require_POST
def contract_action(request, pk: int, action: str):
    contract = _contract_for(request, pk)
    user, reason = request.user, request.POST.get("reason", "")[:5000]
    try:
        if action == "fund":
            try:
                services.fund_contract(client=user, contract=contract)
            except services.NeedsFunds as short:
                messages.warning(request, short.message)
                return _send_to_deposit(request, contract, short.shortfall_cents)
            messages.success(
                request, _("The contract is funded: the money waits in escrow and the work can start.")
            )
        elif action == "deliver":
            form = DeliveryForm(request.POST, request.FILES)
            if not form.is_valid():
                return contract_detail(request, pk, forms={"deliver": form})
            services.deliver(
                freelancer=user,
                contract=contract,
                message=form.cleaned_data["message"],
                files=form.cleaned_data["files"],
            )
            messages.success(request, _("Your delivery was sent to the client."))
        elif action in ("accept", "accept_milestone"):
            if request.POST.get("confirmed") != "1":
                return _confirm_acceptance(request, contract)
            services.accept_delivery(client=user, contract=contract)
            messages.success(request, _("You accepted the delivery. The freelancer has been paid."))
        elif action == "request_changes":
            services.request_changes(client=user, contract=contract, message=reason)
            messages.success(request, _("Your request for changes was sent."))
        elif action == "propose_cancel":
            services.propose_cancellation(user=user, contract=contract, reason=reason)
            messages.success(request, _("Your proposal to cancel was sent to the other side."))
        elif action in ("cancel", "refuse_cancel"):
            services.answer_cancellation(user=user, contract=contract, accept=action == "cancel")
            messages.success(request, _("Your answer was recorded."))
        elif action == "open_dispute":
            services.open_dispute(user=user, contract=contract, reason=reason)
            messages.success(
                request, _("The dispute is open. A moderator will study the contract and decide.")
            )
        elif action == "submit_requirements":
            form = RequirementsForm(request.POST, request.FILES, auto_id="requirements_%s")
            if not form.is_valid():
                return contract_detail(request, pk, forms={"submit_requirements": form})
            services.submit_requirements(
                client=user,
                contract=contract,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
            )
            messages.success(request, _("Your requirements were sent: the seller's clock starts now."))
        elif action == "decline_order":
            services.decline_order(freelancer=user, contract=contract, reason=reason[:2000])
            messages.success(request, _("You declined the order; the buyer has been refunded."))
        elif action == "cancel_late":
            if request.POST.get("confirmed") != "1":
                return _confirm_late_cancellation(request, contract)
            services.cancel_late_order(client=user, contract=contract)
            messages.success(request, _("The order is cancelled and its amount is back in your balance."))
        elif action in ("decline", "withdraw_hire"):
            ending = services.decline_hire if action == "decline" else services.withdraw_hire
            side = "freelancer" if action == "decline" else "client"
            ending(**{side: user}, contract=contract, reason=reason[:2000])
            messages.success(request, _("Done: the project is open for offers again."))
        elif action in AMENDMENTS:
            answer = AMENDMENTS[action](request, contract)
            if answer is not None:
                return answer
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(contract)


# --- Issue 13: milestone changes, extensions, bonuses, direct contracts ----------------------------


def _form_or_page(request, contract: Contract, action: str, form, write) -> object:
    """Run `write(cleaned_data)` for a valid form; else (or on a refusal about a field) show the page
    again with the form and its errors."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except DomainError as error:
            if error.field and error.field not in form.fields:
                error.field = None
            show_domain_error(form, error)
        else:
            return None
    return contract_detail(request, contract.pk, forms={action: form})


def _propose_milestone_change(request, contract: Contract):
    form = MilestoneChangeForm(request.POST, contract=contract)

    def write(data):
        milestone = contract.milestones.filter(pk=data["milestone"]).first() if data["milestone"] else None
        services.propose_milestone_change(
            user=request.user,
            contract=contract,
            milestone=milestone,
            terms=MilestoneTerms(data["title"], data["amount"], data["days"]),
        )
        messages.success(request, _("Your proposal was sent to the other side."))

    return _form_or_page(request, contract, "propose_milestone_change", form, write)


def _propose_extension(request, contract: Contract):
    def write(data):
        services.propose_extension(
            user=request.user, contract=contract, days=data["days"], reason=data["reason"]
        )
        messages.success(request, _("Your proposal was sent to the other side."))

    return _form_or_page(request, contract, "propose_extension", ExtensionForm(request.POST), write)


def _pay_bonus(request, contract: Contract):
    def write(data):
        bonus = services.pay_bonus(
            client=request.user, contract=contract, amount_cents=data["amount"], note=data["note"]
        )
        messages.success(
            request,
            _("You paid a bonus of %(amount)s. Thank you!") % {"amount": format_money(bonus.amount_cents)},
        )

    return _form_or_page(request, contract, "pay_bonus", BonusForm(request.POST), write)


def _answer(service, accept: bool, message: str):
    def answer(request, contract: Contract):
        service(user=request.user, contract=contract, accept=accept)
        messages.success(request, message)

    return answer


def _accept_rehire(request, contract: Contract):
    services.accept_rehire(freelancer=request.user, contract=contract)
    messages.success(request, _("You accepted the contract. The work starts when the client funds it."))


AMENDMENTS = {
    "propose_milestone_change": _propose_milestone_change,
    "accept_milestone_change": _answer(
        services.answer_milestone_change, True, _("Your answer was recorded.")
    ),
    "refuse_milestone_change": _answer(
        services.answer_milestone_change, False, _("Your answer was recorded.")
    ),
    "propose_extension": _propose_extension,
    "accept_extension": _answer(services.answer_extension, True, _("Your answer was recorded.")),
    "refuse_extension": _answer(services.answer_extension, False, _("Your answer was recorded.")),
    "pay_bonus": _pay_bonus,
    "accept_rehire": _accept_rehire,
}


@login_required
def rehire(request, user_id: int):
    """A direct contract for someone the client knows: title, description and milestones."""
    freelancer = get_object_or_404(
        User.objects.filter(is_active=True).exclude(pk=request.user.pk), pk=user_id
    )
    initial = {}
    earlier = selectors.visible_contracts(request.user).filter(
        pk=request.GET.get("from") or 0, client=request.user, freelancer=freelancer
    )
    for contract in earlier[:1]:
        initial = {"title": contract.title}
    form = RehireForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contract = services.offer_rehire(
                client=request.user,
                freelancer=freelancer,
                title=data["title"],
                description=data["description"],
                milestones=data["milestones"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, _("Your offer was sent. The contract starts once the freelancer accepts it.")
            )
            return redirect(contract)
    return render(request, "contracts/rehire.html", {"form": form, "freelancer": freelancer})


def _delivery_attachment_for(request, pk: int) -> DeliveryAttachment:
    attachment = selectors.visible_delivery_file(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
    return attachment


@login_required
def requirements_file(request, pk: int):
    """A file the buyer sent with the requirements, as a download (the two sides and staff)."""
    attachment = selectors.visible_requirements_file(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
    return download_response(attachment.file, filename=attachment.original_name)


@login_required
def delivery_file(request, pk: int):
    """The delivered file exactly as it was uploaded, always as a download."""
    attachment = _delivery_attachment_for(request, pk)
    return download_response(attachment.file, filename=attachment.original_name)


@login_required
def delivery_preview(request, pk: int):
    attachment = _delivery_attachment_for(request, pk)
    if not attachment.preview:
        raise Http404
    return preview_response(attachment.preview)


@staff_member_required
def dispute_queue(request):
    disputes = selectors.open_disputes()
    return render(request, "contracts/dispute_queue.html", {"disputes": disputes})


@staff_member_required
@recent_authentication_required
def dispute_decide(request, pk: int):
    contract = get_object_or_404(Contract.objects.select_related("project", "client", "freelancer"), pk=pk)
    dispute = get_object_or_404(Dispute, contract=contract)
    form = DisputeDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resolve_dispute(
                moderator=request.user,
                contract=contract,
                freelancer_share_cents=form.cleaned_data["freelancer_share"],
                decision=form.cleaned_data["decision"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The dispute is decided; both sides have been told."))
            return redirect("contracts:dispute_queue")
    return render(
        request,
        "contracts/dispute_decide.html",
        {
            "contract": contract,
            "dispute": dispute,
            "form": form,
            "events": contract.events.select_related("actor"),
            "deliveries": contract.deliveries.prefetch_related("attachments"),
        },
    )

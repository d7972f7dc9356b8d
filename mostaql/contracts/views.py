from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mostaql.contracts import services, states
from mostaql.contracts.models import Contract
from mostaql.core.exceptions import DomainError


def _contract_for(request, pk: int) -> Contract:
    """The two sides see a contract, and moderators; anyone else gets a 404 whatever the id."""
    contracts = Contract.objects.select_related("project", "client__profile", "freelancer__profile", "offer")
    if not request.user.is_staff:
        contracts = contracts.filter(Q(client=request.user) | Q(freelancer=request.user))
    return get_object_or_404(contracts, pk=pk)


@login_required
def contract_detail(request, pk: int):
    contract = _contract_for(request, pk)
    return render(
        request,
        "contracts/detail.html",
        {
            "contract": contract,
            "events": contract.events.select_related("actor"),
            "actions": {move.action for move in states.actions_for(contract, request.user)},
        },
    )


HIRE_ENDINGS = {"decline": services.decline_hire, "withdraw_hire": services.withdraw_hire}


@login_required
@require_POST
def contract_action(request, pk: int, action: str):
    contract = _contract_for(request, pk)
    if action not in HIRE_ENDINGS:
        raise Http404
    side = "freelancer" if action == "decline" else "client"
    try:
        HIRE_ENDINGS[action](
            **{side: request.user}, contract=contract, reason=request.POST.get("reason", "")[:2000]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(contract)
    messages.success(request, _("Done: the project is open for offers again."))
    return redirect(contract)

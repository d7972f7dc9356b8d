"""Every change to a contract. Funding, delivery and payment arrive with the wallet."""

from django.db import transaction
from django.utils.translation import gettext as _

from mostaql.accounts.models import User
from mostaql.contracts import states
from mostaql.contracts.models import Contract, ContractEvent
from mostaql.core.emails import send_email_on_commit
from mostaql.core.exceptions import DomainError
from mostaql.core.text import strip_bidi_controls


def _move(contract: Contract, action: str, actor: User | None, note: str = "") -> Contract:
    target = states.next_status(contract, action, actor)
    ContractEvent.objects.create(
        contract=contract,
        actor=actor,
        action=action,
        from_status=contract.status,
        to_status=target,
        note=note,
    )
    contract.status = target
    contract.save(update_fields=["status", "updated_at"])
    return contract


def create_contract(*, offer, client: User) -> Contract:
    """Called by projects.services.hire inside its transaction: the offer's terms, waiting for funding."""
    contract = Contract.objects.create(
        project_id=offer.project_id,
        offer=offer,
        client=client,
        freelancer_id=offer.freelancer_id,
        amount_cents=offer.amount_cents,
        duration_days=offer.duration_days,
    )
    ContractEvent.objects.create(contract=contract, actor=client, action="hire", to_status=contract.status)
    return contract


def _locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().select_related("project", "offer").get(pk=contract.pk)


def _end_hire(*, contract: Contract, actor: User, action: str, reason: str, notify: User) -> Contract:
    from mostaql.projects import services as project_services

    contract = _locked(contract)
    reason = strip_bidi_controls(reason).strip()
    _move(contract, action, actor, reason)
    project_services.reopen_after_failed_hire(
        project=contract.project, offer=contract.offer, actor=actor, reason=reason
    )
    send_email_on_commit(
        to=notify.email,
        template=f"contracts/email/{action}",
        context={"contract": contract, "reason": reason},
    )
    return contract


@transaction.atomic
def decline_hire(*, freelancer: User, contract: Contract, reason: str = "") -> Contract:
    """The hired freelancer says no before the money is in escrow; the project opens again."""
    if contract.freelancer_id != freelancer.pk:
        raise DomainError(_("Only the hired freelancer can decline this hire."))
    return _end_hire(
        contract=contract, actor=freelancer, action="decline", reason=reason, notify=contract.client
    )


@transaction.atomic
def withdraw_hire(*, client: User, contract: Contract, reason: str = "") -> Contract:
    """The client changes their mind before funding; the project opens again for offers."""
    if contract.client_id != client.pk:
        raise DomainError(_("Only the client can withdraw this hire."))
    return _end_hire(
        contract=contract, actor=client, action="withdraw_hire", reason=reason, notify=contract.freelancer
    )

"""Every change to a contract: hire, fund, deliver, accept, change, cancel, dispute. Money moves through
mostaql.wallet.services, inside the same transaction as the state change."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mostaql.accounts.models import User
from mostaql.contracts import states
from mostaql.contracts.models import (
    CancellationRequest,
    Contract,
    ContractEvent,
    Delivery,
    DeliveryAttachment,
    Dispute,
)
from mostaql.core.exceptions import DomainError
from mostaql.core.text import strip_bidi_controls
from mostaql.core.uploads import CleanFile
from mostaql.notifications.services import notify
from mostaql.reviews import reputation


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


def _end_hire(*, contract: Contract, actor: User, action: str, reason: str, notify_user: User) -> Contract:
    from mostaql.projects import services as project_services

    contract = _locked(contract)
    reason = strip_bidi_controls(reason).strip()
    _move(contract, action, actor, reason)
    project_services.reopen_after_failed_hire(
        project=contract.project, offer=contract.offer, actor=actor, reason=reason
    )
    notify(
        user=notify_user,
        kind="hire_declined" if action == "decline" else "hire_withdrawn",
        context={"contract": contract, "reason": reason},
        url=contract.project.get_absolute_url() if action == "decline" else contract.get_absolute_url(),
    )
    return contract


@transaction.atomic
def decline_hire(*, freelancer: User, contract: Contract, reason: str = "") -> Contract:
    """The hired freelancer says no before the money is in escrow; the project opens again."""
    if contract.freelancer_id != freelancer.pk:
        raise DomainError(_("Only the hired freelancer can decline this hire."))
    return _end_hire(
        contract=contract, actor=freelancer, action="decline", reason=reason, notify_user=contract.client
    )


@transaction.atomic
def withdraw_hire(*, client: User, contract: Contract, reason: str = "") -> Contract:
    """The client changes their mind before funding; the project opens again for offers."""
    if contract.client_id != client.pk:
        raise DomainError(_("Only the client can withdraw this hire."))
    return _end_hire(
        contract=contract,
        actor=client,
        action="withdraw_hire",
        reason=reason,
        notify_user=contract.freelancer,
    )


# --- From funding to payment ---------------------------------------------------------------------


class NeedsFunds(DomainError):
    """The client's available balance is short of the contract's amount by `shortfall_cents`."""

    def __init__(self, message, *, shortfall_cents: int):
        super().__init__(message)
        self.shortfall_cents = shortfall_cents


def _project_moves(contract: Contract, action: str) -> None:
    from mostaql.projects import states as project_states
    from mostaql.projects.models import Project
    from mostaql.projects.services import bump_list_version

    project = Project.objects.select_for_update().get(pk=contract.project_id)
    project.status = project_states.transition(project, action)
    project.save(update_fields=["status", "updated_at"])
    bump_list_version()


def _notify(contract: Contract, user: User, kind: str, **context) -> None:
    notify(user=user, kind=kind, context={"contract": contract, **context}, url=contract.get_absolute_url())


@transaction.atomic
def fund_contract(*, client: User, contract: Contract) -> Contract:
    """available → escrow; the contract becomes active and the project in progress."""
    from mostaql.projects.models import Offer
    from mostaql.wallet import services as wallet
    from mostaql.wallet.ledger import InsufficientFunds

    contract = _locked(contract)
    target = states.next_status(contract, "fund", client)
    try:
        wallet.fund_escrow(contract=contract, client=client)
    except InsufficientFunds:
        shortfall = contract.amount_cents - wallet.balances(client)["available"]
        raise NeedsFunds(
            _("Your balance is not enough to fund this contract."), shortfall_cents=shortfall
        ) from None
    _move(contract, "fund", client)
    assert contract.status == target
    contract.funded_at = timezone.now()
    contract.save(update_fields=["funded_at"])
    _project_moves(contract, "start")
    Offer.objects.filter(project_id=contract.project_id, status=Offer.Status.SUBMITTED).update(
        status=Offer.Status.NOT_HIRED
    )
    _notify(contract, contract.freelancer, "contract_funded")
    return contract


def _add_files(delivery: Delivery, files: list[CleanFile]) -> None:
    for clean in files:
        DeliveryAttachment.objects.create(
            delivery=delivery,
            file=clean.content,
            original_name=clean.original_name,
            kind=clean.kind,
            size=clean.content.size,
            preview=clean.preview or "",
        )


@transaction.atomic
def deliver(*, freelancer: User, contract: Contract, message: str, files: list[CleanFile] = ()) -> Delivery:
    contract = _locked(contract)
    message = strip_bidi_controls(message).strip()
    if len(message) < 10:
        raise DomainError(_("Describe what you are delivering (at least 10 characters)."), field="message")
    if len(files) > settings.DELIVERY_MAX_ATTACHMENTS:
        raise DomainError(
            _("At most %(count)s files.") % {"count": settings.DELIVERY_MAX_ATTACHMENTS}, field="files"
        )
    _move(contract, "deliver", freelancer)
    contract.delivered_at = timezone.now()
    contract.save(update_fields=["delivered_at"])
    delivery = Delivery.objects.create(contract=contract, message=message)
    _add_files(delivery, list(files))
    reputation.record_delivery(contract)
    _notify(contract, contract.client, "delivered")
    return delivery


def _complete(contract: Contract, actor: User | None, action: str) -> Contract:
    from mostaql.wallet import services as wallet

    _move(contract, action, actor)
    wallet.release_escrow(contract=contract, actor=actor)
    contract.completed_at = timezone.now()
    contract.save(update_fields=["completed_at"])
    # A proposal to cancel that nobody answered can no longer be answered: it lapses with the contract.
    contract.cancellations.filter(status=CancellationRequest.Status.PROPOSED).update(
        status=CancellationRequest.Status.REFUSED, answered_at=contract.completed_at
    )
    reputation.record_contract_end(contract)
    _project_moves(contract, "complete")
    _notify(contract, contract.freelancer, "payment_released")
    if actor is None:  # the sweep accepted for the client: their escrow moved without them
        _notify(contract, contract.client, "auto_accepted", auto_accept_days=settings.AUTO_ACCEPT_DAYS)
    return contract


@transaction.atomic
def accept_delivery(*, client: User, contract: Contract) -> Contract:
    """The client accepts: escrow is released to the freelancer less commission, and it is done."""
    return _complete(_locked(contract), client, "accept")


@transaction.atomic
def request_changes(*, client: User, contract: Contract, message: str) -> Contract:
    contract = _locked(contract)
    message = strip_bidi_controls(message).strip()
    if len(message) < 10:
        raise DomainError(_("Say what should change (at least 10 characters)."), field="message")
    _move(contract, "request_changes", client, message)
    contract.delivered_at = None
    contract.save(update_fields=["delivered_at"])
    _notify(contract, contract.freelancer, "changes_requested", message=message)
    return contract


def auto_accept_overdue(*, now=None) -> int:
    """The sweep: deliveries left unanswered for AUTO_ACCEPT_DAYS are accepted. Safe to run twice."""
    deadline = (now or timezone.now()) - datetime.timedelta(days=settings.AUTO_ACCEPT_DAYS)
    done = 0
    for contract_id in Contract.objects.filter(
        status=Contract.Status.DELIVERED, delivered_at__lte=deadline
    ).values_list("pk", flat=True):
        with transaction.atomic():
            contract = Contract.objects.select_for_update().get(pk=contract_id)
            if contract.status != Contract.Status.DELIVERED or contract.delivered_at > deadline:
                continue
            _complete(contract, None, "auto_accept")
            done += 1
    return done


def _other_side(contract: Contract, user: User) -> User:
    return contract.freelancer if user.pk == contract.client_id else contract.client


@transaction.atomic
def propose_cancellation(*, user: User, contract: Contract, reason: str) -> CancellationRequest:
    contract = _locked(contract)
    reason = strip_bidi_controls(reason).strip()
    if len(reason) < 10:
        raise DomainError(_("Give the reason (at least 10 characters)."), field="reason")
    states.next_status(contract, "propose_cancel", user)
    if contract.cancellations.filter(status=CancellationRequest.Status.PROPOSED).exists():
        raise DomainError(_("A cancellation is already waiting for an answer."))
    proposal = CancellationRequest.objects.create(contract=contract, requested_by=user, reason=reason)
    _move(contract, "propose_cancel", user, reason)
    _notify(contract, _other_side(contract, user), "cancellation_proposed", proposal=proposal)
    return proposal


@transaction.atomic
def answer_cancellation(*, user: User, contract: Contract, accept: bool) -> CancellationRequest:
    """The other side answers. Accepted: escrow back to the client, contract and project cancelled."""
    from mostaql.wallet import services as wallet

    contract = _locked(contract)
    proposal = contract.cancellations.filter(status=CancellationRequest.Status.PROPOSED).first()
    if proposal is None:
        raise DomainError(_("There is no cancellation waiting for an answer."))
    if proposal.requested_by_id == user.pk:
        raise DomainError(_("The other side must answer your proposal."))
    states.next_status(contract, "cancel" if accept else "refuse_cancel", user)  # validate first, then write
    proposal.status = CancellationRequest.Status.ACCEPTED if accept else CancellationRequest.Status.REFUSED
    proposal.answered_at = timezone.now()
    proposal.save(update_fields=["status", "answered_at"])
    if accept:
        _move(contract, "cancel", user, proposal.reason)
        wallet.refund_escrow(contract=contract, actor=user)
        reputation.record_contract_end(contract)
        _project_moves(contract, "cancel")
    else:
        _move(contract, "refuse_cancel", user)
    _notify(contract, proposal.requested_by, "cancellation_answered", proposal=proposal)
    return proposal


@transaction.atomic
def open_dispute(*, user: User, contract: Contract, reason: str) -> Dispute:
    contract = _locked(contract)
    reason = strip_bidi_controls(reason).strip()
    if len(reason) < 20:
        raise DomainError(
            _("Explain the problem to the moderators (at least 20 characters)."), field="reason"
        )
    _move(contract, "open_dispute", user, reason)
    contract.cancellations.filter(status=CancellationRequest.Status.PROPOSED).update(
        status=CancellationRequest.Status.REFUSED, answered_at=timezone.now()
    )
    dispute = Dispute.objects.create(contract=contract, opened_by=user, reason=reason)
    _notify(contract, _other_side(contract, user), "dispute_opened", dispute=dispute)
    return dispute


@transaction.atomic
def resolve_dispute(
    *, moderator: User, contract: Contract, freelancer_share_cents: int, decision: str
) -> Dispute:
    """A moderator decides the freelancer's share of the escrow; commission only on that share."""
    from mostaql.wallet import services as wallet

    if not moderator.is_staff:
        raise DomainError(_("Only moderators decide disputes."))
    contract = _locked(contract)
    decision = strip_bidi_controls(decision).strip()
    if len(decision) < 10:
        raise DomainError(_("Explain the decision to both sides (at least 10 characters)."), field="decision")
    action = "resolve_dispute" if freelancer_share_cents > 0 else "refund_dispute"
    _move(contract, action, moderator, decision)
    wallet.split_escrow(contract=contract, freelancer_share_cents=freelancer_share_cents, actor=moderator)
    dispute = Dispute.objects.select_for_update().get(contract=contract)
    dispute.status, dispute.freelancer_share_cents, dispute.decision = (
        Dispute.Status.DECIDED,
        freelancer_share_cents,
        decision,
    )
    dispute.decided_by, dispute.decided_at = moderator, timezone.now()
    dispute.save()
    contract.completed_at = timezone.now()
    contract.save(update_fields=["completed_at"])
    reputation.record_contract_end(contract)
    _project_moves(contract, "complete" if freelancer_share_cents > 0 else "cancel")
    for party in (contract.client, contract.freelancer):
        _notify(contract, party, "dispute_decided", dispute=dispute)
    return dispute

"""Every change to a contract: hire, fund, deliver, accept, change, cancel, dispute. Money moves through
mostaql.wallet.services, inside the same transaction as the state change; the project follows through
projects.services (which records its events); messaging and reviews follow through `hooks`.

Row locks, in the one order of docs/architecture.md ("Locks"): the contract, then the ledger accounts
(ascending id, in wallet.ledger.post_transfer), then the project.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mostaql.accounts.models import User
from mostaql.contracts import hooks, states
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
from mostaql.projects import services as project_services
from mostaql.projects.models import Offer, Project
from mostaql.wallet import services as wallet
from mostaql.wallet.ledger import InsufficientFunds
from mostaql.wallet.models import Deposit


def _move(
    contract: Contract, action: str, actor: User | None, note: str = "", *, side: str | None = None
) -> Contract:
    target = states.next_status(contract, action, actor, side=side)
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


@transaction.atomic
def hire(*, owner: User, project: Project, offer: Offer) -> Contract:
    """The owner hires one offer: a contract on the offer's terms waits for funding, the project takes
    no more offers (projects.services.mark_hired), and the two sides' conversation opens (the `hired`
    hook). Locks the project, then the offer."""
    offer = project_services.mark_hired(owner=owner, project=project, offer=offer)
    contract = Contract.objects.create(
        project=offer.project,
        offer=offer,
        client=owner,
        freelancer=offer.freelancer,
        amount_cents=offer.amount_cents,
        duration_days=offer.duration_days,
    )
    ContractEvent.objects.create(contract=contract, actor=owner, action="hire", to_status=contract.status)
    hooks.hired(contract)
    notify(
        user=offer.freelancer,
        kind="hired",
        context={"project": offer.project, "offer": offer, "contract": contract},
        url=contract.get_absolute_url(),
    )
    return contract


def _locked(contract: Contract) -> Contract:
    """The contract's row, locked first (docs/architecture.md, "Locks"); its project and offer joined
    but not locked."""
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("project", "offer")
        .get(pk=contract.pk)
    )


def _end_hire(*, contract: Contract, actor: User, action: str, reason: str, notify_user: User) -> Contract:
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
    """The hired freelancer says no before the money is in escrow; the project opens again. Locks the
    contract, then the project."""
    if contract.freelancer_id != freelancer.pk:
        raise DomainError(_("Only the hired freelancer can decline this hire."))
    return _end_hire(
        contract=contract, actor=freelancer, action="decline", reason=reason, notify_user=contract.client
    )


@transaction.atomic
def withdraw_hire(*, client: User, contract: Contract, reason: str = "") -> Contract:
    """The client changes their mind before funding; the project opens again for offers. Locks the
    contract, then the project."""
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

    def __init__(self, message: str, *, shortfall_cents: int):
        super().__init__(message)
        self.shortfall_cents = shortfall_cents


def _project_moves(contract: Contract, action: str, actor: User | None, note: str = "") -> None:
    project_services.move_project(project=contract.project, action=action, actor=actor, note=note)


def _notify(contract: Contract, user: User, kind: str, **context: object) -> None:
    notify(user=user, kind=kind, context={"contract": contract, **context}, url=contract.get_absolute_url())


@transaction.atomic
def fund_contract(*, client: User, contract: Contract, now: datetime.datetime | None = None) -> Contract:
    """available → escrow; the contract becomes active and the project in progress (its other offers
    not hired). Locks the contract, the client's available and the escrow accounts, then the project."""
    contract = _locked(contract)
    states.next_status(contract, "fund", client)  # validate first, then move the money
    try:
        wallet.fund_escrow(contract=contract, client=client, now=now)
    except InsufficientFunds:
        shortfall = contract.amount_cents - wallet.balances(client)["available"]
        raise NeedsFunds(
            _("Your balance is not enough to fund this contract."), shortfall_cents=shortfall
        ) from None
    _move(contract, "fund", client)
    contract.funded_at = now or timezone.now()
    contract.save(update_fields=["funded_at"])
    _project_moves(contract, "start", client)
    _notify(contract, contract.freelancer, "contract_funded")
    return contract


def fund_what_the_deposit_was_for(deposit: Deposit, *, now: datetime.datetime | None = None) -> bool:
    """A paid deposit started to fund a contract funds it, if that contract still waits for funding and
    the balance now covers it. Returns whether it funded. Registered on `wallet.hooks.deposit_confirmed`.

    Runs inside the webhook's transaction, so a replayed event (refused on its id) funds nothing
    twice; a contract funded meanwhile, declined or withdrawn, or still short of money, is left as it
    is: the money stays in the balance and the contract page says what remains to do.
    Locks what fund_contract locks.
    """
    if deposit.contract_id is None or deposit.status != Deposit.Status.SUCCEEDED:
        return False
    contract = Contract.objects.get(pk=deposit.contract_id)
    if contract.status != Contract.Status.AWAITING_FUNDING or contract.client_id != deposit.user_id:
        return False
    try:
        with transaction.atomic():  # a savepoint: a refusal leaves the deposit credited
            fund_contract(client=deposit.user, contract=contract, now=now)
    except DomainError:
        return False
    return True


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
def deliver(
    *,
    freelancer: User,
    contract: Contract,
    message: str,
    files: list[CleanFile] = (),
    now: datetime.datetime | None = None,
) -> Delivery:
    """The freelancer hands in the work, with a message and files; the client is asked to answer.
    Locks the contract."""
    contract = _locked(contract)
    message = strip_bidi_controls(message).strip()
    if len(message) < 10:
        raise DomainError(_("Describe what you are delivering (at least 10 characters)."), field="message")
    if len(files) > settings.DELIVERY_MAX_ATTACHMENTS:
        raise DomainError(
            _("At most %(count)s files.") % {"count": settings.DELIVERY_MAX_ATTACHMENTS}, field="files"
        )
    _move(contract, "deliver", freelancer)
    contract.delivered_at = now or timezone.now()
    contract.save(update_fields=["delivered_at"])
    delivery = Delivery.objects.create(contract=contract, message=message, created_at=contract.delivered_at)
    _add_files(delivery, list(files))
    hooks.delivered(contract)
    _notify(contract, contract.client, "delivered")
    return delivery


def _complete(
    contract: Contract, actor: User | None, action: str, now: datetime.datetime | None = None
) -> Contract:
    _move(contract, action, actor)
    wallet.release_escrow(contract=contract, actor=actor, now=now)
    contract.completed_at = now or timezone.now()
    contract.save(update_fields=["completed_at"])
    # A proposal to cancel that nobody answered can no longer be answered: it lapses with the contract.
    contract.cancellations.filter(status=CancellationRequest.Status.PROPOSED).update(
        status=CancellationRequest.Status.REFUSED, answered_at=contract.completed_at
    )
    hooks.ended(contract)
    _project_moves(contract, "complete", actor)
    _notify(contract, contract.freelancer, "payment_released")
    if actor is None:  # the sweep accepted for the client: their escrow moved without them
        _notify(contract, contract.client, "auto_accepted", auto_accept_days=settings.AUTO_ACCEPT_DAYS)
    return contract


@transaction.atomic
def accept_delivery(*, client: User, contract: Contract, now: datetime.datetime | None = None) -> Contract:
    """The client accepts: escrow is released to the freelancer less commission, and it is done.
    Locks the contract, the escrow and the payees' accounts, then the project."""
    return _complete(_locked(contract), client, "accept", now=now)


@transaction.atomic
def request_changes(*, client: User, contract: Contract, message: str) -> Contract:
    """The client sends the delivery back with what should change. Locks the contract."""
    contract = _locked(contract)
    message = strip_bidi_controls(message).strip()
    if len(message) < 10:
        raise DomainError(_("Say what should change (at least 10 characters)."), field="message")
    _move(contract, "request_changes", client, message)
    contract.delivered_at = None
    contract.save(update_fields=["delivered_at"])
    _notify(contract, contract.freelancer, "changes_requested", message=message)
    return contract


def auto_accept_overdue(*, now: datetime.datetime | None = None) -> int:
    """The sweep: deliveries left unanswered for AUTO_ACCEPT_DAYS are accepted. Safe to run twice.
    Each contract in its own transaction, locked as `accept_delivery` locks it."""
    deadline = (now or timezone.now()) - datetime.timedelta(days=settings.AUTO_ACCEPT_DAYS)
    done = 0
    for contract_id in Contract.objects.filter(
        status=Contract.Status.DELIVERED, delivered_at__lte=deadline
    ).values_list("pk", flat=True):
        with transaction.atomic():
            contract = _locked(Contract(pk=contract_id))
            if contract.status != Contract.Status.DELIVERED or contract.delivered_at > deadline:
                continue
            _complete(contract, None, "auto_accept")
            done += 1
    return done


def _other_side(contract: Contract, user: User) -> User:
    return contract.freelancer if user.pk == contract.client_id else contract.client


@transaction.atomic
def propose_cancellation(*, user: User, contract: Contract, reason: str) -> CancellationRequest:
    """One side proposes to end the contract; the other side answers. Locks the contract."""
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
def answer_cancellation(
    *, user: User, contract: Contract, accept: bool, now: datetime.datetime | None = None
) -> CancellationRequest:
    """The other side answers. Accepted: escrow back to the client, contract and project cancelled.
    Locks the contract, the escrow and the client's account, then the project."""
    contract = _locked(contract)
    proposal = contract.cancellations.filter(status=CancellationRequest.Status.PROPOSED).first()
    if proposal is None:
        raise DomainError(_("There is no cancellation waiting for an answer."))
    if proposal.requested_by_id == user.pk:
        raise DomainError(_("The other side must answer your proposal."))
    states.next_status(contract, "cancel" if accept else "refuse_cancel", user)  # validate first, then write
    proposal.status = CancellationRequest.Status.ACCEPTED if accept else CancellationRequest.Status.REFUSED
    proposal.answered_at = now or timezone.now()
    proposal.save(update_fields=["status", "answered_at"])
    if accept:
        _move(contract, "cancel", user, proposal.reason)
        wallet.refund_escrow(contract=contract, actor=user, now=now)
        hooks.ended(contract)
        _project_moves(contract, "cancel", user, proposal.reason)
    else:
        _move(contract, "refuse_cancel", user)
    _notify(contract, proposal.requested_by, "cancellation_answered", proposal=proposal)
    return proposal


def _open_dispute(
    contract: Contract,
    opened_by: User,
    reason: str,
    *,
    side: str | None,
    told: list[User],
    now: datetime.datetime | None = None,
) -> Dispute:
    _move(contract, "open_dispute", opened_by, reason, side=side)
    contract.cancellations.filter(status=CancellationRequest.Status.PROPOSED).update(
        status=CancellationRequest.Status.REFUSED, answered_at=now or timezone.now()
    )
    dispute = Dispute.objects.create(contract=contract, opened_by=opened_by, reason=reason)
    for person in told:
        _notify(contract, person, "dispute_opened", dispute=dispute)
    return dispute


@transaction.atomic
def open_dispute(
    *, user: User, contract: Contract, reason: str, now: datetime.datetime | None = None
) -> Dispute:
    """A side asks the moderators to decide; a waiting proposal to cancel lapses. Locks the contract."""
    contract = _locked(contract)
    reason = strip_bidi_controls(reason).strip()
    if len(reason) < 20:
        raise DomainError(
            _("Explain the problem to the moderators (at least 20 characters)."), field="reason"
        )
    return _open_dispute(contract, user, reason, side=None, told=[_other_side(contract, user)], now=now)


@transaction.atomic
def open_dispute_for_platform(*, moderator: User, contract: Contract, reason: str) -> Dispute:
    """Moderation sends a running contract to the dispute queue on the platform's own account (the
    PLATFORM side of the state table), as when one of its sides is suspended: the dispute is opened by
    the moderator, and the sides whose accounts are active are told. Locks the contract."""
    if not moderator.is_staff:
        raise DomainError(_("Only moderators decide disputes."))
    contract = _locked(contract)
    told = [person for person in (contract.client, contract.freelancer) if person.is_active]
    return _open_dispute(contract, moderator, reason, side=states.PLATFORM, told=told)


@transaction.atomic
def resolve_dispute(
    *,
    moderator: User,
    contract: Contract,
    freelancer_share_cents: int,
    decision: str,
    now: datetime.datetime | None = None,
) -> Dispute:
    """A moderator decides the freelancer's share of the escrow; commission only on that share.
    Locks the contract, the escrow and the payees' accounts, then the dispute and the project."""
    if not moderator.is_staff:
        raise DomainError(_("Only moderators decide disputes."))
    contract = _locked(contract)
    decision = strip_bidi_controls(decision).strip()
    if len(decision) < 10:
        raise DomainError(_("Explain the decision to both sides (at least 10 characters)."), field="decision")
    action = "resolve_dispute" if freelancer_share_cents > 0 else "refund_dispute"
    _move(contract, action, moderator, decision)
    wallet.split_escrow(
        contract=contract, freelancer_share_cents=freelancer_share_cents, actor=moderator, now=now
    )
    dispute = Dispute.objects.select_for_update(of=("self",)).get(contract=contract)
    dispute.status, dispute.freelancer_share_cents, dispute.decision = (
        Dispute.Status.DECIDED,
        freelancer_share_cents,
        decision,
    )
    now = now or timezone.now()
    dispute.decided_by, dispute.decided_at = moderator, now
    dispute.save()
    contract.completed_at = now
    contract.save(update_fields=["completed_at"])
    hooks.ended(contract)
    _project_moves(contract, "complete" if freelancer_share_cents > 0 else "cancel", moderator, decision)
    for party in (contract.client, contract.freelancer):
        _notify(contract, party, "dispute_decided", dispute=dispute)
    return dispute

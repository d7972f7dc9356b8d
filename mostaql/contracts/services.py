"""Every change to an agreement, whichever market it came from: hire, order, fund, requirements,
deliver, accept, change, cancel, dispute. Money moves per milestone through mostaql.wallet.services,
inside the same transaction as the state change; a hire's project follows through projects.services
(which records its events); messaging and reviews follow through `hooks`.

Row locks, in the one order of docs/architecture.md ("Locks"): the contract, then the ledger accounts
(ascending id, in wallet.ledger.post_transfer), then the project.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mostaql.accounts.models import User
from mostaql.contracts import hooks, states
from mostaql.contracts.models import (
    Bonus,
    CancellationRequest,
    Contract,
    ContractEvent,
    Delivery,
    DeliveryAttachment,
    Dispute,
    Extension,
    Milestone,
    MilestoneChange,
    Requirements,
    RequirementsAttachment,
)
from mostaql.core.exceptions import DomainError
from mostaql.core.milestones import MilestoneTerms, check_milestone_terms, check_one_milestone
from mostaql.core.money import format_money
from mostaql.core.text import strip_bidi_controls
from mostaql.core.uploads import CleanFile
from mostaql.notifications.services import notify
from mostaql.projects import services as project_services
from mostaql.projects.models import Offer, Project
from mostaql.wallet import services as wallet
from mostaql.wallet.ledger import InsufficientFunds
from mostaql.wallet.models import Deposit


def _move(
    contract: Contract,
    action: str,
    actor: User | None,
    note: str = "",
    *,
    side: str | None = None,
    milestone: Milestone | None = None,
) -> Contract:
    target = states.next_status(contract, action, actor, side=side)
    ContractEvent.objects.create(
        contract=contract,
        actor=actor,
        action=action,
        from_status=contract.status,
        to_status=target,
        note=note,
        milestone=milestone,
    )
    contract.status = target
    contract.save(update_fields=["status", "updated_at"])
    return contract


def _add_milestones(contract: Contract, terms: list[MilestoneTerms]) -> list[Milestone]:
    return Milestone.objects.bulk_create(
        Milestone(
            contract=contract,
            position=position,
            title=term.title[: Milestone._meta.get_field("title").max_length],
            amount_cents=term.amount_cents,
            days=term.days,
        )
        for position, term in enumerate(terms, start=1)
    )


@transaction.atomic
def hire(
    *, owner: User, project: Project, offer: Offer, milestones: list[MilestoneTerms] | None = None
) -> Contract:
    """The owner hires one offer: a contract on the offer's terms waits for funding, the project takes
    no more offers (projects.services.mark_hired), and the two sides' conversation opens (the `hired`
    hook). `milestones` splits the offer's amount into stages (they must sum to it); without them the
    contract is one payment. Locks the project, then the offer."""
    terms = milestones
    if terms is None:  # the plan the offer proposed, accepted as it is; else one payment
        terms = [MilestoneTerms(m.title, m.amount_cents, m.days) for m in offer.milestones.all()] or [
            MilestoneTerms(project.title, offer.amount_cents, offer.duration_days)
        ]
    check_milestone_terms(terms, total_cents=offer.amount_cents)
    offer = project_services.mark_hired(owner=owner, project=project, offer=offer)
    contract = Contract.objects.create(
        project=offer.project,
        offer=offer,
        client=owner,
        freelancer=offer.freelancer,
        title=offer.project.title,
        amount_cents=offer.amount_cents,
        duration_days=sum(term.days for term in terms),
    )
    _add_milestones(contract, terms)
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
    contract.milestones.update(status=Milestone.Status.CANCELLED)
    if contract.project is not None:
        project_services.reopen_after_failed_hire(
            project=contract.project, offer=contract.offer, actor=actor, reason=reason
        )
    back_to_project = action == "decline" and contract.project is not None
    notify(
        user=notify_user,
        kind="hire_declined" if action == "decline" else "hire_withdrawn",
        context={"contract": contract, "reason": reason},
        url=contract.project.get_absolute_url() if back_to_project else contract.get_absolute_url(),
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
    """The client's available balance is short of what is to be paid by `shortfall_cents`."""

    def __init__(self, message: str, *, shortfall_cents: int):
        super().__init__(message)
        self.shortfall_cents = shortfall_cents


def _project_moves(contract: Contract, action: str, actor: User | None, note: str = "") -> None:
    """A hire's project follows its contract; an order or a direct rehire has none."""
    if contract.project_id is not None:
        project_services.move_project(project=contract.project, action=action, actor=actor, note=note)


def _in_play(contract: Contract) -> Milestone | None:
    """The milestone whose money is in escrow now (funded or delivered), if any."""
    milestone = contract.current_milestone
    return milestone if milestone and milestone.status != Milestone.Status.PENDING else None


def _settle(milestone: Milestone, status: str, now: datetime.datetime) -> None:
    milestone.status = status
    if status == Milestone.Status.PAID:
        milestone.paid_at = now
    milestone.save(update_fields=["status", "paid_at"])


def _refund_in_play(contract: Contract, actor: User | None, now: datetime.datetime) -> None:
    """Whatever is in escrow goes back to the client; the milestones not funded yet are cancelled."""
    milestone = _in_play(contract)
    if milestone is not None:
        wallet.refund_escrow(contract=contract, milestone=milestone, actor=actor, now=now)
        _settle(milestone, Milestone.Status.REFUNDED, now)
    contract.milestones.filter(status=Milestone.Status.PENDING).update(status=Milestone.Status.CANCELLED)


def _notify(contract: Contract, user: User, kind: str, **context: object) -> None:
    notify(user=user, kind=kind, context={"contract": contract, **context}, url=contract.get_absolute_url())


def _fund(contract: Contract, milestone: Milestone, client: User, now: datetime.datetime) -> None:
    """available → escrow for one milestone, or NeedsFunds (nothing moved) when the balance is short."""
    try:
        wallet.fund_escrow(contract=contract, milestone=milestone, client=client, now=now)
    except InsufficientFunds:
        shortfall = milestone.amount_cents - wallet.balances(client)["available"]
        raise NeedsFunds(
            _("Your balance is not enough to fund this contract."), shortfall_cents=shortfall
        ) from None
    milestone.status, milestone.funded_at = Milestone.Status.FUNDED, now
    milestone.save(update_fields=["status", "funded_at"])


@transaction.atomic
def fund_contract(*, client: User, contract: Contract, now: datetime.datetime | None = None) -> Contract:
    """available → escrow for the next milestone; its clock starts. The first funding makes the
    contract active and the project in progress (its other offers not hired).
    Locks the contract, the client's available and the escrow accounts, then the project."""
    contract = _locked(contract)
    states.next_status(contract, "fund", client)  # validate first, then move the money
    now = now or timezone.now()
    milestone = contract.current_milestone
    _fund(contract, milestone, client, now)
    milestone.started_at = now
    milestone.save(update_fields=["started_at"])
    _move(contract, "fund", client, milestone=milestone)
    if contract.funded_at is None:
        contract.funded_at = now
        contract.save(update_fields=["funded_at"])
        _project_moves(contract, "start", client)
    _notify(contract, contract.freelancer, "contract_funded", milestone=milestone)
    return contract


# --- Service orders: paid when placed, started by the buyer's requirements -----------------------


@transaction.atomic
def start_order(
    *,
    buyer: User,
    seller: User,
    title: str,
    amount_cents: int,
    days: int,
    now: datetime.datetime | None = None,
) -> Contract:
    """A service order: a contract of one milestone, paid in full from the buyer's balance into escrow
    in one transfer, waiting for the buyer's requirements. NeedsFunds (nothing written) when short.
    The market above (gigs) has checked the service, its price and its upgrades.
    Locks the buyer's available and the escrow accounts (post_transfer)."""
    if buyer.pk == seller.pk:
        raise DomainError(_("You cannot order your own service."))
    if amount_cents <= 0 or days <= 0:
        raise DomainError(_("An order needs an amount and a delivery time."))
    now = now or timezone.now()
    contract = Contract.objects.create(
        origin=Contract.Origin.ORDER,
        client=buyer,
        freelancer=seller,
        title=title,
        amount_cents=amount_cents,
        duration_days=days,
        status=Contract.Status.AWAITING_REQUIREMENTS,
        funded_at=now,
    )
    [milestone] = _add_milestones(contract, [MilestoneTerms(title, amount_cents, days)])
    _fund(contract, milestone, buyer, now)
    ContractEvent.objects.create(
        contract=contract, actor=buyer, action="order", to_status=contract.status, milestone=milestone
    )
    hooks.hired(contract)
    _notify(contract, seller, "order_placed")
    return contract


@transaction.atomic
def submit_requirements(
    *,
    client: User,
    contract: Contract,
    text: str,
    files: list[CleanFile] = (),
    now: datetime.datetime | None = None,
) -> Requirements:
    """The buyer answers the seller's instructions (text and files): the delivery clock starts now.
    Locks the contract."""
    contract = _locked(contract)
    text = strip_bidi_controls(text).strip()
    if len(text) < 10:
        raise DomainError(
            _("Tell the seller what they need to start (at least 10 characters)."), field="text"
        )
    if len(files) > settings.DELIVERY_MAX_ATTACHMENTS:
        raise DomainError(
            _("At most %(count)s files.") % {"count": settings.DELIVERY_MAX_ATTACHMENTS}, field="files"
        )
    milestone = contract.current_milestone
    _move(contract, "submit_requirements", client, milestone=milestone)
    now = now or timezone.now()
    requirements = Requirements.objects.create(contract=contract, text=text, created_at=now)
    _add_files(RequirementsAttachment, {"requirements": requirements}, list(files))
    milestone.started_at = now
    milestone.save(update_fields=["started_at"])
    _notify(contract, contract.freelancer, "requirements_submitted")
    return requirements


@transaction.atomic
def decline_order(
    *, freelancer: User, contract: Contract, reason: str, now: datetime.datetime | None = None
) -> Contract:
    """The seller cannot take the order: the buyer is refunded at once. Locks the contract, then the
    escrow and the buyer's account."""
    contract = _locked(contract)
    reason = strip_bidi_controls(reason).strip()
    if len(reason) < 10:
        raise DomainError(_("Give the reason (at least 10 characters)."), field="reason")
    _move(contract, "decline_order", freelancer, reason, milestone=_in_play(contract))
    _refund_in_play(contract, freelancer, now or timezone.now())
    _notify(contract, contract.client, "order_declined", reason=reason)
    return contract


@transaction.atomic
def cancel_late_order(*, client: User, contract: Contract, now: datetime.datetime | None = None) -> Contract:
    """The deadline passed with no delivery: the buyer cancels and is refunded at once. Locks the
    contract, then the escrow and the buyer's account."""
    contract = _locked(contract)
    now = now or timezone.now()
    states.next_status(contract, "cancel_late", client)
    if not states.is_late(contract, now):
        raise DomainError(_("The order is not late: you can cancel it once the deadline has passed."))
    _move(contract, "cancel_late", client, milestone=_in_play(contract))
    _refund_in_play(contract, client, now)
    contract.completed_at = now
    contract.save(update_fields=["completed_at"])
    hooks.ended(contract)
    _notify(contract, contract.freelancer, "order_cancelled_late")
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
    waiting = (Contract.Status.AWAITING_FUNDING, Contract.Status.AWAITING_MILESTONE)
    if contract.status not in waiting or contract.client_id != deposit.user_id:
        return False
    try:
        with transaction.atomic():  # a savepoint: a refusal leaves the deposit credited
            fund_contract(client=deposit.user, contract=contract, now=now)
    except DomainError:
        return False
    return True


def _add_files(model: type, owner: dict, files: list[CleanFile]) -> None:
    for clean in files:
        model.objects.create(
            **owner,
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
    milestone = contract.current_milestone
    _move(contract, "deliver", freelancer, milestone=milestone)
    contract.delivered_at = now or timezone.now()
    contract.save(update_fields=["delivered_at"])
    milestone.status, milestone.delivered_at = Milestone.Status.DELIVERED, contract.delivered_at
    milestone.save(update_fields=["status", "delivered_at"])
    delivery = Delivery.objects.create(
        contract=contract, milestone=milestone, message=message, created_at=contract.delivered_at
    )
    _add_files(DeliveryAttachment, {"delivery": delivery}, list(files))
    hooks.delivered(contract)
    _notify(contract, contract.client, "delivered")
    return delivery


def _accept(contract: Contract, actor: User | None, now: datetime.datetime | None = None) -> Contract:
    """The milestone in play is accepted (by the client, or by the sweep when `actor` is None) and paid
    less commission; the last one completes the contract."""
    now = now or timezone.now()
    milestone = contract.current_milestone
    is_last = states.is_last_milestone_in_play(contract)
    action = (
        ("accept" if is_last else "accept_milestone")
        if actor
        else ("auto_accept" if is_last else "auto_accept_milestone")
    )
    _move(contract, action, actor, milestone=milestone)
    wallet.release_escrow(contract=contract, milestone=milestone, actor=actor, now=now)
    _settle(milestone, Milestone.Status.PAID, now)
    if not is_last:
        _notify(contract, contract.freelancer, "milestone_paid", milestone=milestone)
        if actor is None:
            _notify(contract, contract.client, "auto_accepted", auto_accept_days=contract.auto_accept_days)
        return contract
    contract.completed_at = now
    contract.save(update_fields=["completed_at"])
    # A proposal to cancel that nobody answered can no longer be answered: it lapses with the contract.
    contract.cancellations.filter(status=CancellationRequest.Status.PROPOSED).update(
        status=CancellationRequest.Status.REFUSED, answered_at=contract.completed_at
    )
    hooks.ended(contract)
    _project_moves(contract, "complete", actor)
    _notify(contract, contract.freelancer, "payment_released")
    if actor is None:  # the sweep accepted for the client: their escrow moved without them
        _notify(contract, contract.client, "auto_accepted", auto_accept_days=contract.auto_accept_days)
    return contract


@transaction.atomic
def accept_delivery(*, client: User, contract: Contract, now: datetime.datetime | None = None) -> Contract:
    """The client accepts the delivered milestone: its escrow is released to the freelancer less
    commission; after the last one the contract is done.
    Locks the contract, the escrow and the payees' accounts, then the project."""
    return _accept(_locked(contract), client, now=now)


@transaction.atomic
def request_changes(*, client: User, contract: Contract, message: str) -> Contract:
    """The client sends the delivery back with what should change. Locks the contract."""
    contract = _locked(contract)
    message = strip_bidi_controls(message).strip()
    if len(message) < 10:
        raise DomainError(_("Say what should change (at least 10 characters)."), field="message")
    milestone = contract.current_milestone
    _move(contract, "request_changes", client, message, milestone=milestone)
    contract.delivered_at = None
    contract.save(update_fields=["delivered_at"])
    milestone.status, milestone.delivered_at = Milestone.Status.FUNDED, None
    milestone.save(update_fields=["status", "delivered_at"])
    _notify(contract, contract.freelancer, "changes_requested", message=message)
    return contract


def auto_accept_overdue(*, now: datetime.datetime | None = None) -> int:
    """The sweep: deliveries left unanswered for AUTO_ACCEPT_DAYS (ORDER_AUTO_COMPLETE_DAYS for an
    order) are accepted. Safe to run twice. Each contract in its own transaction, locked as
    `accept_delivery` locks it."""
    now = now or timezone.now()
    overdue = Q(
        origin=Contract.Origin.ORDER,
        delivered_at__lte=now - datetime.timedelta(days=settings.ORDER_AUTO_COMPLETE_DAYS),
    ) | (
        ~Q(origin=Contract.Origin.ORDER)
        & Q(delivered_at__lte=now - datetime.timedelta(days=settings.AUTO_ACCEPT_DAYS))
    )
    done = 0
    for contract_id in Contract.objects.filter(overdue, status=Contract.Status.DELIVERED).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            contract = _locked(Contract(pk=contract_id))
            if contract.status != Contract.Status.DELIVERED or contract.auto_accept_at > now:
                continue
            _accept(contract, None)  # paid at the real time of the sweep, like a click would be
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
        _move(contract, "cancel", user, proposal.reason, milestone=_in_play(contract))
        _refund_in_play(contract, user, proposal.answered_at)
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
    _move(contract, "open_dispute", opened_by, reason, side=side, milestone=_in_play(contract))
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
def end_for_platform(*, moderator: User, contract: Contract, reason: str) -> Contract:
    """Moderation ends a contract that waits between two milestones (nothing in escrow: what was paid
    stays paid, the milestones not funded are cancelled), as when one of its sides is suspended.
    Locks the contract, then the project."""
    if not moderator.is_staff:
        raise DomainError(_("Only moderators decide disputes."))
    contract = _locked(contract)
    _move(contract, "end", moderator, reason, side=states.PLATFORM)
    contract.milestones.filter(status=Milestone.Status.PENDING).update(status=Milestone.Status.CANCELLED)
    contract.completed_at = timezone.now()
    contract.save(update_fields=["completed_at"])
    hooks.ended(contract)
    _project_moves(contract, "cancel", moderator, reason)
    for party in (contract.client, contract.freelancer):
        if party.is_active:
            _notify(contract, party, "contract_ended", reason=reason)
    return contract


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
    milestone = _in_play(contract)
    _move(contract, action, moderator, decision, milestone=milestone)
    now = now or timezone.now()
    wallet.split_escrow(
        contract=contract,
        milestone=milestone,
        freelancer_share_cents=freelancer_share_cents,
        actor=moderator,
        now=now,
    )
    _settle(milestone, Milestone.Status.PAID if freelancer_share_cents else Milestone.Status.REFUNDED, now)
    contract.milestones.filter(status=Milestone.Status.PENDING).update(status=Milestone.Status.CANCELLED)
    dispute = Dispute.objects.select_for_update(of=("self",)).get(contract=contract)
    dispute.status, dispute.freelancer_share_cents, dispute.decision = (
        Dispute.Status.DECIDED,
        freelancer_share_cents,
        decision,
    )
    dispute.decided_by, dispute.decided_at = moderator, now
    dispute.save()
    contract.completed_at = now
    contract.save(update_fields=["completed_at"])
    hooks.ended(contract)
    _project_moves(contract, "complete" if freelancer_share_cents > 0 else "cancel", moderator, decision)
    for party in (contract.client, contract.freelancer):
        _notify(contract, party, "dispute_decided", dispute=dispute)
    return dispute


# --- Issue 13: direct rehires, milestone changes, extensions, bonuses -----------------------------


def _event(contract: Contract, action: str, actor: User, note: str = "", milestone: Milestone | None = None):
    """An amendment keeps the contract's state: the move is checked, then recorded on the timeline."""
    _move(contract, action, actor, note, milestone=milestone)


@transaction.atomic
def offer_rehire(
    *,
    client: User,
    freelancer: User,
    title: str,
    description: str,
    milestones: list[MilestoneTerms],
) -> Contract:
    """The client offers someone they know a contract directly, without a project: it waits for the
    freelancer's answer (accept_rehire, or decline), then runs like any contract. The two sides'
    conversation opens at once (the `hired` hook), so they can talk the offer over.
    Writes new rows only: no lock."""
    if client.pk == freelancer.pk:
        raise DomainError(_("You cannot offer a contract to yourself."))
    if not freelancer.is_active:
        raise DomainError(_("This account is not active."))
    title = strip_bidi_controls(title).strip()
    description = strip_bidi_controls(description).strip()
    if not 5 <= len(title) <= 200:
        raise DomainError(_("Give the contract a title of 5 to 200 characters."), field="title")
    if len(description) > 5000:
        raise DomainError(_("The description has at most 5000 characters."), field="description")
    terms = [MilestoneTerms(strip_bidi_controls(t.title).strip(), t.amount_cents, t.days) for t in milestones]
    check_milestone_terms(terms)
    contract = Contract.objects.create(
        origin=Contract.Origin.REHIRE,
        status=Contract.Status.PROPOSED,
        client=client,
        freelancer=freelancer,
        title=title,
        description=description,
        amount_cents=sum(term.amount_cents for term in terms),
        duration_days=sum(term.days for term in terms),
    )
    _add_milestones(contract, terms)
    ContractEvent.objects.create(
        contract=contract, actor=client, action="offer_rehire", to_status=contract.status
    )
    hooks.hired(contract)
    _notify(contract, freelancer, "rehire_offered")
    return contract


@transaction.atomic
def accept_rehire(*, freelancer: User, contract: Contract) -> Contract:
    """The freelancer accepts a direct contract: it waits for the client's funding. Locks the contract."""
    contract = _locked(contract)
    _move(contract, "accept_rehire", freelancer)
    _notify(contract, contract.client, "rehire_accepted")
    return contract


def _open(model: type, contract: Contract):
    return model.objects.filter(contract=contract, status=model.Status.PROPOSED).first()


def _answerable(model: type, contract: Contract, user: User, action: str):
    """The open proposal of this kind, which only the other side may answer; DomainError otherwise."""
    proposal = _open(model, contract)
    if proposal is None:
        raise DomainError(_("There is no proposal waiting for an answer."))
    states.next_status(contract, action, user)
    if proposal.proposed_by_id == user.pk:
        raise DomainError(_("The other side must answer your proposal."))
    return proposal


@transaction.atomic
def propose_milestone_change(
    *,
    user: User,
    contract: Contract,
    terms: MilestoneTerms,
    milestone: Milestone | None = None,
    now: datetime.datetime | None = None,
) -> MilestoneChange:
    """Either side proposes to add a milestone (`milestone` None) or to change one not funded yet; the
    other side answers. Locks the contract."""
    contract = _locked(contract)
    states.next_status(contract, "propose_milestone_change", user)
    terms = MilestoneTerms(strip_bidi_controls(terms.title).strip(), terms.amount_cents, terms.days)
    check_one_milestone(terms)
    if milestone is None:
        if contract.milestones.count() >= settings.CONTRACT_MAX_MILESTONES:
            raise DomainError(
                _("A contract has from 1 to %(count)s milestones.")
                % {"count": settings.CONTRACT_MAX_MILESTONES},
                field="milestones",
            )
    else:
        milestone = contract.milestones.filter(pk=milestone.pk).first()
        if milestone is None:
            raise DomainError(_("This milestone is not part of the contract."), field="milestone")
        if milestone.status != Milestone.Status.PENDING:
            raise DomainError(_("Only a milestone not funded yet can change."), field="milestone")
    if _open(MilestoneChange, contract) is not None:
        raise DomainError(_("A milestone change is already waiting for an answer."))
    change = MilestoneChange.objects.create(
        contract=contract,
        proposed_by=user,
        milestone=milestone,
        title=terms.title,
        amount_cents=terms.amount_cents,
        days=terms.days,
        created_at=now or timezone.now(),
    )
    _event(contract, "propose_milestone_change", user, _describe_change(change), milestone)
    _notify(contract, _other_side(contract, user), "milestone_change_proposed", change=change)
    return change


def _describe_change(change: MilestoneChange) -> str:
    figures = {"title": change.title, "amount": format_money(change.amount_cents), "days": change.days}
    if change.is_addition:
        return _("New milestone “%(title)s”: %(amount)s, %(days)s days.") % figures
    return _("Milestone “%(title)s”: %(amount)s, %(days)s days.") % figures


@transaction.atomic
def answer_milestone_change(
    *, user: User, contract: Contract, accept: bool, now: datetime.datetime | None = None
) -> MilestoneChange:
    """The other side accepts (the plan changes; the contract's amount and duration stay the sums) or
    refuses. Locks the contract, then the proposal's milestone."""
    contract = _locked(contract)
    action = "accept_milestone_change" if accept else "refuse_milestone_change"
    change = _answerable(MilestoneChange, contract, user, action)
    milestone = None
    if accept:
        if change.is_addition:
            if contract.milestones.count() >= settings.CONTRACT_MAX_MILESTONES:
                raise DomainError(
                    _("A contract has from 1 to %(count)s milestones.")
                    % {"count": settings.CONTRACT_MAX_MILESTONES}
                )
            last = contract.milestones.order_by("-position").values_list("position", flat=True).first()
            milestone = Milestone.objects.create(
                contract=contract,
                position=(last or 0) + 1,
                title=change.title,
                amount_cents=change.amount_cents,
                days=change.days,
            )
        else:
            milestone = Milestone.objects.select_for_update().get(pk=change.milestone_id)
            if milestone.status != Milestone.Status.PENDING:
                raise DomainError(_("This milestone was funded meanwhile: it can no longer change."))
            milestone.title, milestone.amount_cents, milestone.days = (
                change.title,
                change.amount_cents,
                change.days,
            )
            milestone.save(update_fields=["title", "amount_cents", "days"])
        _resum(contract)
    change.status = MilestoneChange.Status.ACCEPTED if accept else MilestoneChange.Status.REFUSED
    change.answered_at = now or timezone.now()
    change.save(update_fields=["status", "answered_at"])
    _event(contract, action, user, _describe_change(change), milestone or change.milestone)
    _notify(contract, change.proposed_by, "milestone_change_answered", change=change)
    return change


def _resum(contract: Contract) -> None:
    """The contract's amount and duration are the sums of its milestones still to pay or paid."""
    live = contract.milestones.exclude(status__in=[Milestone.Status.CANCELLED, Milestone.Status.REFUNDED])
    contract.amount_cents = sum(m.amount_cents for m in live)
    contract.duration_days = sum(m.days for m in live)
    contract.save(update_fields=["amount_cents", "duration_days", "updated_at"])


@transaction.atomic
def propose_extension(
    *, user: User, contract: Contract, days: int, reason: str, now: datetime.datetime | None = None
) -> Extension:
    """Either side proposes more days for the milestone in play, with the reason; the other side
    answers. Locks the contract."""
    contract = _locked(contract)
    states.next_status(contract, "propose_extension", user)
    reason = strip_bidi_controls(reason).strip()
    if not 1 <= days <= 90:
        raise DomainError(_("Propose from 1 to 90 more days."), field="days")
    if len(reason) < 10:
        raise DomainError(_("Give the reason (at least 10 characters)."), field="reason")
    if _open(Extension, contract) is not None:
        raise DomainError(_("An extension is already waiting for an answer."))
    milestone = _in_play(contract)
    extension = Extension.objects.create(
        contract=contract,
        milestone=milestone,
        proposed_by=user,
        days=days,
        reason=reason[:2000],
        created_at=now or timezone.now(),
    )
    note = _("%(days)s more days: %(reason)s") % {"days": days, "reason": extension.reason}
    _event(contract, "propose_extension", user, note, milestone)
    _notify(contract, _other_side(contract, user), "extension_proposed", extension=extension)
    return extension


@transaction.atomic
def answer_extension(
    *, user: User, contract: Contract, accept: bool, now: datetime.datetime | None = None
) -> Extension:
    """The other side accepts (the milestone's due date moves by the days) or refuses. Locks the
    contract, then the milestone."""
    contract = _locked(contract)
    action = "accept_extension" if accept else "refuse_extension"
    extension = _answerable(Extension, contract, user, action)
    if accept:
        milestone = Milestone.objects.select_for_update().get(pk=extension.milestone_id)
        if milestone.status not in (Milestone.Status.FUNDED, Milestone.Status.DELIVERED):
            raise DomainError(_("This milestone is settled: its deadline can no longer move."))
        milestone.extra_days += extension.days
        milestone.save(update_fields=["extra_days"])
    extension.status = Extension.Status.ACCEPTED if accept else Extension.Status.REFUSED
    extension.answered_at = now or timezone.now()
    extension.save(update_fields=["status", "answered_at"])
    note = _("%(days)s more days") % {"days": extension.days}
    _event(contract, action, user, note, extension.milestone)
    _notify(contract, extension.proposed_by, "extension_answered", extension=extension)
    return extension


@transaction.atomic
def pay_bonus(
    *,
    client: User,
    contract: Contract,
    amount_cents: int,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Bonus:
    """The client pays the freelancer a bonus from their available balance, less commission, with
    clearance (wallet.services.pay_bonus, key `bonus:<pk>`); refused over the balance, nothing written.
    Locks the contract, then the client's available, the freelancer's pending and the revenue accounts."""
    contract = _locked(contract)
    if contract.client_id != client.pk:
        raise DomainError(_("Only the client pays a bonus."))
    states.next_status(contract, "pay_bonus", client)
    if amount_cents <= 0:
        raise DomainError(_("Enter an amount above zero."), field="amount")
    note = strip_bidi_controls(note).strip()[:2000]
    now = now or timezone.now()
    bonus = Bonus.objects.create(contract=contract, amount_cents=amount_cents, note=note, created_at=now)
    try:
        with transaction.atomic():
            wallet.pay_bonus(contract=contract, amount_cents=amount_cents, key=f"bonus:{bonus.pk}", now=now)
    except InsufficientFunds:
        raise NeedsFunds(
            _("Your available balance is not enough for this bonus."),
            shortfall_cents=amount_cents - wallet.balances(client)["available"],
        ) from None
    _event(contract, "pay_bonus", client, format_money(amount_cents) + (f" — {note}" if note else ""))
    _notify(contract, contract.freelancer, "bonus_paid", bonus=bonus)
    return bonus

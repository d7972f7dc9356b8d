"""Every change to an agreement, whichever market it came from: hire, order, fund, requirements,
deliver, accept, change, cancel, dispute. Money moves per milestone through mostaql.wallet.services,
inside the same transaction as the state change; a hire's project follows through projects.services
(which records its events); messaging and reviews follow through `hooks`.

Row locks, in the one order of docs/architecture.md ("Locks"): the contract, then the ledger accounts
(ascending id, in wallet.ledger.post_transfer), then the project.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
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
    Milestone,
    Requirements,
    RequirementsAttachment,
)
from mostaql.core.exceptions import DomainError
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


@dataclass(frozen=True)
class MilestoneTerms:
    """One stage as agreed: what it is, what it pays, how many days it takes."""

    title: str
    amount_cents: int
    days: int


def check_milestone_terms(terms: list[MilestoneTerms], *, total_cents: int | None = None) -> None:
    """The rules of a plan of milestones, before anything is written: 1 to CONTRACT_MAX_MILESTONES
    stages, each with a title, an amount above zero and at least a day; together they make the total."""
    if not 1 <= len(terms) <= settings.CONTRACT_MAX_MILESTONES:
        raise DomainError(
            _("A contract has from 1 to %(count)s milestones.") % {"count": settings.CONTRACT_MAX_MILESTONES},
            field="milestones",
        )
    for term in terms:
        if not term.title.strip():
            raise DomainError(_("Give each milestone a title."), field="milestones")
        if term.amount_cents <= 0:
            raise DomainError(_("Each milestone's amount must be above zero."), field="milestones")
        if not 1 <= term.days <= 365:
            raise DomainError(_("Each milestone takes from 1 to 365 days."), field="milestones")
    if total_cents is not None and sum(term.amount_cents for term in terms) != total_cents:
        raise DomainError(
            _("The milestones must add up to %(total)s.") % {"total": format_money(total_cents)},
            field="milestones",
        )


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
    terms = (
        milestones
        if milestones is not None
        else [MilestoneTerms(project.title, offer.amount_cents, offer.duration_days)]
    )
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

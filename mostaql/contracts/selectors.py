"""The reads behind the contract pages and the contract API, each a fixed number of queries."""

from django.db.models import Prefetch, Q, QuerySet

from mostaql.accounts.models import User
from mostaql.contracts import states
from mostaql.contracts.models import (
    CancellationRequest,
    Contract,
    DeliveryAttachment,
    Dispute,
    Extension,
    MilestoneChange,
    Requirements,
    RequirementsAttachment,
)
from mostaql.projects.models import Project
from mostaql.wallet.models import LedgerAccount

# The contract states in which escrow must be empty: the money was paid, returned, or never put in.
FINISHED = (
    Contract.Status.COMPLETED,
    Contract.Status.CANCELLED,
    Contract.Status.DECLINED,
    Contract.Status.WITHDRAWN,
)
LIVE = ~Q(status__in=[Contract.Status.DECLINED, Contract.Status.WITHDRAWN])


def visible_contracts(user: User) -> QuerySet[Contract]:
    """The contracts `user` may open: their own as either side, and every one for moderators."""
    contracts = Contract.objects.all()
    if not user.is_staff:
        contracts = contracts.filter(Q(client=user) | Q(freelancer=user))
    return contracts


def visible_delivery_file(*, user: User, pk: int) -> DeliveryAttachment | None:
    """A delivered file, for either side of its contract or staff; None for anyone else (shown as 404).
    The one rule behind the page's and the API's downloads."""
    files = DeliveryAttachment.objects.select_related("delivery__contract")
    if not user.is_staff:
        files = files.filter(Q(delivery__contract__client=user) | Q(delivery__contract__freelancer=user))
    return files.filter(pk=pk).first()


def visible_requirements_file(*, user: User, pk: int) -> RequirementsAttachment | None:
    """A file the buyer sent with an order's requirements, for either side or staff; None otherwise."""
    files = RequirementsAttachment.objects.select_related("requirements__contract")
    if not user.is_staff:
        files = files.filter(
            Q(requirements__contract__client=user) | Q(requirements__contract__freelancer=user)
        )
    return files.filter(pk=pk).first()


def requirements_of(contract: Contract) -> Requirements | None:
    """An order's requirements with their files (two queries; one when there are none yet)."""
    if not contract.is_order:
        return None
    return Requirements.objects.filter(contract=contract).prefetch_related("attachments").first()


def contract_detail(*, contract_id: int, user: User) -> Contract | None:
    """The contract page and `GET /api/v1/contracts/{id}/`: one contract with its history, and what
    `user` may do with it now; None when it does not exist or `user` may not see it.

    Ten queries, however long the history: the contract (with its project, offer and both sides'
    profiles), its milestones, its deliveries and their files, its events, the cancellation waiting
    for an answer, the dispute, its bonuses, and the milestone change and the extension waiting for
    an answer. The result carries `deliveries_list`, `events_list`, `proposal`, `dispute_row`,
    `bonuses_list`, `milestone_change`, `extension`,
    `actions` (the set of action names offered) and `action_moves` (the offered moves, one per action,
    in the transition table's order, for their labels).
    """
    contract = (
        visible_contracts(user)
        .select_related("project", "offer", "client__profile", "freelancer__profile")
        .prefetch_related("milestones")
        .filter(pk=contract_id)
        .first()
    )
    if contract is None:
        return None
    contract.deliveries_list = list(contract.deliveries.prefetch_related("attachments"))
    contract.events_list = list(contract.events.select_related("actor"))
    contract.proposal = (
        contract.cancellations.filter(status=CancellationRequest.Status.PROPOSED)
        .select_related("requested_by")
        .first()
    )
    contract.dispute_row = Dispute.objects.filter(contract=contract).select_related("opened_by").first()
    contract.bonuses_list = list(contract.bonuses.all())
    contract.milestone_change = (
        contract.milestone_changes.filter(status=MilestoneChange.Status.PROPOSED)
        .select_related("proposed_by", "milestone")
        .first()
    )
    contract.extension = (
        contract.extensions.filter(status=Extension.Status.PROPOSED)
        .select_related("proposed_by", "milestone")
        .first()
    )
    contract.actions = states.offered_actions(
        contract,
        user,
        proposal=contract.proposal,
        amendments={"milestone_change": contract.milestone_change, "extension": contract.extension},
    )
    moves: dict[str, states.Move] = {}
    for move in states.actions_for(contract, user):
        if move.action in contract.actions:
            moves.setdefault(move.action, move)
    contract.action_moves = list(moves.values())
    return contract


def has_live_contract(*, project: Project, client: User, freelancer: User) -> bool:
    """Whether these two are bound by a contract on this project (one neither declined nor withdrawn):
    from then on they may share contact details. One query."""
    return Contract.objects.filter(LIVE, project=project, client=client, freelancer=freelancer).exists()


def open_disputes() -> QuerySet[Dispute]:
    """The moderators' queue (page and API): open disputes, oldest first, with their contract's
    project and who opened them, in one query."""
    return (
        Dispute.objects.filter(status=Dispute.Status.OPEN)
        .select_related("contract__project", "opened_by")
        .order_by("created_at", "pk")
    )


def projects_of(owner: User) -> QuerySet[Project]:
    """The owner's projects, newest first, each with its live contracts (`live_contracts`) and their
    freelancers: three queries for a page, however many contracts."""
    return (
        Project.objects.filter(owner=owner)
        .select_related("category")
        .prefetch_related(
            Prefetch(
                "contracts",
                queryset=Contract.objects.filter(LIVE).select_related("freelancer"),
                to_attr="live_contracts",
            )
        )
        .order_by("-created_at")
    )


def escrow_left_in_finished_contracts() -> list[str]:
    """For the ledger audit (registered on `wallet.ledger.audit_checks`): finished contracts whose
    escrow account still holds money, one line each."""
    accounts = LedgerAccount.objects.filter(
        kind=LedgerAccount.Kind.ESCROW, contract__status__in=FINISHED
    ).exclude(balance_cents=0)
    return [
        f"finished contract {account.contract_id} still holds {account.balance_cents} in escrow"
        for account in accounts
    ]

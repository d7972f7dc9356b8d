"""What needs the person now: one read per block, a fixed number of queries whatever their history."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Sum

from mostaql.accounts.models import User
from mostaql.contracts import states
from mostaql.contracts.models import Contract, ContractEvent
from mostaql.core.money import net_after_commission_cents
from mostaql.gigs.models import Order
from mostaql.messaging import selectors as messaging_selectors
from mostaql.messaging.models import Conversation
from mostaql.projects.models import Offer, Project
from mostaql.wallet import selectors as wallet_selectors
from mostaql.wallet import services as wallet_services
from mostaql.wallet.models import PendingEarning

# Each list on the page shows at most this many rows; the page links to the full list.
LIST_LIMIT = 8
S = Contract.Status


@dataclass
class ClientBlocks:
    awaiting_funding: list[Contract] = field(default_factory=list)
    awaiting_decision: list[Contract] = field(default_factory=list)  # deliveries, with auto_accept_at
    open_projects: list[Project] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.awaiting_funding or self.awaiting_decision or self.open_projects)


@dataclass
class FreelancerBlocks:
    active: list[Contract] = field(default_factory=list)  # by due date; changes_requested flagged
    offers: list[Offer] = field(default_factory=list)
    pending: list[PendingEarning] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.active or self.offers or self.pending)

    @property
    def changes_requested(self) -> list[Contract]:
        return [contract for contract in self.active if contract.changes_requested]


def client_blocks(user: User) -> ClientBlocks:
    """Two queries: the contracts the person funds that wait for them, and their open projects."""
    blocks = ClientBlocks()
    waiting = (
        Contract.objects.filter(client=user, status__in=[S.AWAITING_FUNDING, S.DELIVERED])
        .select_related("project", "freelancer")
        .order_by("delivered_at", "created_at", "pk")
    )
    for contract in waiting:
        if contract.status == S.AWAITING_FUNDING:
            blocks.awaiting_funding.append(contract)
        else:
            blocks.awaiting_decision.append(contract)
    blocks.awaiting_funding = blocks.awaiting_funding[:LIST_LIMIT]
    blocks.awaiting_decision = blocks.awaiting_decision[:LIST_LIMIT]
    blocks.open_projects = list(
        Project.objects.filter(owner=user, status=Project.Status.OPEN).order_by("-published_at", "-pk")[
            :LIST_LIMIT
        ]
    )
    return blocks


def freelancer_blocks(user: User) -> FreelancerBlocks:
    """Four queries: contracts at work (soonest due first) and their milestones, offers sent,
    earnings clearing."""
    changes = ContractEvent.objects.filter(
        contract=OuterRef("pk"), action=ContractEvent.Action.REQUEST_CHANGES
    )
    active = list(
        Contract.objects.filter(freelancer=user, status__in=[S.ACTIVE, S.DELIVERED])
        .exclude(origin=Contract.Origin.ORDER)  # orders have their own block (order_blocks)
        .select_related("project", "client")
        .prefetch_related("milestones")
        .annotate(has_asked_changes=Exists(changes))
    )
    for contract in active:
        # Back to active after a delivery: the client asked for changes, which the freelancer owes now.
        contract.changes_requested = contract.has_asked_changes and contract.status == S.ACTIVE
    active.sort(key=lambda contract: (contract.due_at is None, contract.due_at or contract.created_at))
    return FreelancerBlocks(
        active=active[:LIST_LIMIT],
        offers=list(
            Offer.objects.filter(freelancer=user)
            .select_related("project")
            .order_by("-created_at")[:LIST_LIMIT]
        ),
        pending=list(wallet_selectors.pending_earnings(user).order_by("clears_at")[:LIST_LIMIT]),
    )


# An order the seller still owes something: its requirements to wait for, its work, or the buyer's answer.
OPEN_ORDER = [S.AWAITING_REQUIREMENTS, S.ACTIVE, S.DELIVERED]


@dataclass
class OrderBlocks:
    selling: list[Contract] = field(default_factory=list)  # soonest due first; `is_late` set
    buying: list[Contract] = field(default_factory=list)  # newest first
    earnings: list[dict] = field(default_factory=list)  # per service: orders, sales, net

    @property
    def is_empty(self) -> bool:
        return not (self.selling or self.buying or self.earnings)


def _orders():
    return (
        Contract.objects.filter(origin=Contract.Origin.ORDER)
        .select_related("client", "freelancer", "service_order__service")
        .prefetch_related("milestones")
    )


def order_blocks(user: User) -> OrderBlocks:
    """Six queries whatever the history: the orders the person sells that are open (and their
    milestones), sorted by deadline with the late ones marked; their latest purchases (and
    milestones); and their completed sales summed per service."""
    selling = list(_orders().filter(freelancer=user, status__in=OPEN_ORDER))
    for contract in selling:
        contract.is_late = states.is_late(contract)
    # Late first, then by deadline; an order waiting for its requirements has no deadline yet.
    selling.sort(key=lambda contract: (contract.due_at is None, contract.due_at or contract.created_at))
    buying = list(_orders().filter(client=user).order_by("-created_at", "-pk")[:LIST_LIMIT])
    for contract in buying:
        contract.is_late = states.is_late(contract)
    earnings = list(
        Order.objects.filter(service__seller=user, contract__status=S.COMPLETED)
        .values("service_id", "service__title")
        .annotate(orders=Count("pk"), sales_cents=Sum("total_cents"))
        .order_by("-sales_cents", "service_id")[:LIST_LIMIT]
    )
    for row in earnings:
        # Every order total is a multiple of $5 (prices and upgrades are), so the commission of the
        # sum is the sum of the orders' commissions.
        row["net_cents"] = net_after_commission_cents(row["sales_cents"])
    return OrderBlocks(selling=selling[:LIST_LIMIT], buying=buying, earnings=earnings)


def unanswered_conversations(user: User) -> list[Conversation]:
    """Conversations whose latest messages the person has not read: one query."""
    return list(messaging_selectors.inbox(user).filter(unread__gt=0)[:LIST_LIMIT])


def balances(user: User) -> dict[str, int]:
    return wallet_services.balances(user)

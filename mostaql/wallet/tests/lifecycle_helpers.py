"""Set-up shared by the contract lifecycle and wallet tests.

Money reaches a wallet only as in the product: a deposit started by the person, paid on the sandbox
gateway with the test card, and credited by the gateway's signed webhook. Contracts are brought to
each state through the contract services, never by writing a status.
"""

import re
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.utils import translation
from django.utils.translation import gettext

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import UserFactory
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import CancellationRequest, Contract, Delivery, DeliveryAttachment, Dispute
from mostaql.projects.models import Offer, Project
from mostaql.projects.tests.factories import (
    client_user,
    freelancer_user,
    hire,
    moderator,
    open_project,
    place_offer,
)
from mostaql.projects.tests.support import everything
from mostaql.wallet import services as wallet_services
from mostaql.wallet import webhooks
from mostaql.wallet.gateways.sandbox import SUCCEEDING_CARD, SandboxGateway
from mostaql.wallet.models import (
    Deposit,
    Entry,
    IdentityVerification,
    LedgerAccount,
    PendingEarning,
    Transfer,
    Withdrawal,
)

CONTRACT_AMOUNT = 40_000  # $400.00: commission $80.00, the freelancer's share $320.00
DELIVERY_MESSAGE = "أرفقت التصاميم النهائية بكل المقاسات المطلوبة."
CHANGES_MESSAGE = "نرجو تكبير الشعار وتغيير لون الخلفية."
CANCEL_REASON = "تغيرت أولويات الشركة ولم نعد بحاجة إلى العمل."
DISPUTE_REASON = "سلم المستقل عملاً لا يطابق الوصف المتفق عليه في العرض."
DECISION = "راجعنا التسليم: نُفّذ نصف المطلوب، فيأخذ المستقل نصف المبلغ."

# Every action the contract page serves, and a body that passes its form so only the rules decide.
ACTIONS = (
    "fund",
    "deliver",
    "accept",
    "request_changes",
    "propose_cancel",
    "cancel",
    "refuse_cancel",
    "open_dispute",
    "decline",
    "withdraw_hire",
)
VALID_BODY = {
    "deliver": {"message": DELIVERY_MESSAGE},
    "request_changes": {"reason": CHANGES_MESSAGE},
    "propose_cancel": {"reason": CANCEL_REASON},
    "open_dispute": {"reason": DISPUTE_REASON},
    "decline": {"reason": "لدي التزام آخر."},
    "withdraw_hire": {"reason": "تغيرت خطتنا."},
}


# --- Words and pages -----------------------------------------------------------------------------


def ar(message_id: str) -> str:
    """The Arabic the site shows for `message_id` (the English id itself where none is written)."""
    with translation.override("ar"):
        return gettext(message_id)


def messages_of(response) -> list[tuple[str, str]]:
    """(level, text) of each flash message the request left."""
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def forget_messages(client) -> None:
    """Drop the flash messages a page has not shown yet, so the next response carries only its own."""
    client.cookies.pop("messages", None)


def form_actions(page: str, contract: Contract) -> set[str]:
    """The contract actions whose forms the page offers (form actions ending in /<action>/)."""
    pattern = rf'<form[^>]*action="/contracts/{contract.pk}/([a-z_]+)/"'
    return set(re.findall(pattern, page))


# --- Money through the real gateway path ---------------------------------------------------------


def add_funds(user: User, amount_cents: int, *, card: str = SUCCEEDING_CARD) -> Deposit:
    """A deposit paid with the sandbox test card and confirmed by the gateway's signed webhook."""
    deposit = wallet_services.start_deposit(user=user, amount_cents=amount_cents)
    body, signature = SandboxGateway().charge(deposit, card)
    webhooks.handle(gateway_name="sandbox", body=body, signature=signature)
    deposit.refresh_from_db()
    return deposit


def balances(user: User) -> dict[str, int]:
    return wallet_services.balances(user)


def platform_revenue() -> int:
    account = LedgerAccount.objects.filter(kind=LedgerAccount.Kind.PLATFORM_REVENUE).first()
    return account.balance_cents if account else 0


def escrow_of(contract: Contract) -> int:
    account = LedgerAccount.objects.filter(kind=LedgerAccount.Kind.ESCROW, contract=contract).first()
    return account.balance_cents if account else 0


# --- People and contracts ------------------------------------------------------------------------


@dataclass
class Scene:
    """A project with two bids, the first one hired: everyone a contract page meets."""

    contract: Contract
    project: Project
    client: User
    freelancer: User
    other_bidder: User
    other_offer: Offer
    stranger: User
    staff: User

    def refresh(self) -> "Scene":
        self.contract.refresh_from_db()
        self.project.refresh_from_db()
        return self

    def person(self, role: str) -> User:
        return getattr(self, role)


def hired_scene(
    *, amount_cents: int = CONTRACT_AMOUNT, funds_cents: int | None = 50_000, title: str = "تصميم هوية لمقهى"
) -> Scene:
    """A contract waiting for funding; the client has `funds_cents` available (none when None)."""
    owner = client_user("سامي العميل")
    project = open_project(owner, title=title)
    chosen = place_offer(project, freelancer_user("ليلى المصممة"), amount_cents=amount_cents)
    other = place_offer(project, freelancer_user("خالد المنافس"), amount_cents=30_000)
    contract = hire(chosen)
    if funds_cents:
        add_funds(owner, funds_cents)
    return Scene(
        contract=contract,
        project=project,
        client=owner,
        freelancer=chosen.freelancer,
        other_bidder=other.freelancer,
        other_offer=other,
        stranger=freelancer_user("عابر سبيل"),
        staff=moderator("مشرفة النزاعات"),
    )


def fund(scene: Scene) -> Scene:
    contract_services.fund_contract(client=scene.client, contract=scene.contract)
    return scene.refresh()


def deliver(scene: Scene, *, files=()) -> Scene:
    contract_services.deliver(
        freelancer=scene.freelancer, contract=scene.contract, message=DELIVERY_MESSAGE, files=list(files)
    )
    return scene.refresh()


def accept(scene: Scene) -> Scene:
    contract_services.accept_delivery(client=scene.client, contract=scene.contract)
    return scene.refresh()


STATES = (
    "awaiting_funding",
    "active",
    "proposed_by_client",
    "proposed_by_freelancer",
    "delivered",
    "disputed",
    "completed",
    "cancelled",
)


def scene_in(state: str, **options) -> Scene:
    """A contract brought to `state` through the services (a proposal to cancel is a state here)."""
    scene = hired_scene(**options)
    if state == "awaiting_funding":
        return scene
    fund(scene)
    if state in ("proposed_by_client", "proposed_by_freelancer"):
        proposer = scene.client if state == "proposed_by_client" else scene.freelancer
        contract_services.propose_cancellation(user=proposer, contract=scene.contract, reason=CANCEL_REASON)
    elif state == "delivered":
        deliver(scene)
    elif state == "disputed":
        contract_services.open_dispute(user=scene.client, contract=scene.contract, reason=DISPUTE_REASON)
    elif state == "completed":
        accept(deliver(scene))
    elif state == "cancelled":
        contract_services.propose_cancellation(
            user=scene.freelancer, contract=scene.contract, reason=CANCEL_REASON
        )
        contract_services.answer_cancellation(user=scene.client, contract=scene.contract, accept=True)
    else:
        assert state == "active", f"unknown state {state!r}"
    return scene.refresh()


def finance_staff(name: str = "موظف المالية") -> User:
    """A staff member holding the permission to pay and refuse withdrawals."""
    from django.contrib.auth.models import Permission

    person = UserFactory(name=name, is_staff=True)
    person.user_permissions.add(Permission.objects.get(codename="process_withdrawal"))
    return User.objects.get(pk=person.pk)  # a fresh instance: the permission cache starts empty


# --- Before and after ----------------------------------------------------------------------------


def snapshot(*people: User) -> dict:
    """Everything a contract or wallet action can change, to compare before and after a refusal."""
    return {
        **everything(),
        "balances": [wallet_services.balances(person) for person in people],
        "accounts": list(LedgerAccount.objects.order_by("pk").values_list("pk", "kind", "balance_cents")),
        "transfers": Transfer.objects.count(),
        "entries": Entry.objects.count(),
        "pending_earnings": list(PendingEarning.objects.order_by("pk").values()),
        "cancellations": list(CancellationRequest.objects.order_by("pk").values()),
        "disputes": list(Dispute.objects.order_by("pk").values()),
        "deliveries": Delivery.objects.count(),
        "delivery_files": DeliveryAttachment.objects.count(),
        "deposits": list(Deposit.objects.order_by("created_at", "pk").values()),
        "withdrawals": list(Withdrawal.objects.order_by("pk").values()),
        "identity_checks": list(IdentityVerification.objects.order_by("pk").values()),
    }

"""Money through the real paths, for the wallet's tests.

Funds enter only as in the product: a deposit is started, the sandbox gateway charges the test card
and writes its signed webhook, and webhooks.handle verifies it and credits the wallet. Contracts are
hired through mostaql.projects.services.hire and funded through mostaql.contracts.services.
"""

import datetime

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from mostaql.accounts.models import User
from mostaql.accounts.tests.factories import UserFactory
from mostaql.contracts import services as contract_services
from mostaql.contracts.models import Contract
from mostaql.core.uploads import clean_file
from mostaql.projects.tests.factories import (
    client_user,
    freelancer_user,
    hire,
    moderator,
    open_project,
    place_offer,
)
from mostaql.wallet import services, webhooks
from mostaql.wallet.gateways.sandbox import SUCCEEDING_CARD, SandboxGateway
from mostaql.wallet.models import Deposit, Entry, IdentityVerification, LedgerAccount, Transfer

DELIVERY_MESSAGE = "سلمت العمل كاملاً مع ملف الشرح."
# Far enough ahead that every pending earning has cleared and every delivery is overdue.
FAR_FUTURE = datetime.timedelta(days=3650)


# --- Adding funds: the sandbox's signed webhook, verified by the same handler as the endpoint -----


def sandbox_webhook(deposit: Deposit, card_number: str = SUCCEEDING_CARD) -> tuple[bytes, str]:
    """The body and X-Signature header the sandbox processor sends once `card_number` is charged."""
    return SandboxGateway().charge(deposit, card_number)


def add_funds(user: User, amount_cents: int) -> Deposit:
    """One deposit, paid with the test card and confirmed by its signed webhook."""
    deposit = services.start_deposit(user=user, amount_cents=amount_cents)
    body, signature = sandbox_webhook(deposit)
    # The sandbox is off unless DEBUG or SANDBOX_GATEWAY_ENABLED says otherwise; tests always use it.
    with override_settings(SANDBOX_GATEWAY_ENABLED=True):
        assert webhooks.handle(gateway_name="sandbox", body=body, signature=signature) == "processed"
    deposit.refresh_from_db()
    assert deposit.status == Deposit.Status.SUCCEEDED
    return deposit


def give_available_funds(user: User, amount_cents: int) -> list[Deposit]:
    """`amount_cents` more in the user's available balance, in as many deposits as the limit asks."""
    deposits = []
    while amount_cents > 0:
        part = min(amount_cents, services.MAX_DEPOSIT_CENTS)
        deposits.append(add_funds(user, max(part, 100)))
        amount_cents -= part
    return deposits


# --- Contracts through the services ---------------------------------------------------------------


def hired_contract(
    *, amount_cents: int = 10_000, client: User | None = None, freelancer: User | None = None
) -> Contract:
    """A project opened, an offer of `amount_cents` placed and hired: waiting for funding."""
    project = open_project(client or client_user())
    offer = place_offer(project, freelancer or freelancer_user(), amount_cents=amount_cents)
    return hire(offer)


def funded_contract(
    *, amount_cents: int = 10_000, client: User | None = None, freelancer: User | None = None
) -> Contract:
    """A hired contract whose client added exactly its amount and funded it: active, money in escrow."""
    contract = hired_contract(amount_cents=amount_cents, client=client, freelancer=freelancer)
    give_available_funds(contract.client, amount_cents)
    contract_services.fund_contract(client=contract.client, contract=contract)
    contract.refresh_from_db()
    return contract


def delivered_contract(**kwargs) -> Contract:
    contract = funded_contract(**kwargs)
    contract_services.deliver(freelancer=contract.freelancer, contract=contract, message=DELIVERY_MESSAGE)
    contract.refresh_from_db()
    return contract


def completed_contract(**kwargs) -> Contract:
    """Delivered and accepted: the escrow released to the freelancer's pending balance."""
    contract = delivered_contract(**kwargs)
    contract_services.accept_delivery(client=contract.client, contract=contract)
    contract.refresh_from_db()
    return contract


def clear_everything_due() -> int:
    return services.clear_due_earnings(now=timezone.now() + FAR_FUTURE)


# --- Withdrawals ----------------------------------------------------------------------------------


def identity_document() -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return SimpleUploadedFile("passport.pdf", content, content_type="application/pdf")


def verify_identity(user: User, by: User | None = None) -> IdentityVerification:
    """The user sends an ID document and a moderator approves it."""
    verification = services.submit_identity_document(
        user=user, document=clean_file(identity_document(), kinds={"image", "pdf"})
    )
    return services.review_identity(moderator=by or moderator(), verification=verification, approve=True)


def finance_staff(name: str = "موظف المالية") -> User:
    """Staff with the one permission that pays or refuses withdrawals (not a superuser)."""
    staff = UserFactory(name=name, is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="process_withdrawal"))
    return User.objects.get(pk=staff.pk)  # a fresh object: the permission cache starts empty


def request_paypal_withdrawal(user: User, amount_cents: int, **kwargs):
    return services.request_withdrawal(
        user=user, amount_cents=amount_cents, method="paypal", paypal_email=user.email, **kwargs
    )


# --- What the ledger holds ------------------------------------------------------------------------


def ledger_snapshot() -> dict:
    """Every balance, and how many transfers and entries there are: compared before and after a refusal."""
    return {
        "balances": dict(LedgerAccount.objects.order_by("pk").values_list("pk", "balance_cents")),
        "transfers": Transfer.objects.count(),
        "entries": Entry.objects.count(),
    }


def system_balance(kind: str) -> int:
    account = LedgerAccount.objects.filter(kind=kind, owner=None, contract=None).first()
    return account.balance_cents if account else 0

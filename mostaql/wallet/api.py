"""The wallet for API clients: balances, the statement, deposits and withdrawals, and finance staff's
payouts; the same services and selectors as the wallet pages. Every POST here moves (or commits)
money, so each one needs an `Idempotency-Key`."""

import datetime
import hashlib
import uuid
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator

from mostaql.api.auth import require_recent_authentication, require_staff_second_factor
from mostaql.api.errors import ApiError, errors
from mostaql.api.idempotency import HEADER, idempotent
from mostaql.api.pagination import paginate
from mostaql.api.params import BodyInt, Text, path_id
from mostaql.core.exceptions import DomainError
from mostaql.core.schemas import PersonOut
from mostaql.wallet import selectors, services
from mostaql.wallet.gateways import get_gateway
from mostaql.wallet.models import Deposit, LedgerAccount, Withdrawal

router = Router(tags=["wallet"])

Kind = LedgerAccount.Kind
UserKind = Literal["available", "pending", "withdrawal_hold"]
WithdrawalStatus = Literal[tuple(Withdrawal.Status.values)]
WithdrawalMethod = Literal[tuple(Withdrawal.Method.values)]


# --- Output ----------------------------------------------------------------------------------------


class PendingEarningOut(Schema):
    contract_id: int
    project_title: str
    amount_cents: int
    clears_at: datetime.datetime = Field(description="When it moves to the available balance.")

    @staticmethod
    def resolve_project_title(earning) -> str:
        return earning.contract.title


class BalancesOut(Schema):
    available_cents: int = Field(description="What you can spend or withdraw now.")
    pending_cents: int = Field(description="Earnings waiting for their clearance date.")
    escrow_cents: int = Field(description="What you put in escrow on contracts you fund.")
    withdrawal_hold_cents: int = Field(description="Held for withdrawals waiting to be paid.")
    pending_earnings: list[PendingEarningOut]
    identity_verified: bool = Field(description="A verified identity is needed to withdraw.")


class StatementLineOut(Schema):
    id: int
    created_at: datetime.datetime
    operation: str = Field(description="The transfer's kind, e.g. `deposit`, `fund`, `release`.")
    label: str = Field(description="The operation in the request's language.")
    account: UserKind
    account_label: str
    amount_cents: int = Field(description="Positive in, negative out.")
    balance_after_cents: int = Field(description="The account's running balance after this line.")
    contract_id: int | None
    project_title: str | None

    @staticmethod
    def resolve_created_at(entry) -> datetime.datetime:
        return entry.transfer.created_at

    @staticmethod
    def resolve_operation(entry) -> str:
        return entry.transfer.kind

    @staticmethod
    def resolve_label(entry) -> str:
        return str(entry.transfer.get_kind_display())

    @staticmethod
    def resolve_account(entry) -> str:
        return entry.account.kind

    @staticmethod
    def resolve_account_label(entry) -> str:
        return str(entry.account.get_kind_display())

    @staticmethod
    def resolve_contract_id(entry) -> int | None:
        return entry.transfer.contract_id

    @staticmethod
    def resolve_project_title(entry) -> str | None:
        contract = entry.transfer.contract
        return contract.title if contract else None


class DepositOut(Schema):
    id: uuid.UUID
    amount_cents: int
    status: Literal[tuple(Deposit.Status.values)]
    status_label: str
    checkout_url: str = Field(
        description="Open it in a browser (signed in) to pay; the gateway's webhook credits the wallet."
    )
    created_at: datetime.datetime

    @staticmethod
    def resolve_status_label(deposit) -> str:
        return str(deposit.get_status_display())

    @staticmethod
    def resolve_checkout_url(deposit, context) -> str:
        return context["request"].build_absolute_uri(get_gateway(deposit.gateway).checkout_url(deposit))


class WithdrawalOut(Schema):
    id: int
    amount_cents: int
    method: WithdrawalMethod
    paypal_email: str
    bank_holder: str
    bank_iban: str
    bank_name: str
    status: WithdrawalStatus
    status_label: str
    reason: str = Field(description="Why it was refused, if it was.")
    created_at: datetime.datetime
    processed_at: datetime.datetime | None

    @staticmethod
    def resolve_status_label(withdrawal) -> str:
        return str(withdrawal.get_status_display())


class QueuedWithdrawalOut(WithdrawalOut):
    user: PersonOut


# --- Input -----------------------------------------------------------------------------------------


def _email(text: str) -> str:
    if text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValueError(str(gettext_lazy("Enter a valid e-mail address."))) from None
    return text


class StatementFilters(Schema):
    account: UserKind | Literal["all"] = Field(
        "available", description="Whose lines: the available balance (as the wallet page), or every account."
    )


class DepositIn(Schema):
    amount_cents: BodyInt = Field(ge=1, le=100_000_000, description="From 100 ($1) to 1,000,000 ($10,000).")
    return_to: Text(max_length=200, description="A path of this site to come back to after paying.") = ""


class WithdrawalIn(Schema):
    amount_cents: BodyInt = Field(ge=1, le=100_000_000, description="At least MIN_WITHDRAWAL_CENTS.")
    method: WithdrawalMethod
    paypal_email: Annotated[Text(max_length=254), AfterValidator(_email)] = ""
    bank_holder: Text(max_length=100) = ""
    bank_iban: Text(max_length=50) = ""
    bank_name: Text(max_length=100) = ""


class RefusalIn(Schema):
    reason: Text(min_length=1, max_length=2000, description="Told to the person (at least 5 characters).")


# --- Helpers ---------------------------------------------------------------------------------------

# The services name the web form's fields; the API's inputs are named for their unit.
_API_FIELDS = {"amount": "amount_cents"}


def _named_for_the_api(error: DomainError) -> DomainError:
    if error.field in _API_FIELDS:
        error.field = _API_FIELDS[error.field]
    return error


# --- Balances and statement ------------------------------------------------------------------------


@router.get("/wallet/", response=BalancesOut)
def get_balances(request):
    """Your balances, and each pending earning with its clearance date."""
    figures = services.balances(request.auth)
    return {
        "available_cents": figures[Kind.AVAILABLE],
        "pending_cents": figures[Kind.PENDING],
        "escrow_cents": figures[Kind.ESCROW],
        "withdrawal_hold_cents": figures[Kind.WITHDRAWAL_HOLD],
        "pending_earnings": list(selectors.pending_earnings(request.auth)),
        "identity_verified": services.is_identity_verified(request.auth),
    }


@router.get("/wallet/statement/", response=list[StatementLineOut])
@paginate
def list_statement(request, filters: Query[StatementFilters]):
    """The lines of your statement, newest first, each with the account's running balance after it."""
    kinds = LedgerAccount.USER_KINDS if filters.account == "all" else (filters.account,)
    return selectors.statement(request.auth, kinds=kinds)


# --- Deposits --------------------------------------------------------------------------------------


@router.post("/wallet/deposits/", response={201: DepositOut})
@idempotent
def start_deposit(request, payload: DepositIn):
    """Start a deposit: open `checkout_url` to pay; the wallet is credited when the gateway confirms."""
    try:
        deposit = services.start_deposit(
            user=request.auth, amount_cents=payload.amount_cents, return_to=payload.return_to
        )
    except DomainError as error:
        raise _named_for_the_api(error) from None
    return Status(201, deposit)


@router.get("/wallet/deposits/{deposit_id}/", response={200: DepositOut, **errors(404)})
def get_deposit(request, deposit_id: uuid.UUID):
    """A deposit of yours and whether it was paid."""
    return get_object_or_404(Deposit, pk=deposit_id, user=request.auth)


# --- Withdrawals -----------------------------------------------------------------------------------


@router.get("/wallet/withdrawals/", response=list[WithdrawalOut])
@paginate
def list_withdrawals(request):
    """Your withdrawals, newest first."""
    return request.auth.withdrawals.order_by("-created_at", "-pk")


@router.post("/wallet/withdrawals/", response={201: WithdrawalOut, **errors(403, 409)})
@idempotent
def request_withdrawal(request, payload: WithdrawalIn):
    """Withdraw from your available balance; the amount is held until finance staff pays it.

    Needs a verified identity (403 `identity_not_verified`; send a document on the web page).
    """
    require_recent_authentication(request)
    if not services.is_identity_verified(request.auth):
        raise ApiError(403, "identity_not_verified", _("Verify your identity before you withdraw."))
    # The service keeps its own key per person as well, so two racing first requests make one withdrawal.
    key = hashlib.sha256(request.headers[HEADER].strip().encode()).hexdigest()
    try:
        withdrawal = services.request_withdrawal(
            user=request.auth,
            amount_cents=payload.amount_cents,
            method=payload.method,
            paypal_email=payload.paypal_email,
            bank_holder=payload.bank_holder,
            bank_iban=payload.bank_iban,
            bank_name=payload.bank_name,
            key=key,
        )
    except DomainError as error:
        raise _named_for_the_api(error) from None
    return Status(201, withdrawal)


# --- Finance staff ---------------------------------------------------------------------------------


def _finance_only(request) -> None:
    user = request.auth
    if not (user.is_staff and (user.is_superuser or user.has_perm("wallet.process_withdrawal"))):
        raise ApiError(403, "permission_denied", _("Only finance staff can process withdrawals."))
    require_staff_second_factor(request)
    if request.method == "POST":  # paying or refusing moves money
        require_recent_authentication(request)


@router.get("/staff/withdrawals/", response={200: list[QueuedWithdrawalOut], **errors(403)})
@paginate
def list_withdrawal_queue(request):
    """The withdrawals waiting to be paid, oldest first (finance staff)."""
    _finance_only(request)
    return selectors.withdrawal_queue()


@router.post(
    "/staff/withdrawals/{withdrawal_id}/pay/", response={200: QueuedWithdrawalOut, **errors(403, 404, 409)}
)
@idempotent
def mark_withdrawal_paid(request, withdrawal_id: int = path_id()):
    """Mark a withdrawal paid once the money was sent (finance staff)."""
    _finance_only(request)
    withdrawal = get_object_or_404(Withdrawal, pk=withdrawal_id)
    services.mark_withdrawal_paid(staff=request.auth, withdrawal=withdrawal)
    return Withdrawal.objects.select_related("user").get(pk=withdrawal.pk)


@router.post(
    "/staff/withdrawals/{withdrawal_id}/refuse/", response={200: QueuedWithdrawalOut, **errors(403, 404, 409)}
)
@idempotent
def refuse_withdrawal(request, payload: RefusalIn, withdrawal_id: int = path_id()):
    """Refuse a withdrawal, saying why: the amount returns to the person's available balance."""
    _finance_only(request)
    withdrawal = get_object_or_404(Withdrawal, pk=withdrawal_id)
    services.refuse_withdrawal(staff=request.auth, withdrawal=withdrawal, reason=payload.reason)
    return Withdrawal.objects.select_related("user").get(pk=withdrawal.pk)

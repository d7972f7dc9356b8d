"""Every movement of money, named for what it does; each one goes through ledger.post_transfer."""

import datetime
import re
import uuid

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from mostaql.accounts.models import User
from mostaql.core.exceptions import DomainError
from mostaql.core.money import commission_cents, format_money
from mostaql.core.text import clean_line
from mostaql.core.uploads import CleanFile
from mostaql.notifications.services import notify
from mostaql.wallet import ledger
from mostaql.wallet.models import (
    Deposit,
    IdentityVerification,
    LedgerAccount,
    PendingEarning,
    Transfer,
    Withdrawal,
)

Kind = LedgerAccount.Kind
MIN_DEPOSIT_CENTS = 1_00
MAX_DEPOSIT_CENTS = 10_000_00


def balances(user: User) -> dict[str, int]:
    """The person's balances by kind, and the escrow of the contracts they fund."""
    figures = {str(kind): 0 for kind in LedgerAccount.USER_KINDS}
    for account in LedgerAccount.objects.filter(owner=user):
        figures[str(account.kind)] = account.balance_cents
    figures["escrow"] = sum(
        LedgerAccount.objects.filter(kind=Kind.ESCROW, contract__client=user).values_list(
            "balance_cents", flat=True
        )
    )
    return figures


# --- Deposits ------------------------------------------------------------------------------------


def deposit_towards(shortfall_cents: int) -> int:
    """The one deposit that start_deposit takes towards a shortfall: at least the minimum, at most
    the maximum (a larger shortfall is paid in several deposits)."""
    return min(max(shortfall_cents, MIN_DEPOSIT_CENTS), MAX_DEPOSIT_CENTS)


def start_deposit(*, user: User, amount_cents: int, return_to: str = "", contract=None) -> Deposit:
    """A deposit waiting for the gateway. With `contract` (a contracts.Contract that `user` hires
    for: untyped, as the wallet does not import contracts, which sit above it), the paid deposit goes
    on to fund that contract: wallet.hooks.deposit_confirmed calls
    contracts.services.fund_what_the_deposit_was_for once the gateway confirms it."""
    if contract is not None and contract.client_id != user.pk:
        raise DomainError(_("You can only fund your own contracts."))
    if not MIN_DEPOSIT_CENTS <= amount_cents <= MAX_DEPOSIT_CENTS:
        raise DomainError(
            _("Add between %(low)s and %(high)s at a time.")
            % {"low": format_money(MIN_DEPOSIT_CENTS), "high": format_money(MAX_DEPOSIT_CENTS)},
            field="amount",
        )
    # Only paths of this site: a deposit can never send the person elsewhere.
    if not return_to.startswith("/") or not url_has_allowed_host_and_scheme(return_to, allowed_hosts=set()):
        return_to = ""
    return Deposit.objects.create(
        user=user,
        amount_cents=amount_cents,
        gateway=settings.PAYMENT_GATEWAY,
        return_to=return_to,
        contract=contract,
    )


@transaction.atomic
def confirm_deposit(
    *, deposit_id: uuid.UUID | str, amount_cents: int, gateway: str, now: datetime.datetime | None = None
) -> Deposit:
    """Called only by a verified webhook: credit the wallet once, whatever the number of deliveries.

    Locks the deposit, then the gateway and available accounts (post_transfer).
    """
    deposit = Deposit.objects.select_for_update().get(pk=deposit_id, gateway=gateway)
    if deposit.status == Deposit.Status.SUCCEEDED:
        return deposit
    if amount_cents != deposit.amount_cents:
        raise DomainError("The paid amount does not match the deposit.")
    deposit.transfer = ledger.post_transfer(
        key=f"deposit:{deposit.pk}",
        kind=Transfer.Kind.DEPOSIT,
        legs=[
            (ledger.system_account(Kind.GATEWAY), -amount_cents),
            (ledger.user_account(deposit.user, Kind.AVAILABLE), amount_cents),
        ],
        actor=deposit.user,
        now=now,
    )
    deposit.status = Deposit.Status.SUCCEEDED
    deposit.save(update_fields=["transfer", "status", "updated_at"])
    return deposit


@transaction.atomic
def fail_deposit(*, deposit_id: uuid.UUID | str, gateway: str, reason: str) -> Deposit:
    """Locks the deposit's row."""
    deposit = Deposit.objects.select_for_update().get(pk=deposit_id, gateway=gateway)
    if deposit.status == Deposit.Status.STARTED:
        deposit.status = Deposit.Status.FAILED
        deposit.failure_reason = reason[:200]
        deposit.save(update_fields=["status", "failure_reason", "updated_at"])
    return deposit


# --- Contract money: escrow in, escrow out -------------------------------------------------------


def fund_escrow(
    *,
    contract: ledger.EscrowContract,
    milestone: ledger.EscrowMilestone,
    client: User,
    now: datetime.datetime | None = None,
) -> Transfer:
    """available → escrow, for one milestone's amount (InsufficientFunds when short).

    Locks the client's available and the escrow accounts, ascending id (post_transfer).
    """
    return ledger.post_transfer(
        key=f"fund:m{milestone.pk}",
        kind=Transfer.Kind.FUND,
        legs=[
            (ledger.user_account(client, Kind.AVAILABLE), -milestone.amount_cents),
            (ledger.escrow_account(contract), milestone.amount_cents),
        ],
        contract=contract,
        actor=client,
        now=now,
    )


def _pay_freelancer(
    *,
    contract: ledger.EscrowContract,
    share_cents: int,
    key: str,
    kind: str,
    actor: User | None,
    refund_cents: int = 0,
    source: LedgerAccount | None = None,
    now: datetime.datetime | None = None,
) -> Transfer:
    """escrow (or `source`) → freelancer's pending (less commission) + platform revenue (+ client's
    refund); the freelancer's part waits CLEARANCE_DAYS like every earning."""
    commission = commission_cents(share_cents)
    legs = [
        (source or ledger.escrow_account(contract), -(share_cents + refund_cents)),
        (ledger.user_account(contract.freelancer, Kind.PENDING), share_cents - commission),
        (ledger.system_account(Kind.PLATFORM_REVENUE), commission),
        (ledger.user_account(contract.client, Kind.AVAILABLE), refund_cents),
    ]
    now = now or timezone.now()
    transfer = ledger.post_transfer(key=key, kind=kind, legs=legs, contract=contract, actor=actor, now=now)
    if share_cents - commission > 0:
        PendingEarning.objects.get_or_create(
            release=transfer,
            defaults={
                "freelancer": contract.freelancer,
                "contract": contract,
                "amount_cents": share_cents - commission,
                "clears_at": now + datetime.timedelta(days=settings.CLEARANCE_DAYS),
            },
        )
    return transfer


def release_escrow(
    *,
    contract: ledger.EscrowContract,
    milestone: ledger.EscrowMilestone,
    actor: User | None,
    now: datetime.datetime | None = None,
) -> Transfer:
    """The client accepted a milestone (or the sweep did): its amount goes from escrow to the
    freelancer, less commission.

    Locks the escrow, the freelancer's pending and the revenue accounts (post_transfer).
    """
    return _pay_freelancer(
        contract=contract,
        share_cents=milestone.amount_cents,
        key=f"release:m{milestone.pk}",
        kind=Transfer.Kind.RELEASE,
        actor=actor,
        now=now,
    )


def refund_escrow(
    *,
    contract: ledger.EscrowContract,
    milestone: ledger.EscrowMilestone,
    actor: User | None,
    now: datetime.datetime | None = None,
) -> Transfer:
    """Cancelled, declined or late: the milestone in escrow goes back to the client's available balance.

    Locks the escrow and the client's available accounts (post_transfer).
    """
    return ledger.post_transfer(
        key=f"refund:m{milestone.pk}",
        kind=Transfer.Kind.REFUND,
        legs=[
            (ledger.escrow_account(contract), -milestone.amount_cents),
            (ledger.user_account(contract.client, Kind.AVAILABLE), milestone.amount_cents),
        ],
        contract=contract,
        actor=actor,
        now=now,
    )


def split_escrow(
    *,
    contract: ledger.EscrowContract,
    milestone: ledger.EscrowMilestone,
    freelancer_share_cents: int,
    actor: User,
    now: datetime.datetime | None = None,
) -> Transfer:
    """A dispute decided: commission on the freelancer's share only, the rest of the milestone in
    escrow back to the client.

    Locks the escrow and every payee's account, ascending id (post_transfer).
    """
    if not 0 <= freelancer_share_cents <= milestone.amount_cents:
        raise DomainError(
            _("The freelancer's share must be between $0 and the amount in escrow."), field="share"
        )
    return _pay_freelancer(
        contract=contract,
        share_cents=freelancer_share_cents,
        refund_cents=milestone.amount_cents - freelancer_share_cents,
        key=f"dispute:m{milestone.pk}",
        kind=Transfer.Kind.DISPUTE,
        actor=actor,
        now=now,
    )


def pay_bonus(
    *,
    contract: ledger.EscrowContract,
    amount_cents: int,
    key: str,
    now: datetime.datetime | None = None,
) -> Transfer:
    """The client's available → the freelancer's pending (less commission), straight, not through
    escrow; it clears like every earning. `key` names the bonus, so paying it twice pays once.

    Locks the client's available, the freelancer's pending and the revenue accounts (post_transfer).
    """
    if amount_cents <= 0:
        raise DomainError(_("Enter an amount above zero."), field="amount")
    return _pay_freelancer(
        contract=contract,
        share_cents=amount_cents,
        key=key,
        kind=Transfer.Kind.BONUS,
        actor=contract.client,
        source=ledger.user_account(contract.client, Kind.AVAILABLE),
        now=now,
    )


# --- Clearance -----------------------------------------------------------------------------------


def clear_due_earnings(*, now: datetime.datetime | None = None) -> int:
    """pending → available for every earning whose clearance date has passed. Safe to run twice.

    Locks each earning in its own transaction, then its two accounts (post_transfer).
    """
    now = now or timezone.now()
    cleared = 0
    for earning_id in PendingEarning.objects.filter(clearance__isnull=True, clears_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            earning = (
                PendingEarning.objects.select_for_update(of=("self",))
                .select_related("freelancer", "contract")
                .get(pk=earning_id)
            )
            if earning.clearance_id:
                continue
            earning.clearance = ledger.post_transfer(
                key=f"clear:{earning.release_id}",
                kind=Transfer.Kind.CLEAR,
                legs=[
                    (ledger.user_account(earning.freelancer, Kind.PENDING), -earning.amount_cents),
                    (ledger.user_account(earning.freelancer, Kind.AVAILABLE), earning.amount_cents),
                ],
                contract=earning.contract,
                now=now,
            )
            earning.save(update_fields=["clearance"])
            notify(
                user=earning.freelancer,
                kind="earnings_cleared",
                context={"earning": earning},
                url=reverse("wallet:index"),
            )
            cleared += 1
    return cleared


# --- Identity and withdrawals --------------------------------------------------------------------


def is_identity_verified(user: User) -> bool:
    return user.identity_checks.filter(status=IdentityVerification.Status.APPROVED).exists()


@transaction.atomic
def submit_identity_document(*, user: User, document: CleanFile) -> IdentityVerification:
    if user.identity_checks.filter(
        status__in=[IdentityVerification.Status.PENDING, IdentityVerification.Status.APPROVED]
    ).exists():
        raise DomainError(_("Your identity is already verified or waiting for review."))
    return IdentityVerification.objects.create(
        user=user, document=document.content, document_kind=document.kind
    )


@transaction.atomic
def review_identity(
    *,
    moderator: User,
    verification: IdentityVerification,
    approve: bool,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> IdentityVerification:
    """Locks the verification's row."""
    if not moderator.is_staff:
        raise DomainError(_("Only moderators can review identity documents."))
    verification = IdentityVerification.objects.select_for_update().get(pk=verification.pk)
    if verification.status != IdentityVerification.Status.PENDING:
        raise DomainError(_("This document has already been reviewed."))
    if not approve and len(reason.strip()) < 5:
        raise DomainError(_("Tell the person why, so they can send a better document."), field="reason")
    verification.status = (
        IdentityVerification.Status.APPROVED if approve else IdentityVerification.Status.REJECTED
    )
    verification.reason = reason.strip()
    verification.reviewed_by, verification.reviewed_at = moderator, now or timezone.now()
    verification.save()
    notify(
        user=verification.user,
        kind="identity_reviewed",
        context={"verification": verification},
        url=reverse("wallet:withdraw"),
    )
    return verification


_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$")


def _iban_is_valid(iban: str) -> bool:
    """ISO 13616: the country and check digits moved to the end, letters as numbers, mod 97 is 1."""
    if not _IBAN.match(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(character, 36)) for character in rearranged)) % 97 == 1


class _SameKeyPostedMeanwhile(Exception):
    """Another request with the same key posted its withdrawal while this one was writing its own."""

    def __init__(self, transfer: Transfer):
        self.transfer = transfer


def _withdrawal_memo(withdrawal: Withdrawal) -> str:
    return f"withdrawal {withdrawal.pk}"


def _replayed_withdrawal(
    transfer: Transfer, *, user, amount_cents: int, method: str, details: dict
) -> Withdrawal:
    """The withdrawal that the first request with this key made, if this request asks for the same one."""
    withdrawal_id = transfer.memo.removeprefix("withdrawal ")
    withdrawal = None
    if transfer.kind == Transfer.Kind.WITHDRAW and withdrawal_id.isdigit():
        withdrawal = Withdrawal.objects.filter(user=user, pk=int(withdrawal_id)).first()
    blank = {"paypal_email": "", "bank_holder": "", "bank_iban": "", "bank_name": ""}
    asked = (amount_cents, method, {**blank, **details})
    if withdrawal is None or asked != (
        withdrawal.amount_cents,
        withdrawal.method,
        {field: getattr(withdrawal, field) for field in blank},
    ):
        raise ledger.IdempotencyConflict(_("This request was already made with other details."))
    return withdrawal


def _normal_iban(iban: str) -> str:
    return re.sub(r"\s+", "", iban).upper()


def withdrawal_problems(
    *,
    amount_cents: int | None,
    method: str,
    paypal_email: str,
    bank_holder: str,
    bank_iban: str,
    bank_name: str,
) -> dict[str, str]:
    """Every problem with a withdrawal's details at once, by field (empty when there is none).

    The form shows them all in one round; request_withdrawal refuses with the first. Only the details
    of the chosen method are checked: the other method's fields are ignored.
    """
    problems = {}
    if amount_cents is not None and amount_cents < settings.MIN_WITHDRAWAL_CENTS:
        problems["amount"] = _("The minimum withdrawal is %(minimum)s.") % {
            "minimum": format_money(settings.MIN_WITHDRAWAL_CENTS)
        }
    if method == Withdrawal.Method.PAYPAL:
        if not paypal_email:
            problems["paypal_email"] = _("Enter your PayPal e-mail address.")
    elif method == Withdrawal.Method.BANK:
        if not clean_line(bank_holder):
            problems["bank_holder"] = _("Enter the account holder's name.")
        if not _iban_is_valid(_normal_iban(bank_iban)):
            problems["bank_iban"] = _("This IBAN is not valid.")
        if not clean_line(bank_name):
            problems["bank_name"] = _("Enter the bank's name.")
    else:
        problems["method"] = _("Choose how you want to be paid.")
    return problems


@transaction.atomic
def request_withdrawal(
    *,
    user: User,
    amount_cents: int,
    method: str,
    paypal_email: str = "",
    bank_holder: str = "",
    bank_iban: str = "",
    bank_name: str = "",
    key: str | None = None,
    now: datetime.datetime | None = None,
) -> Withdrawal:
    """available → withdrawal hold, once the person's identity is verified.

    With a key (an API's Idempotency-Key) it runs once: a replay returns the first withdrawal and
    creates nothing; the same key with other details is refused. Keys belong to the person, so two
    people's keys never meet. It takes no lock of its own: the ledger's transfer key lines up two
    requests with the same key, and post_transfer takes the account locks in its usual order.
    """
    if not is_identity_verified(user):
        raise DomainError(_("Verify your identity before you withdraw."))
    problems = withdrawal_problems(
        amount_cents=amount_cents,
        method=method,
        paypal_email=paypal_email,
        bank_holder=bank_holder,
        bank_iban=bank_iban,
        bank_name=bank_name,
    )
    if problems:
        field, message = next(iter(problems.items()))
        raise DomainError(message, field=field)
    if method == Withdrawal.Method.PAYPAL:
        details = {"paypal_email": paypal_email}
    else:
        details = {
            "bank_holder": clean_line(bank_holder),
            "bank_iban": _normal_iban(bank_iban),
            "bank_name": clean_line(bank_name),
        }
    transfer_key = None
    if key:
        transfer_key = f"withdraw:{user.pk}:{key}"
        if len(transfer_key) > Transfer._meta.get_field("idempotency_key").max_length:
            raise DomainError(_("This idempotency key is too long."))
        replayed = Transfer.objects.filter(idempotency_key=transfer_key).first()
        if replayed is not None:
            return _replayed_withdrawal(
                replayed, user=user, amount_cents=amount_cents, method=method, details=details
            )
    try:
        with transaction.atomic():
            withdrawal = Withdrawal.objects.create(
                user=user, amount_cents=amount_cents, method=method, **details
            )
            transfer = ledger.post_transfer(
                key=transfer_key or f"withdraw:{withdrawal.pk}",
                kind=Transfer.Kind.WITHDRAW,
                legs=[
                    (ledger.user_account(user, Kind.AVAILABLE), -amount_cents),
                    (ledger.user_account(user, Kind.WITHDRAWAL_HOLD), amount_cents),
                ],
                actor=user,
                memo=_withdrawal_memo(withdrawal),
                now=now,
            )
            if transfer.memo != _withdrawal_memo(withdrawal):
                raise _SameKeyPostedMeanwhile(transfer)  # undoes this request's own withdrawal row
    except _SameKeyPostedMeanwhile as meanwhile:
        return _replayed_withdrawal(
            meanwhile.transfer, user=user, amount_cents=amount_cents, method=method, details=details
        )
    return withdrawal


def check_can_process(*, staff: User, withdrawal: Withdrawal) -> None:
    """Whether `staff` may pay or refuse `withdrawal` now (DomainError saying why not); the confirmation
    page asks it before showing anything, the services again under the row lock."""
    if not (staff.is_superuser or staff.has_perm("wallet.process_withdrawal")):
        raise DomainError(_("Only finance staff can process withdrawals."))
    if withdrawal.status != Withdrawal.Status.REQUESTED:
        raise DomainError(_("This withdrawal has already been processed."))


def _process(
    withdrawal: Withdrawal,
    staff: User,
    *,
    paid: bool,
    reason: str,
    payment_reference: str = "",
    now: datetime.datetime | None = None,
) -> Withdrawal:
    if not (staff.is_superuser or staff.has_perm("wallet.process_withdrawal")):
        raise DomainError(_("Only finance staff can process withdrawals."))
    withdrawal = (
        Withdrawal.objects.select_for_update(of=("self",)).select_related("user").get(pk=withdrawal.pk)
    )
    check_can_process(staff=staff, withdrawal=withdrawal)
    hold = ledger.user_account(withdrawal.user, Kind.WITHDRAWAL_HOLD)
    target = (
        ledger.system_account(Kind.PAYOUTS) if paid else ledger.user_account(withdrawal.user, Kind.AVAILABLE)
    )
    ledger.post_transfer(
        key=f"{'payout' if paid else 'withdraw_refused'}:{withdrawal.pk}",
        kind=Transfer.Kind.PAYOUT if paid else Transfer.Kind.WITHDRAW_REFUSED,
        legs=[(hold, -withdrawal.amount_cents), (target, withdrawal.amount_cents)],
        actor=staff,
        memo=f"withdrawal {withdrawal.pk}",
        now=now,
    )
    withdrawal.status = Withdrawal.Status.PAID if paid else Withdrawal.Status.REFUSED
    withdrawal.reason, withdrawal.processed_by, withdrawal.processed_at = reason, staff, now or timezone.now()
    withdrawal.payment_reference = payment_reference
    withdrawal.save()
    notify(
        user=withdrawal.user,
        kind="withdrawal_processed",
        context={"withdrawal": withdrawal},
        url=reverse("wallet:index"),
    )
    return withdrawal


@transaction.atomic
def mark_withdrawal_paid(
    *, staff: User, withdrawal: Withdrawal, payment_reference: str = "", now: datetime.datetime | None = None
) -> Withdrawal:
    """Hold → payouts. `payment_reference` is the bank's or PayPal's reference of the payment made
    outside; the web page asks for it, the API may leave it blank.
    Locks the withdrawal, then its accounts (post_transfer)."""
    payment_reference = clean_line(payment_reference)
    if len(payment_reference) > 100:
        raise DomainError(_("The payment reference is at most 100 characters."), field="payment_reference")
    return _process(withdrawal, staff, paid=True, reason="", payment_reference=payment_reference, now=now)


@transaction.atomic
def refuse_withdrawal(*, staff: User, withdrawal: Withdrawal, reason: str) -> Withdrawal:
    """Locks the withdrawal, then its accounts (post_transfer)."""
    if len(reason.strip()) < 5:
        raise DomainError(_("Tell the person why the withdrawal was refused."), field="reason")
    return _process(withdrawal, staff, paid=False, reason=reason.strip())

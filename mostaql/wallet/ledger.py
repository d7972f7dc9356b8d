"""The one function that moves money, the accounts it moves between, and the audit of it all."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from mostaql.core.exceptions import DomainError
from mostaql.wallet.models import Entry, LedgerAccount, Transfer

Kind = LedgerAccount.Kind


class InsufficientFunds(DomainError):
    pass


class IdempotencyConflict(DomainError):
    pass


def _account(**lookup) -> LedgerAccount:
    """Get or create an account; two requests creating the same one at once both get it."""
    try:
        return LedgerAccount.objects.get(**lookup)
    except LedgerAccount.DoesNotExist:
        try:
            with transaction.atomic():
                return LedgerAccount.objects.create(**lookup)
        except IntegrityError:
            return LedgerAccount.objects.get(**lookup)


def user_account(user, kind: str) -> LedgerAccount:
    assert kind in LedgerAccount.USER_KINDS
    return _account(owner=user, contract=None, kind=kind)


def escrow_account(contract) -> LedgerAccount:
    return _account(owner=None, contract=contract, kind=Kind.ESCROW)


def system_account(kind: str) -> LedgerAccount:
    assert kind in LedgerAccount.SYSTEM_KINDS
    return _account(owner=None, contract=None, kind=kind)


def _signature(legs) -> list[tuple[int, int]]:
    return sorted((account.pk, amount) for account, amount in legs)


def post_transfer(
    *,
    key: str,
    kind: str,
    legs: list[tuple[LedgerAccount, int]],
    contract=None,
    actor=None,
    memo: str = "",
) -> Transfer:
    """Move money: each leg is (account, signed cents); the legs must sum to zero.

    Locks every account it touches with SELECT … FOR UPDATE in ascending id order (so two transfers
    over the same accounts never deadlock), refuses any user or escrow balance that would go below
    zero, writes the entries and the new cached balances, all in one transaction.

    The key makes it idempotent: posting the same key again returns the first transfer, unchanged;
    the same key with other legs is refused.
    """
    legs = [(account, int(amount)) for account, amount in legs if amount]
    if len(legs) < 2 or sum(amount for _account, amount in legs) != 0:
        raise ValueError("A transfer needs two or more non-zero legs that sum to zero.")
    with transaction.atomic():
        existing = Transfer.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return _replayed(existing, kind, legs)
        ids = sorted({account.pk for account, _amount in legs})
        locked = {
            account.pk: account
            for account in LedgerAccount.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        }
        # Another request may have posted the same key while we waited for the locks.
        existing = Transfer.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return _replayed(existing, kind, legs)

        changes: dict[int, int] = defaultdict(int)
        for account, amount in legs:
            changes[account.pk] += amount
        for account_id, change in changes.items():
            account = locked[account_id]
            if not account.may_go_negative and account.balance_cents + change < 0:
                raise InsufficientFunds(_("There is not enough money in the balance for this."))

        try:
            with transaction.atomic():
                transfer = Transfer.objects.create(
                    idempotency_key=key, kind=kind, contract=contract, actor=actor, memo=memo[:200]
                )
        except IntegrityError:  # the same key committed by another transaction meanwhile
            return _replayed(Transfer.objects.get(idempotency_key=key), kind, legs)
        running = {account_id: locked[account_id].balance_cents for account_id in changes}
        entries = []
        for account, amount in legs:
            running[account.pk] += amount
            entries.append(
                Entry(
                    transfer=transfer,
                    account_id=account.pk,
                    amount_cents=amount,
                    balance_after_cents=running[account.pk],
                )
            )
        Entry.objects.bulk_create(entries)
        for account_id, change in changes.items():
            LedgerAccount.objects.filter(pk=account_id).update(balance_cents=F("balance_cents") + change)
            locked[account_id].balance_cents += change
        return transfer


def _replayed(transfer: Transfer, kind: str, legs) -> Transfer:
    recorded = sorted(transfer.entries.values_list("account_id", "amount_cents"))
    if transfer.kind != kind or recorded != _signature(legs):
        raise IdempotencyConflict(_("This request was already made with other details."))
    return transfer


@dataclass
class AuditReport:
    problems: list[str] = field(default_factory=list)
    transfers: int = 0
    accounts: int = 0

    @property
    def is_clean(self) -> bool:
        return not self.problems


def audit() -> AuditReport:
    """Every invariant of the ledger, checked against the entries themselves."""
    from mostaql.contracts.models import Contract

    report = AuditReport(transfers=Transfer.objects.count(), accounts=LedgerAccount.objects.count())
    unbalanced = Transfer.objects.annotate(total=Sum("entries__amount_cents"), legs=Count("entries")).filter(
        ~Q(total=0) | Q(legs__lt=2)
    )
    for transfer in unbalanced:
        report.problems.append(
            f"transfer {transfer.pk} ({transfer.idempotency_key}) sums to {transfer.total} "
            f"over {transfer.legs} entries"
        )
    for account in LedgerAccount.objects.annotate(total=Sum("entries__amount_cents")):
        if account.balance_cents != (account.total or 0):
            report.problems.append(
                f"account {account.pk} ({account}) caches {account.balance_cents} "
                f"but its entries sum to {account.total or 0}"
            )
        if account.balance_cents < 0 and not account.may_go_negative:
            report.problems.append(f"account {account.pk} ({account}) is negative: {account.balance_cents}")
    grand_total = LedgerAccount.objects.aggregate(total=Sum("balance_cents"))["total"] or 0
    if grand_total != 0:
        report.problems.append(f"all balances together sum to {grand_total}, not 0")
    finished = [
        Contract.Status.COMPLETED,
        Contract.Status.CANCELLED,
        Contract.Status.DECLINED,
        Contract.Status.WITHDRAWN,
    ]
    for account in LedgerAccount.objects.filter(kind=Kind.ESCROW, contract__status__in=finished).exclude(
        balance_cents=0
    ):
        report.problems.append(
            f"finished contract {account.contract_id} still holds {account.balance_cents} in escrow"
        )
    return report

"""The one function that moves money, the accounts it moves between, and the audit of it all."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

from django.db import IntegrityError, connections, router, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from mostaql.accounts.models import User
from mostaql.core.exceptions import DomainError
from mostaql.core.hooks import Hook
from mostaql.wallet.models import Entry, LedgerAccount, Transfer

Kind = LedgerAccount.Kind


class EscrowContract(Protocol):
    """What the wallet needs of a contract. Contracts sits above the wallet and calls it, so the
    wallet names the shape it uses instead of importing the model (docs/architecture.md)."""

    pk: int
    amount_cents: int
    client: User
    freelancer: User


class EscrowMilestone(Protocol):
    """A milestone, the unit a contract's escrow is funded, paid and refunded by."""

    pk: int
    amount_cents: int


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


def user_account(user: User, kind: str) -> LedgerAccount:
    if kind not in LedgerAccount.USER_KINDS:
        raise ValueError(f"not a kind of user account: {kind!r}")
    return _account(owner=user, contract=None, kind=kind)


def escrow_account(contract: EscrowContract) -> LedgerAccount:
    return _account(owner=None, contract=contract, kind=Kind.ESCROW)


def system_account(kind: str) -> LedgerAccount:
    if kind not in LedgerAccount.SYSTEM_KINDS:
        raise ValueError(f"not a kind of system account: {kind!r}")
    return _account(owner=None, contract=None, kind=kind)


def _signature(legs) -> list[tuple[int, int]]:
    return sorted((account.pk, amount) for account, amount in legs)


def post_transfer(
    *,
    key: str,
    kind: str,
    legs: list[tuple[LedgerAccount, int]],
    contract: EscrowContract | None = None,
    actor: User | None = None,
    memo: str = "",
    now: datetime.datetime | None = None,
) -> Transfer:
    """Move money: each leg is (account, signed cents); the legs must sum to zero.

    Locks every account it touches with SELECT … FOR UPDATE in ascending id order (so two transfers
    over the same accounts never deadlock), refuses any user or escrow balance that would go below
    zero, writes the entries and the new cached balances, all in one transaction.

    The key makes it idempotent: posting the same key again returns the first transfer, unchanged;
    the same key with other legs is refused.

    Every movement of money runs through here, so it is written as four plain statements (lock,
    claim the key, entries, balances; the ORM's query building cost more than the database did).
    """
    legs = [(account, int(amount)) for account, amount in legs if amount]
    if len(legs) < 2 or sum(amount for _account, amount in legs) != 0:
        raise ValueError("A transfer needs two or more non-zero legs that sum to zero.")
    changes: dict[int, int] = defaultdict(int)
    for account, amount in legs:
        changes[account.pk] += amount
    ids = sorted(changes)
    alias = router.db_for_write(Transfer)
    connection = connections[alias]
    now = now or timezone.now()
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        locked = _lock_accounts(cursor, connection, ids)
        # Claiming the key after the locks: a transfer that committed it while we waited is found here.
        transfer_id = _claim_key(cursor, connection, key, kind, contract, actor, memo[:200], now)
        if transfer_id is None:
            return _replayed(Transfer.objects.using(alias).get(idempotency_key=key), kind, legs)
        for account_id, change in changes.items():
            balance, account_kind = locked[account_id]
            if account_kind not in LedgerAccount.MAY_GO_NEGATIVE_KINDS and balance + change < 0:
                raise InsufficientFunds(_("There is not enough money in the balance for this."))
        running = {account_id: balance for account_id, (balance, _kind) in locked.items()}
        rows = []
        for account, amount in legs:
            running[account.pk] += amount
            rows.append((transfer_id, account.pk, amount, running[account.pk]))
        _insert_entries(cursor, connection, rows)
        _add_to_balances(cursor, connection, changes)
    transfer = Transfer(
        id=transfer_id,
        idempotency_key=key,
        kind=kind,
        contract=contract,
        actor=actor,
        memo=memo[:200],
        created_at=now,
    )
    transfer._state.adding, transfer._state.db = False, alias
    return transfer


def _table(model, connection) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _lock_accounts(cursor, connection, ids: list[int]) -> dict[int, tuple[int, str]]:
    """{id: (balance, kind)} of the accounts, locked in ascending id order."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    cursor.execute(
        f"SELECT id, balance_cents, kind FROM {_table(LedgerAccount, connection)} "
        f"WHERE id IN ({', '.join(['%s'] * len(ids))}) ORDER BY id ASC{lock}",
        ids,
    )
    locked = {account_id: (balance, kind) for account_id, balance, kind in cursor.fetchall()}
    if len(locked) != len(ids):
        raise LedgerAccount.DoesNotExist(f"Unknown ledger accounts among {ids}.")
    return locked


def _claim_key(cursor, connection, key, kind, contract, actor, memo, now) -> int | None:
    """Insert the transfer under its key; None when the key is taken (the first transfer stands)."""
    cursor.execute(
        f"INSERT INTO {_table(Transfer, connection)} "
        "(idempotency_key, kind, contract_id, actor_id, memo, created_at) VALUES (%s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
        [
            key,
            kind,
            contract.pk if contract is not None else None,
            actor.pk if actor is not None else None,
            memo,
            connection.ops.adapt_datetimefield_value(now),
        ],
    )
    row = cursor.fetchone()
    return row[0] if row else None


def _insert_entries(cursor, connection, rows: list[tuple[int, int, int, int]]) -> None:
    cursor.execute(
        f"INSERT INTO {_table(Entry, connection)} "
        "(transfer_id, account_id, amount_cents, balance_after_cents) VALUES "
        + ", ".join(["(%s, %s, %s, %s)"] * len(rows)),
        [value for row in rows for value in row],
    )


def _add_to_balances(cursor, connection, changes: dict[int, int]) -> None:
    """The one place that writes a cached balance (the CheckConstraint still guards it)."""
    cases = " ".join(["WHEN %s THEN %s"] * len(changes))
    cursor.execute(
        f"UPDATE {_table(LedgerAccount, connection)} SET balance_cents = balance_cents + "
        f"CASE id {cases} END WHERE id IN ({', '.join(['%s'] * len(changes))})",
        [value for pair in changes.items() for value in pair] + list(changes),
    )


def _replayed(transfer: Transfer, kind: str, legs) -> Transfer:
    recorded = sorted(transfer.entries.values_list("account_id", "amount_cents"))
    if transfer.kind != kind or recorded != _signature(legs):
        raise IdempotencyConflict(_("This request was already made with other details."))
    return transfer


# Checks of the apps above the wallet that own what the money is for: each returns its problems as
# lines. Contracts registers "a finished contract holds no escrow" (ContractsConfig.ready).
audit_checks = Hook("ledger.audit_checks")


@dataclass
class AuditReport:
    problems: list[str] = field(default_factory=list)
    transfers: int = 0
    accounts: int = 0

    @property
    def is_clean(self) -> bool:
        return not self.problems


def audit() -> AuditReport:
    """Every invariant of the ledger, checked against the entries themselves, then `audit_checks`."""
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
    for problems in audit_checks():
        report.problems.extend(problems)
    return report

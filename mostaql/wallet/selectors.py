"""Reads behind the wallet and finance pages."""

from collections.abc import Iterable

from django.db.models import QuerySet, Sum

from mostaql.accounts.models import User
from mostaql.wallet.models import Entry, IdentityVerification, LedgerAccount, PendingEarning, Withdrawal

Kind = LedgerAccount.Kind


def statement(user: User, *, kinds: Iterable[str] = (Kind.AVAILABLE,)) -> QuerySet[Entry]:
    """The entries of the person's accounts of `kinds`, newest first, with their transfers (one query).

    The page shows the available balance, whose running balance is what a person can spend; the CSV
    export has every account.
    """
    return (
        Entry.objects.filter(account__owner=user, account__kind__in=list(kinds))
        .select_related("transfer", "account", "transfer__contract__project")
        .order_by("-transfer__created_at", "-id")
    )


def pending_earnings(user: User) -> QuerySet[PendingEarning]:
    return PendingEarning.objects.filter(freelancer=user, clearance__isnull=True).select_related(
        "contract__project"
    )


def finance_totals() -> dict[str, int]:
    totals = dict(
        LedgerAccount.objects.values_list("kind")
        .annotate(total=Sum("balance_cents"))
        .values_list("kind", "total")
    )
    return {kind: totals.get(kind, 0) for kind in Kind.values}


def withdrawal_queue() -> QuerySet[Withdrawal]:
    return (
        Withdrawal.objects.filter(status=Withdrawal.Status.REQUESTED)
        .select_related("user")
        .order_by("created_at")
    )


def identity_queue() -> QuerySet[IdentityVerification]:
    return (
        IdentityVerification.objects.filter(status=IdentityVerification.Status.PENDING)
        .select_related("user")
        .order_by("created_at")
    )

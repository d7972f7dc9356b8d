"""The ledger benchmark's workload: wallets funded through the real deposit path, then two-leg
transfers of $1 between each wallet's available balance and its withdrawal hold, as fast as they go."""

import time
from collections.abc import Callable

from django.core.management.base import CommandError
from django.db import connection, connections

from mostaql.accounts.models import User
from mostaql.benchmarks.harness import percentile
from mostaql.wallet import ledger, services, webhooks
from mostaql.wallet.gateways.sandbox import SUCCEEDING_CARD, SandboxGateway
from mostaql.wallet.models import Deposit, LedgerAccount, Transfer

EMAIL_DOMAIN = "ledger.bench.mostaql.test"
OPENING_CENTS = 1_000_00
AMOUNT_CENTS = 1_00
WARM_UP_TRANSFERS = 50
Kind = LedgerAccount.Kind


def funded_wallets(count: int, *, say: Callable[[str], None]) -> list[tuple[int, int]]:
    """`count` wallets funded through the real deposit path; (available id, hold id) each."""
    began = time.monotonic()
    users = list(User.objects.filter(email__endswith="@" + EMAIL_DOMAIN).order_by("pk")[:count])
    for number in range(len(users), count):
        users.append(
            User.objects.create_user(
                email=f"wallet{number:05d}@{EMAIL_DOMAIN}", name=f"محفظة تجريبية {number}"
            )
        )
    gateway = SandboxGateway()
    funded = set(
        Deposit.objects.filter(user__in=users, status=Deposit.Status.SUCCEEDED).values_list(
            "user_id", flat=True
        )
    )
    for user in users:
        if user.pk in funded:
            continue
        deposit = services.start_deposit(user=user, amount_cents=OPENING_CENTS)
        body, signature = gateway.charge(deposit, SUCCEEDING_CARD)
        if webhooks.handle(gateway_name=gateway.name, body=body, signature=signature) != "processed":
            raise CommandError(f"the deposit of wallet {user.email} was not processed")
    wallets = [
        (ledger.user_account(user, Kind.AVAILABLE).pk, ledger.user_account(user, Kind.WITHDRAWAL_HOLD).pk)
        for user in users
    ]
    say(
        f"{count} wallets ready ({count - len(funded)} funded now with "
        f"${OPENING_CENTS // 100:,} each through the sandbox webhook) in {time.monotonic() - began:.1f}s"
    )
    return wallets


# --- The measured loop (also the body of each worker) ----------------------------------------------


def post_for(
    wallets: list[tuple[int, int]], seconds: float, key_prefix: str, barrier=None, synchronous_commit=""
) -> dict:
    """Post transfers over `wallets` ((available id, hold id) pairs) for `seconds`.

    Wallet after wallet, $1 goes from available to the hold, and on the next round back: every
    transfer touches two accounts of one wallet, and no other worker touches them. Returns the count,
    each transfer's latency in seconds, and when the loop started and ended (time.monotonic, which
    is one clock for every process of the machine).
    """
    if synchronous_commit:  # one of SYNCHRONOUS_COMMIT, checked by the option's choices
        with connection.cursor() as cursor:
            cursor.execute(f"SET synchronous_commit = {synchronous_commit}")
    accounts = {
        account.pk: account
        for account in LedgerAccount.objects.filter(pk__in=[pk for pair in wallets for pk in pair])
    }
    held = dict.fromkeys(range(len(wallets)), False)

    def post_one(number: int) -> None:
        index = number % len(wallets)
        available, hold = (accounts[pk] for pk in wallets[index])
        out = not held[index]
        ledger.post_transfer(
            key=f"{key_prefix}:{number}",
            kind=Transfer.Kind.WITHDRAW if out else Transfer.Kind.WITHDRAW_REFUSED,
            legs=[
                (available, -AMOUNT_CENTS if out else AMOUNT_CENTS),
                (hold, AMOUNT_CENTS if out else -AMOUNT_CENTS),
            ],
            memo="bench_ledger",
        )
        held[index] = out

    for number in range(WARM_UP_TRANSFERS):  # the connection, the ORM's caches
        post_one(number)
    if barrier is not None:
        barrier.wait()
    latencies = []
    number = 1_000_000_000  # keys after the warm-up's
    started = time.monotonic()
    deadline = started + seconds
    while time.monotonic() < deadline:
        began = time.perf_counter()
        post_one(number)
        latencies.append(time.perf_counter() - began)
        number += 1
    ended = time.monotonic()
    # Bring back what is still held, so the wallets start the next run as they were.
    for index, is_held in list(held.items()):
        if is_held:
            available, hold = (accounts[pk] for pk in wallets[index])
            ledger.post_transfer(
                key=f"{key_prefix}:back:{index}",
                kind=Transfer.Kind.WITHDRAW_REFUSED,
                legs=[(hold, -AMOUNT_CENTS), (available, AMOUNT_CENTS)],
                memo="bench_ledger",
            )
            held[index] = False
    return {"count": len(latencies), "latencies": latencies, "started": started, "ended": ended}


def process_worker(wallets, seconds, key_prefix, barrier, results, synchronous_commit) -> None:
    """One forked worker: its own connection (the parent closed its own before forking)."""
    try:
        results.put(post_for(wallets, seconds, key_prefix, barrier, synchronous_commit))
    except BaseException as error:
        barrier.abort()
        results.put({"error": f"{type(error).__name__}: {error}"})
    finally:
        connections.close_all()


# --- Figures --------------------------------------------------------------------------------------


def summary(results: list[dict]) -> dict:
    count = sum(result["count"] for result in results)
    span = max(result["ended"] for result in results) - min(result["started"] for result in results)
    latencies = [latency for result in results for latency in result["latencies"]]
    return {
        "count": count,
        "seconds": span,
        "per_second": count / span if span > 0 else 0.0,
        "p50_ms": 1000 * percentile(latencies, 0.50),
        "p95_ms": 1000 * percentile(latencies, 0.95),
        "per_worker": [result["count"] / (result["ended"] - result["started"]) for result in results],
    }

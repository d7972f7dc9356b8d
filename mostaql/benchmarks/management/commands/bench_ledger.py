"""The ledger benchmark (issue 4, "Performance"), on PostgreSQL: `make bench-ledger` runs it.

1. A database of its own: `mostaql_bench_ledger` on the server of DATABASE_URL (or DATABASE_URL's own
   database when its name contains "bench"), created from template0 in UTF-8 when missing, then migrated.
2. N wallets (200 by default), each funded with $1,000 through the real path: a deposit, the sandbox
   gateway's signed webhook, webhooks.handle. A second run reuses them.
3. Transfers per second of ledger.post_transfer, the one function that moves money: two-leg transfers
   between a wallet's available balance and its withdrawal hold ($1 out, then back), each under a
   unique key. First single-threaded, then with 4 concurrent workers, each on wallets of its own.

Workers are processes by default: post_transfer spends most of its time in Python (the ORM building
and reading queries), and threads of one process share the GIL, so 4 threads measure little more
than one core. Processes (forked, each with its own connection) use both cores, as 4 gunicorn sync
workers would. `--mode threads` measures threads instead (each with its own connection).

It prints the figures, p50/p95 latency per transfer, whether the goal (at least 1,000 transfers/s
with 4 workers) is met, and the ledger audit. It never fails on timing. `--profile` adds a cProfile
of the single-threaded loop and the SQL that one transfer sends.
"""

import cProfile
import io
import multiprocessing
import os
import pstats
import threading
import uuid

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from mostaql.benchmarks.database import ensure_database
from mostaql.benchmarks.harness import Progress
from mostaql.benchmarks.transfers import AMOUNT_CENTS, funded_wallets, post_for, process_worker, summary
from mostaql.wallet import ledger
from mostaql.wallet.models import LedgerAccount, Transfer

DEFAULT_DATABASE = "mostaql_bench_ledger"
GOAL_PER_SECOND = 1_000
SYNCHRONOUS_COMMIT = ["on", "off", "local", "remote_write", "remote_apply"]


class Command(BaseCommand):
    help = (
        "Benchmark ledger.post_transfer on PostgreSQL: transfers per second single-threaded and with "
        "4 concurrent workers, p50/p95 latency, the goal (1,000/s with 4 workers), and the ledger audit."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wallets", type=int, default=200, help="wallets to create and use (200)")
        parser.add_argument("--seconds", type=float, default=5.0, help="length of each measurement (5)")
        parser.add_argument("--workers", type=int, default=4, help="concurrent workers (4)")
        parser.add_argument(
            "--mode",
            choices=["processes", "threads"],
            default="processes",
            help="what a concurrent worker is: a forked process (default; no shared GIL) or a thread",
        )
        parser.add_argument(
            "--database",
            default="",
            help=f"database to use on DATABASE_URL's server (default: {DEFAULT_DATABASE}, or DATABASE_URL's "
            "own database when its name contains 'bench'); its name must contain 'bench'",
        )
        parser.add_argument("--reset", action="store_true", help="drop and recreate the database first")
        parser.add_argument(
            "--profile", action="store_true", help="also profile the single-threaded loop (cProfile)"
        )
        parser.add_argument(
            "--synchronous-commit",
            choices=SYNCHRONOUS_COMMIT,
            default="",
            help="diagnosis only: set PostgreSQL's synchronous_commit for the measured sessions, e.g. "
            "'off' to see the figures without waiting for each commit's WAL flush (default: the server's)",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "The ledger benchmark runs on PostgreSQL only: set DATABASE_URL, e.g. "
                f"postgres://postgres@127.0.0.1:5432/{DEFAULT_DATABASE} (`make bench-ledger` does)."
            )
        if options["wallets"] < 2 * options["workers"] or options["workers"] < 1:
            raise CommandError("Use at least one worker and two wallets per worker.")
        # Production runs with DEBUG off; with it on, Django would also keep a log of every query.
        settings.DEBUG = False
        self.say = Progress(self.stdout)
        self.synchronous_commit = options["synchronous_commit"]
        name = self._use_database(options["database"])
        ensure_database(name, say=self.say, reset=options["reset"])
        self.say(f"database {name!r}: migrating")
        try:
            call_command("migrate", interactive=False, verbosity=0)
        except Exception as error:
            raise CommandError(f"migrating {name!r} failed: {type(error).__name__}: {error}") from error
        self._describe_server()
        self.say(f"load average of the machine before: {self._load()}")

        wallets = funded_wallets(options["wallets"], say=self.say)
        run = uuid.uuid4().hex[:10]
        seconds, workers = options["seconds"], options["workers"]

        self.say(f"single-threaded: {seconds:g}s over {len(wallets)} wallets")
        single = summary([post_for(wallets, seconds, f"bench:{run}:single", None, self.synchronous_commit)])
        self._show("single-threaded", single)

        self.say(
            f"{workers} concurrent workers ({options['mode']}): {seconds:g}s, each on wallets of its own"
        )
        shares = [wallets[worker::workers] for worker in range(workers)]
        if options["mode"] == "processes":
            results = self._in_processes(shares, seconds, f"bench:{run}:p")
        else:
            results = self._in_threads(shares, seconds, f"bench:{run}:t")
        concurrent = summary(results)
        self._show(f"{workers} workers", concurrent)

        if options["profile"]:
            self._profile(wallets, min(seconds, 3.0), f"bench:{run}:profile")

        self.say("ledger audit")
        report = ledger.audit()
        self._summary(options, single, concurrent, report)

    # --- The database ---------------------------------------------------------------------------

    def _use_database(self, wanted: str) -> str:
        configured = connection.settings_dict["NAME"]
        name = wanted or (configured if "bench" in configured else DEFAULT_DATABASE)
        if "bench" not in name:
            raise CommandError(
                f"Refusing to write benchmark transfers into {name!r}: its name lacks 'bench'."
            )
        if name != configured:
            connections.close_all()
            settings.DATABASES["default"]["NAME"] = name
            connection.settings_dict["NAME"] = name
        return name

    @staticmethod
    def _load() -> str:
        try:
            return " ".join(f"{figure:.2f}" for figure in os.getloadavg())
        except OSError:
            return "unknown"

    def _describe_server(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('server_version'), current_setting('synchronous_commit'), "
                "current_setting('fsync'), current_setting('shared_buffers')"
            )
            version, synchronous_commit, fsync, shared_buffers = cursor.fetchone()
        self.say(
            f"PostgreSQL {version}: synchronous_commit={synchronous_commit}, fsync={fsync}, "
            f"shared_buffers={shared_buffers}"
        )

    # --- Concurrent workers ---------------------------------------------------------------------

    def _in_processes(self, shares, seconds: float, key_prefix: str) -> list[dict]:
        if "fork" not in multiprocessing.get_all_start_methods():
            self.stderr.write("no fork() on this system: the workers are threads instead")
            return self._in_threads(shares, seconds, key_prefix)
        context = multiprocessing.get_context("fork")
        barrier = context.Barrier(len(shares))
        results = context.Queue()
        connections.close_all()  # a forked child must never use its parent's connection
        processes = [
            context.Process(
                target=process_worker,
                args=(share, seconds, f"{key_prefix}{index}", barrier, results, self.synchronous_commit),
            )
            for index, share in enumerate(shares)
        ]
        for process in processes:
            process.start()
        collected = [results.get(timeout=seconds + 120) for _process in processes]
        for process in processes:
            process.join(30)
        return self._checked(collected)

    def _in_threads(self, shares, seconds: float, key_prefix: str) -> list[dict]:
        barrier = threading.Barrier(len(shares))
        collected: list[dict] = []

        def work(index: int, share) -> None:
            try:
                collected.append(
                    post_for(share, seconds, f"{key_prefix}{index}", barrier, self.synchronous_commit)
                )
            except BaseException as error:
                barrier.abort()
                collected.append({"error": f"{type(error).__name__}: {error}"})
            finally:
                connection.close()

        threads = [threading.Thread(target=work, args=(index, share)) for index, share in enumerate(shares)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(seconds + 120)
        return self._checked(collected)

    def _checked(self, collected: list[dict]) -> list[dict]:
        errors = [result["error"] for result in collected if "error" in result]
        if errors:
            raise CommandError("a worker failed: " + "; ".join(errors))
        return collected

    # --- Profile --------------------------------------------------------------------------------

    def _profile(self, wallets, seconds: float, key_prefix: str) -> None:
        self.say("the SQL of one transfer")
        available, hold = (LedgerAccount.objects.get(pk=pk) for pk in wallets[0])
        with CaptureQueriesContext(connection) as queries:
            ledger.post_transfer(
                key=f"{key_prefix}:sql",
                kind=Transfer.Kind.WITHDRAW,
                legs=[(available, -AMOUNT_CENTS), (hold, AMOUNT_CENTS)],
                memo="bench_ledger",
            )
        ledger.post_transfer(
            key=f"{key_prefix}:sql:back",
            kind=Transfer.Kind.WITHDRAW_REFUSED,
            legs=[(hold, -AMOUNT_CENTS), (available, AMOUNT_CENTS)],
            memo="bench_ledger",
        )
        for query in queries.captured_queries:
            self.stdout.write(f"    {query['sql'][:160]}")
        self.stdout.write(f"  {len(queries)} statements per transfer (BEGIN is implicit in psycopg)")

        self.say(f"cProfile of the single-threaded loop, {seconds:g}s")
        profiler = cProfile.Profile()
        profiler.enable()
        result = post_for(wallets, seconds, key_prefix, None, self.synchronous_commit)
        profiler.disable()
        self.stdout.write(f"  ({result['count']} transfers under the profiler)")
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(18)
            lines = out.getvalue().splitlines()
            start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
            self.stdout.write(f"  by {order}:")
            for line in lines[start:]:
                if line.strip():
                    self.stdout.write(f"    {line}")

    # --- Output ---------------------------------------------------------------------------------

    def _show(self, label: str, figures: dict) -> None:
        workers = ""
        if len(figures["per_worker"]) > 1:
            workers = " (per worker: " + ", ".join(f"{rate:,.0f}" for rate in figures["per_worker"]) + ")"
        self.say(
            f"{label}: {figures['count']:,} transfers in {figures['seconds']:.2f}s = "
            f"{figures['per_second']:,.0f}/s{workers}; p50 {figures['p50_ms']:.2f} ms, "
            f"p95 {figures['p95_ms']:.2f} ms"
        )

    def _summary(self, options, single: dict, concurrent: dict, report) -> None:
        workers = options["workers"]
        met = concurrent["per_second"] >= GOAL_PER_SECOND
        lines = [
            "",
            f"== ledger.post_transfer on PostgreSQL ({multiprocessing.cpu_count()} CPUs, "
            f"{options['wallets']} wallets, {options['seconds']:g}s each, load average {self._load()}"
            + (f", synchronous_commit={self.synchronous_commit}" if self.synchronous_commit else "")
            + ")",
            f"  single-threaded       {single['per_second']:>8,.0f} transfers/s   "
            f"p50 {single['p50_ms']:6.2f} ms   p95 {single['p95_ms']:6.2f} ms",
            f"  {workers} workers ({options['mode']:<9}) {concurrent['per_second']:>8,.0f} transfers/s   "
            f"p50 {concurrent['p50_ms']:6.2f} ms   p95 {concurrent['p95_ms']:6.2f} ms",
            f"  goal: at least {GOAL_PER_SECOND:,}/s with {workers} workers: "
            + ("met" if met else f"missed ({concurrent['per_second'] / GOAL_PER_SECOND:.0%} of it)"),
        ]
        if report.is_clean:
            lines.append(
                f"  ledger audit: clean ({report.transfers:,} transfers, {report.accounts:,} accounts)"
            )
        else:
            lines.append(f"  ledger audit: {len(report.problems)} problem(s)")
            lines.extend(f"    {problem}" for problem in report.problems[:20])
        for line in lines:
            self.stdout.write(line)

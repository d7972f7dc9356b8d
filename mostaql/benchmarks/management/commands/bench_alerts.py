"""The saved searches' benchmark (issue 14), on PostgreSQL: `make bench-alerts` runs it.

1. Matching: a batch of new projects (1,000) matched, in this one process, against 10,000, 50,000
   and 100,000 saved searches of realistic shapes (words from the page benchmark's queries and the
   catalogue, with categories, skills and budgets), by saved.matching.match_new_items: the time of
   each size, and how many distinct shapes and matches it found. The goal: 100,000 under 60 s.
2. The Atom feed: /projects/feed/ with several filters, through django.test.Client, p50 and p95 with
   the rendered feed cached (as most requests are) and with the cache emptied before each request.
   The goal: p95 under 20 ms.

It prints figures and never fails on timing.
"""

import random
import time

from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings

from mostaql.benchmarks.alerts import AlertsData, now
from mostaql.benchmarks.database import ensure_database
from mostaql.benchmarks.harness import Progress, percentile
from mostaql.core.cache import FRAGMENTS
from mostaql.saved.matching import match_new_items

GOAL_SECONDS = 60
GOAL_FEED_P95_MS = 20
FEEDS = [
    "/projects/feed/",
    "/projects/feed/?category=design",
    "/projects/feed/?q=تصميم+شعار",
    "/projects/feed/?q=متجر+الكتروني&category=programming",
    "/projects/feed/?skills=wordpress",
]


class Command(BaseCommand):
    help = "Match new projects against 10k/50k/100k saved searches and time the Atom feed, on PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("--searches", default="10000,50000,100000", help="sizes, ascending")
        parser.add_argument("--projects", type=int, default=1000, help="new projects in the batch (1,000)")
        parser.add_argument(
            "--background", type=int, default=20_000, help="older open projects, for the feed (20,000)"
        )
        parser.add_argument("--requests", type=int, default=200, help="timed requests per feed (200)")
        parser.add_argument("--seed", type=int, default=14)
        parser.add_argument("--allow-any-database", action="store_true")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("PostgreSQL only: set DATABASE_URL (make bench-alerts does).")
        name = connection.settings_dict["NAME"]
        if "bench" not in name and not options["allow_any_database"]:
            raise CommandError(f"Refusing to write into {name!r}: its name does not contain 'bench'.")
        sizes = sorted(int(size) for size in options["searches"].split(","))
        say = Progress(self.stdout)
        ensure_database(name, say=say)
        call_command("migrate", interactive=False, verbosity=0)
        data = AlertsData(say, random.Random(options["seed"]))
        say("deleting the rows of an earlier run")
        data.delete()
        started = time.monotonic()
        data.projects(options["background"], published=now(), spread_days=60)
        batch = data.projects(options["projects"], published=now())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        say(
            f"{options['background']:,} older and {len(batch):,} new projects "
            f"in {time.monotonic() - started:.1f}s"
        )

        figures = []
        for size in sizes:
            data.top_up_searches(size)
            data.forget_matches(batch)
            started = time.monotonic()
            run = match_new_items(list_name="projects", ids=batch)
            seconds = time.monotonic() - started
            figures.append((size, seconds, run))
            say(
                f"{run.searches:,} saved searches ({run.shapes:,} shapes) × {run.items:,} new projects: "
                f"{seconds:.2f}s, {run.matches:,} matches for {len(run.user_ids):,} people"
            )

        feeds = self._feeds(options["requests"])
        self.stdout.write("\nMatching (one process, PostgreSQL):")
        self.stdout.write("  saved searches   shapes   seconds   per 1,000 searches   matches")
        for size, seconds, run in figures:
            self.stdout.write(
                f"  {size:>14,}   {run.shapes:>6,}   {seconds:>7.2f}   "
                f"{1000 * seconds / size:>18.3f}   {run.matches:>9,}"
            )
        last = figures[-1]
        verdict = "meets" if last[1] < GOAL_SECONDS else "MISSES"
        self.stdout.write(f"  {last[0]:,} searches: {last[1]:.2f}s, {verdict} the goal of {GOAL_SECONDS}s")
        self.stdout.write("\nAtom feed (server time, ms):            cached p50/p95     cold p50/p95")
        for path, cached, cold in feeds:
            self.stdout.write(
                f"  {path:<40} {percentile(cached, 0.5):>6.1f} / {percentile(cached, 0.95):>5.1f}"
                f"   {percentile(cold, 0.5):>6.1f} / {percentile(cold, 0.95):>5.1f}"
            )
        worst = max(percentile(cold, 0.95) for _path, _cached, cold in feeds)
        verdict = "meets" if worst < GOAL_FEED_P95_MS else "MISSES"
        self.stdout.write(f"  worst cold p95 {worst:.1f} ms: {verdict} the goal of {GOAL_FEED_P95_MS} ms")

    def _feeds(self, requests: int) -> list:
        client = Client()
        results = []
        with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            for path in FEEDS:
                assert client.get(path).status_code == 200, path
                cached, cold = [], []
                for _number in range(requests):
                    started = time.perf_counter()
                    client.get(path)
                    cached.append(1000 * (time.perf_counter() - started))
                for _number in range(requests):
                    caches[FRAGMENTS].clear()
                    started = time.perf_counter()
                    client.get(path)
                    cold.append(1000 * (time.perf_counter() - started))
                results.append((path, cached, cold))
        return results

"""The benchmark of the project and service pages (DESIGN.md §6, issues 3 and 11), on PostgreSQL: `make
bench` runs it.

1. Data, once per database: N projects and M offers (100,000 and 1,000,000 by default) with Arabic
   texts, 100,000 services and 1,000,000 orders of them (mostaql/benchmarks/gigs.py), written by
   COPY. Every generated row belongs to a user whose e-mail ends with
   @bench.mostaql.test, which is how a second run finds them (and --reset deletes them).
2. Server times: each page N times in this process through django.test.Client (the whole middleware
   stack, DEBUG off), with p50, p95 and the number of SQL queries.
3. Throughput: gunicorn (sync workers) on a free loopback port, loaded by wrk, or by a small Python
   load generator where wrk is missing; the project list beside a view that returns 200 fixed bytes.

It prints figures and never fails on timing: the goals (p95 under 50 ms; the list at least 25% of
the fixed view's throughput) are compared, not enforced.
"""

import os
import random
import secrets
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mostaql.benchmarks.corpus import SEARCHES, SHOWCASE_TITLE
from mostaql.benchmarks.database import ensure_database
from mostaql.benchmarks.generator import BENCH_DOMAIN, SHOWCASE_OFFERS, Generator
from mostaql.benchmarks.gigs import SHOWCASE_SERVICE_TITLE, ServiceGenerator
from mostaql.benchmarks.harness import Gunicorn, OtherCpu, Progress, load, percentile, rate
from mostaql.catalog.models import Skill
from mostaql.core.cache import FRAGMENTS
from mostaql.gigs import services as gig_services
from mostaql.gigs.models import Service
from mostaql.projects import services
from mostaql.projects.models import Budget, Project
from mostaql.reviews.models import Review

GOAL_P95_MS = 50
GOAL_RATIO = 0.25


class Command(BaseCommand):
    help = (
        "Generate projects and offers at a stated scale in a PostgreSQL benchmark database, then print "
        "server times (p50/p95) of the project pages and the list's throughput under gunicorn."
    )

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=100_000, help="projects to generate (100,000)")
        parser.add_argument("--offers", type=int, default=1_000_000, help="offers to generate (1,000,000)")
        parser.add_argument("--services", type=int, default=100_000, help="services to generate (100,000)")
        parser.add_argument(
            "--orders",
            type=int,
            default=1_000_000,
            help="service orders to generate, 50 of them reviewed on the service page measured (1,000,000)",
        )
        parser.add_argument(
            "--reset", action="store_true", help="delete the generated rows and make them anew"
        )
        parser.add_argument("--requests", type=int, default=200, help="timed requests per page (200)")
        parser.add_argument(
            "--duration", type=float, default=10.0, help="seconds of load per throughput figure"
        )
        parser.add_argument(
            "--workers",
            default="auto",
            help="gunicorn workers: a number, or 'auto' to measure 2 and 3 (auto)",
        )
        parser.add_argument(
            "--load-generator",
            choices=["auto", "wrk", "python"],
            default="auto",
            help="wrk where installed, else a Python load generator (auto)",
        )
        parser.add_argument("--no-throughput", action="store_true", help="skip the gunicorn measurements")
        parser.add_argument("--seed", type=int, default=2024, help="random seed of the generated data")
        parser.add_argument(
            "--allow-any-database",
            action="store_true",
            help="write to a database whose name does not contain 'bench' (refused otherwise)",
        )

    # --- Orchestration --------------------------------------------------------------------------

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "The benchmark runs on PostgreSQL only: set DATABASE_URL, e.g. "
                "postgres://postgres@127.0.0.1:5432/mostaql_bench (`make bench` does)."
            )
        name = connection.settings_dict["NAME"]
        if "bench" not in name and not options["allow_any_database"]:
            raise CommandError(
                f"Refusing to write {options['projects']:,} projects into the database {name!r}: its name "
                "does not contain 'bench'. Point DATABASE_URL at a benchmark database, or pass "
                "--allow-any-database."
            )
        if options["projects"] < 10 or options["offers"] < SHOWCASE_OFFERS:
            raise CommandError(f"Generate at least 10 projects and {SHOWCASE_OFFERS} offers.")
        self.say = Progress(self.stdout)
        ensure_database(name, say=self.say)
        self.say(f"database {name!r}: migrating")
        call_command("migrate", interactive=False, verbosity=0)
        self._check_ctype()

        generator = Generator(self.say)
        if options["reset"]:  # the services point at the generated users: they go first
            ServiceGenerator(self.say).delete()
        generation = generator.prepare(
            projects=options["projects"],
            offers=options["offers"],
            reset=options["reset"],
            seed=options["seed"],
        )
        service_generation = ServiceGenerator(self.say).prepare(
            services=options["services"],
            orders=options["orders"],
            reset=options["reset"],
            seed=options["seed"],
        )
        generation["services"] = service_generation
        showcase = Project.objects.get(owner__email__endswith="@" + BENCH_DOMAIN, title=SHOWCASE_TITLE)
        counts = generator.counts()
        counts.update(ServiceGenerator(self.say).counts())
        self.say(
            f"data: {counts['projects']:,} projects ({counts['open']:,} open), {counts['offers']:,} offers, "
            f"{counts['services']:,} services ({counts['approved']:,} published), "
            f"{counts['orders']:,} orders ({counts['reviews']:,} reviewed), "
            f"{counts['users']:,} users; the project page measured is #{showcase.pk} "
            f"({showcase.offer_count} offers)"
        )

        with OtherCpu() as self.others_times:
            server_times = self._server_times(showcase, options["requests"])
        throughput = None
        if not options["no_throughput"]:
            with OtherCpu() as self.others_load:
                throughput = self._throughput(options)
        self._summary(options, generation, counts, server_times, throughput)
        failed = [result["label"] for result in server_times if "error" in result]
        if failed:
            raise CommandError(f"{len(failed)} page(s) failed (not a timing): {', '.join(failed)}")

    def _check_ctype(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
            (ctype,) = cursor.fetchone()
        if ctype in ("C", "POSIX"):
            self.stderr.write(
                f"warning: this database has LC_CTYPE {ctype!r}: trigram matching finds nothing in Arabic, "
                "so the search figures are not meaningful. Recreate it with LC_CTYPE C.UTF-8."
            )

    # --- Server times ---------------------------------------------------------------------------

    def _server_times(self, showcase: Project, requests: int) -> list[dict]:
        """Each page `requests` times in this process, DEBUG off, through the whole middleware stack."""
        skills_of = defaultdict(list)
        for category, skill in Skill.objects.values_list("category__slug", "slug"):
            skills_of[category].append(skill)
        rng = random.Random(7)
        pages = [""] + [f"?page={page}" for page in range(2, 11)]
        filtered = []  # the first one, measured for its queries, is the commonest: one category
        for index in range(60):
            category = rng.choice(sorted(skills_of))
            params = {"category": category}
            if index % 2:
                params["budget"] = rng.choice(Budget.values)
            if index % 3 == 2:
                params["skills"] = rng.choice(skills_of[category])
            if index % 4 == 3:
                params["posted"] = rng.choice(["day", "week", "month"])
            if index % 5 == 4:
                params["sort"] = "fewest_offers"
            if index % 6 == 5:
                params["page"] = 2
            filtered.append("?" + urlencode(params))
        searches = {
            kind: [f"/projects/?{urlencode({'q': query})}" for query in queries]
            for kind, queries in SEARCHES.items()
        }
        searches["exact"] += [
            f"/projects/?{urlencode({'q': query, 'page': 2})}" for query in SEARCHES["exact"][:5]
        ]
        detail = showcase.get_absolute_url()
        # What is emptied before each request: "results" retires the cached list results (as any change to a
        # project does; the filter menus, which change only with the catalog, stay); "all" empties every
        # rendered fragment (results, menus, offer cards), as after a restart.
        listing = ["/projects/" + p for p in pages]
        plan = [
            ("list", "project list, pages 1-10 (results not cached)", listing, "results"),
            ("list_cached", "project list, page 1 (cached results)", ["/projects/"], None),
            ("list_cold", "project list, pages 1-10 (nothing cached)", listing, "all"),
            (
                "filtered",
                "filtered list, 60 filter combinations (results not cached)",
                [f"/projects/{q}" for q in filtered],
                "results",
            ),
            *(
                (
                    f"search_{kind}",
                    f"keyword search, {kind}, most relevant first ({len(urls)} URLs, not cached)",
                    urls,
                    "results",
                )
                for kind, urls in searches.items()
            ),
            ("detail", f"project page, 50 offers, anonymous (#{showcase.pk})", [detail], None),
            ("detail_cold", "project page, 50 offers, anonymous (no card cached)", [detail], "all"),
            ("detail_owner", "project page, 50 offers, seen by its owner", [detail], None),
            ("detail_owner_cold", "project page, 50 offers, its owner (no card cached)", [detail], "all"),
            *self._services_plan(skills_of, rng),
        ]
        results = []
        self._search_index_sizes()
        self.say(f"server times: {requests} requests a page, in-process (django.test.Client, DEBUG=False)")
        with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            for key, label, urls, clear in plan:
                client = Client()
                if key.startswith("detail_owner"):
                    client.force_login(showcase.owner)
                try:
                    results.append(self._time_page(client, key, label, urls, clear, requests))
                except Exception as error:  # a broken page is reported, and the other pages still run
                    self.stderr.write(f"  {label}: FAILED: {type(error).__name__}: {error}")
                    results.append({"key": key, "label": label, "error": f"{type(error).__name__}: {error}"})
        return results

    def _services_plan(self, skills_of: dict, rng: random.Random) -> list[tuple]:
        """The services market's pages; the list's results not cached (its filter menus are), as the
        project list's are measured, and once cached."""
        filtered = []
        for index in range(60):
            category = rng.choice(sorted(skills_of))
            params = {"category": category}
            if index % 2:
                params["delivery"] = rng.choice(["1", "3", "7"])
            if index % 3 == 2:
                params["skill"] = rng.choice(skills_of[category])
            if index % 4 == 3:
                params["max_price"] = rng.choice(["10", "25", "50"])
            if index % 5 == 4:
                params["sort"] = rng.choice(["best_selling", "best_rated"])
            if index % 7 == 6:
                params["rating"] = "4"
            filtered.append("/services/?" + urlencode(params))
        searches = [
            f"/services/?{urlencode({'q': query})}" for query in SEARCHES["exact"] + SEARCHES["stemmed"]
        ]
        showcase = Service.objects.get(
            seller__email__endswith="@" + BENCH_DOMAIN, title=SHOWCASE_SERVICE_TITLE
        )
        listing = ["/services/"] + [f"/services/?page={page}" for page in range(2, 11)]
        sorted_lists = ["/services/?sort=best_selling", "/services/?sort=best_rated"]
        page = showcase.get_absolute_url()
        reviews = Review.objects.filter(contract__service_order__service=showcase).count()
        return [
            ("services_list", "services list, pages 1-10 (results not cached)", listing, "results"),
            ("services_list_cached", "services list, page 1 (cached results)", ["/services/"], None),
            (
                "services_sorted",
                "services list, best-selling and best-rated (not cached)",
                sorted_lists,
                "results",
            ),
            ("services_filtered", "services list, 60 filter combinations (not cached)", filtered, "results"),
            (
                "services_search",
                f"services search, most relevant first ({len(searches)} URLs)",
                searches,
                "results",
            ),
            (
                "service_page",
                f"service page, {reviews} reviews, anonymous (#{showcase.pk})",
                [page],
                None,
            ),
        ]

    def _search_index_sizes(self) -> None:
        vectors = ("search_vector", "search_title_vector", "search_title_stems_vector")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT "
                + ", ".join(f"pg_relation_size('projects_project_{vector}')" for vector in vectors)
                + ", "
                + ", ".join(
                    f"(SELECT sum(pg_column_size({vector})) FROM projects_project)" for vector in vectors
                )
                + ", pg_total_relation_size('core_searchword'), (SELECT count(*) FROM core_searchword)"
            )
            sizes = [value or 0 for value in cursor.fetchone()]
        mib = [f"{value / 2**20:.1f}" for value in sizes[:6]]
        self.say(
            f"search indexes (GIN, MiB): stems {mib[0]}, title words {mib[1]}, title stems {mib[2]}; "
            f"stored vectors (MiB): {mib[3]}, {mib[4]}, {mib[5]}; "
            f"vocabulary {sizes[7]:,} words, {sizes[6] / 2**20:.1f} MiB with its indexes"
        )

    def _time_page(self, client: Client, key: str, label: str, urls: list[str], clear, n: int) -> dict:
        def empty():
            if clear == "results":
                services.bump_list_version()
                gig_services.bump_list_version()
            elif clear == "all":
                caches[FRAGMENTS].clear()

        def get(url: str):
            empty()
            response = client.get(url, secure=True)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            return response

        for url in urls[:10]:  # warm the templates, the connection and PostgreSQL's buffers
            get(url)
        with CaptureQueriesContext(connection) as queries:
            response = get(urls[0])
        query_count, size = len(queries.captured_queries), len(response.content)
        times = []
        budget_ends = time.monotonic() + 60  # a slow page is cut short, not waited for
        for index in range(n):
            url = urls[index % len(urls)]
            empty()
            started = time.perf_counter()
            response = client.get(url, secure=True)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            if time.monotonic() > budget_ends:
                break
        result = {
            "key": key,
            "label": label,
            "n": len(times),
            "p50": percentile(times, 0.50),
            "p95": percentile(times, 0.95),
            "queries": query_count,
            "bytes": size,
        }
        self.say(
            f"  {label}: p50 {result['p50']:.1f} ms, p95 {result['p95']:.1f} ms, "
            f"{query_count} queries, {size / 1024:.0f} KiB ({result['n']} requests)"
        )
        return result

    # --- Throughput under gunicorn --------------------------------------------------------------

    def _throughput(self, options) -> dict | None:
        database_url = os.environ.get("DATABASE_URL")
        if not database_url:
            self.stderr.write("throughput skipped: DATABASE_URL is not in the environment for gunicorn")
            return None
        env = {
            **os.environ,
            "DEBUG": "False",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "BENCHMARK_ENDPOINTS": "True",
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        base_dir = Path(settings.BASE_DIR)
        self.say("throughput: collectstatic (production serves its own compressed static files)")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=base_dir,
            env=env,
            check=True,
        )
        wrk = shutil.which("wrk") if options["load_generator"] != "python" else None
        if options["load_generator"] == "wrk" and not wrk:
            raise CommandError("wrk is not installed (apt-get install wrk), or use --load-generator python")
        if wrk:
            tool = "wrk (1 thread)"
        else:
            reason = "as asked" if options["load_generator"] == "python" else "wrk is not installed"
            tool = f"a Python load generator (2 processes, keep-alive; {reason})"
        self.say(f"throughput: load from {tool}, on 127.0.0.1 only")
        duration = options["duration"]
        fixed, listing = "/bench/fixed/", "/projects/"
        # A page "number" never seen before (not a number: page 1): the results cache misses. Parameters
        # the list does not read make no new cache key.
        missed = "/projects/?page={token}-{n}"
        paths = {"fixed": fixed, "list": listing, "list_missed": missed, "services": "/services/"}

        if options["workers"] == "auto":
            probes = {}
            for workers in (2, 3):
                with Gunicorn(base_dir, env, workers) as server:
                    probes[workers] = rate([load(wrk, server.port, listing, min(duration, 4), workers)])
                self.say(
                    f"  probe: /projects/ with {workers} workers: {probes[workers]['rps']:,.0f} requests/s"
                )
            workers = max(probes, key=lambda w: probes[w]["rps"])
            chosen_by = "measured: " + ", ".join(f"{w} workers {p['rps']:,.0f}/s" for w, p in probes.items())
        else:
            workers, chosen_by = int(options["workers"]), "given"
        figures = {"tool": tool, "workers": workers, "chosen_by": chosen_by}
        # Interleaved in slices of about 2 s, so that a change in the machine's load hits all three alike.
        slices = max(1, round(duration / 2))
        runs = {key: [] for key in paths}
        with Gunicorn(base_dir, env, workers) as server:
            for _ in range(slices):
                for key, path in paths.items():
                    runs[key].append(load(wrk, server.port, path, duration / slices, workers))
        for key, path in paths.items():
            figures[key] = rate(runs[key])
            note = f" ({figures[key]['errors']} not 200)" if figures[key]["errors"] else ""
            self.say(f"  {path} with {workers} workers: {figures[key]['rps']:,.0f} requests/s{note}")
        return figures

    # --- Report ---------------------------------------------------------------------------------

    def _summary(self, options, generation, counts, server_times, throughput) -> None:
        out = self.stdout.write
        out("")
        out("=" * 78)
        out(
            f"Mostaql benchmark, {timezone.now():%Y-%m-%d}, {os.cpu_count()} cores, PostgreSQL "
            f"{connection.pg_version // 10000}, database {connection.settings_dict['NAME']!r}"
        )
        out(
            f"Data: {counts['projects']:,} projects ({counts['open']:,} open), {counts['offers']:,} offers, "
            f"{counts['services']:,} services ({counts['approved']:,} published), "
            f"{counts['orders']:,} orders ({counts['reviews']:,} reviewed), {counts['users']:,} users"
            + (
                f"; generated in {generation['total_seconds']:.0f}s "
                f"(rows {generation['write_seconds']:.0f}s, then VACUUM ANALYZE)"
                if generation.get("generated")
                else "; generated by an earlier run"
            )
        )
        for label, watch in (
            ("server times", self.others_times),
            ("throughput", getattr(self, "others_load", None)),
        ):
            if watch is not None and watch.share is not None:
                out(
                    f"Other processes on this machine used {watch.share:.0%} of its CPU during the {label} "
                    "(anything far above 0% lowers those figures)"
                )
        out("")
        out(f"Server times, in-process, {options['requests']} requests a page (goal: p95 < {GOAL_P95_MS} ms)")
        out(f"  {'page':<58} {'p50 ms':>7} {'p95 ms':>7} {'SQL':>4}  goal")
        for result in server_times:
            if "error" in result:
                out(f"  {result['label']:<58} FAILED: {result['error'][:60]}")
                continue
            verdict = "met" if result["p95"] < GOAL_P95_MS else "MISSED"
            out(
                f"  {result['label']:<58} {result['p50']:>7.1f} {result['p95']:>7.1f} "
                f"{result['queries']:>4}  {verdict}"
            )
        if throughput:
            ceiling = throughput["fixed"]["rps"] or 1
            ratio, missed_ratio = (
                throughput["list"]["rps"] / ceiling,
                throughput["list_missed"]["rps"] / ceiling,
            )
            out("")
            out(
                f"Throughput under gunicorn, {throughput['workers']} sync workers "
                f"({throughput['chosen_by']}), {options['duration']:.0f}s each, {throughput['tool']}"
            )
            verdict = "met" if ratio >= GOAL_RATIO else "MISSED"
            rows = [
                ("fixed 200-byte view (the ceiling)", throughput["fixed"]["rps"], ""),
                (
                    "/projects/ (anonymous)",
                    throughput["list"]["rps"],
                    f"= {ratio:.0%} of the ceiling (goal {GOAL_RATIO:.0%}: {verdict})",
                ),
                (
                    "/projects/ with the cache missed",
                    throughput["list_missed"]["rps"],
                    f"= {missed_ratio:.0%} of the ceiling (a new page parameter each time)",
                ),
            ]
            if "services" in throughput:
                services_ratio = throughput["services"]["rps"] / ceiling
                rows.append(
                    (
                        "/services/ (anonymous)",
                        throughput["services"]["rps"],
                        f"= {services_ratio:.0%} of the ceiling",
                    )
                )
            for label, rps, note in rows:
                out(f"  {label:<40} {rps:>8,.0f} requests/s  {note}")
        out("=" * 78)

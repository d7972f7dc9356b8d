"""Fuzz the JSON API with schemathesis against its own OpenAPI schema, on a fresh seeded database.

    manage.py fuzz_api [--max-examples 15] [--workers 2]

A fresh SQLite file in a temporary folder is migrated and seeded with the demo (`seed_demo`), a token
is made for the demo client, `runserver` serves it on a free port of 127.0.0.1, and
`schemathesis run --checks all` runs against /api/v1/openapi.json with that token. The server is
stopped whatever happens; the exit status is schemathesis's (non-zero on any failure). `.ci/run`
calls it after the SQLite suite.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Schema-valid data may still break a rule that a schema cannot say (a title of spaces only, an unknown
# skill's slug, a project already closed): such requests are answered 422 or 409, never 5xx.
SCHEMATHESIS_CONFIG = """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409", "422"]
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = "Run schemathesis against the API on a fresh, seeded SQLite database (used by .ci/run)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--max-examples", type=int, default=15, help="Test cases per operation and phase."
        )
        parser.add_argument("--workers", default="2")
        parser.add_argument("--seed", type=int, default=None)
        parser.add_argument("--email", default="client@demo.test", help="Whose token the fuzzer uses.")
        parser.add_argument("--report-dir", default=None, help="Keep schemathesis's JUnit report here.")

    def handle(self, *args, max_examples, workers, seed, email, report_dir, **options):
        base = Path(settings.BASE_DIR)
        python = sys.executable
        schemathesis = Path(python).with_name("schemathesis")
        if not schemathesis.exists():
            raise CommandError("schemathesis is not installed: pip install -r requirements-dev.txt")
        with tempfile.TemporaryDirectory(prefix="mostaql-fuzz-") as folder:
            folder = Path(folder)
            environment = {
                **os.environ,
                "DEBUG": "True",  # seed_demo refuses to run otherwise
                "DATABASE_URL": f"sqlite:///{folder / 'fuzz.sqlite3'}",
                "MEDIA_ROOT": str(folder / "media"),
                "PRIVATE_MEDIA_ROOT": str(folder / "private-media"),
                "CACHE_URL": "locmemcache://fuzz",
                "EMAIL_URL": "consolemail://",
                "CELERY_BROKER_URL": "",
                "LOG_LEVEL": "ERROR",
                # The fuzzer sends thousands of requests a minute: the limits are tested in the suite.
                "API_RATE_LIMIT_PER_MINUTE": "1000000",
                "API_ANONYMOUS_RATE_LIMIT_PER_MINUTE": "1000000",
            }

            def manage(*arguments: str) -> str:
                result = subprocess.run(
                    [python, "manage.py", *arguments],
                    cwd=base,
                    env=environment,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if result.returncode:
                    raise CommandError(f"manage.py {' '.join(arguments)} failed:\n{result.stderr[-3000:]}")
                return result.stdout

            self.stdout.write("fuzz: migrating and seeding a fresh database")
            manage("migrate", "--noinput")
            manage("seed_demo")
            token = manage("create_api_token", email, "--name", "schemathesis").strip().splitlines()[-1]
            port = free_port()
            server = subprocess.Popen(
                [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=base,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=open(folder / "server.log", "w"),  # noqa: SIM115 - closed with the folder
            )
            try:
                schema_url = f"http://127.0.0.1:{port}/api/v1/openapi.json"
                self._wait_for(schema_url, server)
                (folder / "schemathesis.toml").write_text(SCHEMATHESIS_CONFIG)
                command = [
                    str(schemathesis),
                    "--config-file",
                    str(folder / "schemathesis.toml"),
                    "run",
                    schema_url,
                    "--header",
                    f"Authorization: Bearer {token}",
                    "--checks",
                    "all",
                    "--max-examples",
                    str(max_examples),
                    "--workers",
                    str(workers),
                    "--generation-database",
                    "none",
                    "--request-timeout",
                    "30",
                    "--no-color",
                    # Revoking tokens by id would sooner or later revoke the fuzzer's own token and turn
                    # every later answer into a 401; revocation is covered by the test suite instead.
                    "--exclude-operation-id",
                    "accounts_revoke_my_token",
                ]
                if seed is not None:
                    command += ["--seed", str(seed)]
                if report_dir:
                    command += ["--report", "junit", "--report-dir", str(Path(report_dir).resolve())]
                self.stdout.write(f"fuzz: {' '.join(command[4:6])} with a token of {email}")
                started = time.monotonic()
                result = subprocess.run(command, cwd=folder, check=False)  # its cache stays out of the repo
                self.stdout.write(f"fuzz: schemathesis finished in {time.monotonic() - started:.0f} s")
            finally:
                server.terminate()
                try:
                    server.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    server.kill()
            if result.returncode:
                log = (folder / "server.log").read_text()[-5000:]
                self.stderr.write(f"fuzz: the server's log ends with:\n{log}")
                raise CommandError(f"schemathesis found failures (exit status {result.returncode})")

    def _wait_for(self, url: str, server: subprocess.Popen) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError("the development server stopped before answering")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise CommandError("the development server did not answer within 60 seconds")

"""Production settings: they refuse to start without secrets, and pass Django's deploy checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    # A clean environment, as a server would have (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE).
    inherited = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in inherited}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_start_without_secret_key_stops_with_a_clear_error():
    result = _manage("check", DEBUG="False", ALLOWED_HOSTS="mostaql.example")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_the_deploy_checks():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="mostaql.example",
        # A shared cache and a real webhook secret (issue 16: check --deploy asks for both).
        CACHE_URL="redis://127.0.0.1:6379/1",
        SANDBOX_WEBHOOK_SECRET=secrets.token_urlsafe(32),
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_development_needs_no_environment_at_all():
    result = _manage("check")

    assert result.returncode == 0, result.stderr

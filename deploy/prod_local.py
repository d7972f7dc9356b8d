"""The whole production stack on one machine, as the current user: `start`, `stop`, `status`, `env`.

    nginx (deploy/nginx/) → gunicorn (deploy/gunicorn.conf.py) → PostgreSQL
                                 ↘ Redis: cache, sessions, Celery broker ← Celery worker and beat

Everything it writes (rendered configs, pids, logs, sockets, static files, media, e-mails as files) goes
to one run folder, `.run/prod-local/` by default (PROD_LOCAL_DIR): nothing under /etc is touched.
PostgreSQL is the machine's server at 127.0.0.1:5432 (started with pg_ctlcluster when it is down);
the database is its own (PROD_LOCAL_DATABASE, created once, migrated, with the demo data).
Ports: nginx PROD_LOCAL_PORT (8080), Redis PROD_LOCAL_REDIS_PORT (6390). Any other setting in the
caller's environment (e.g. SWEEP_INTERVAL_SECONDS, RATE_LIMIT_LOGIN) is passed through.
"""

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RUN_DIR = Path(os.environ.get("PROD_LOCAL_DIR", BASE_DIR / ".run" / "prod-local")).resolve()
PORT = int(os.environ.get("PROD_LOCAL_PORT", "8080"))
REDIS_PORT = int(os.environ.get("PROD_LOCAL_REDIS_PORT", "6390"))
DATABASE = os.environ.get("PROD_LOCAL_DATABASE", "mostaql_prod_local")
POSTGRES = os.environ.get("PROD_LOCAL_POSTGRES", "postgres://postgres@127.0.0.1:5432")
PYTHON = str(BASE_DIR / ".venv" / "bin" / "python")
BIN = BASE_DIR / ".venv" / "bin"
PROCESSES = ["nginx", "gunicorn", "celery-worker", "celery-beat", "redis"]  # stopped in this order


class StackError(RuntimeError):
    pass


def log(message: str) -> None:
    print(f"prod-local: {message}", flush=True)


def _persistent_secret(name: str) -> str:
    path = RUN_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def environment() -> dict[str, str]:
    """The production settings of the local stack (DEBUG off), over the caller's environment."""
    stack = {
        "DEBUG": "False",
        "SECRET_KEY": _persistent_secret("secret-key"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{PORT}",
        # No TLS on a local stack: cookies over plain HTTP, no HTTPS redirect, no HSTS.
        "SECURE_COOKIES": "False",
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
        "CACHE_URL": f"redis://127.0.0.1:{REDIS_PORT}/1",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "EMAIL_URL": f"filemail:///{RUN_DIR / 'mail'}",
        "TRUSTED_PROXY_COUNT": "1",
        "MEDIA_ROOT": str(RUN_DIR / "media"),
        "PRIVATE_MEDIA_ROOT": str(RUN_DIR / "private-media"),
        "STATIC_ROOT": str(RUN_DIR / "static"),
        "SANDBOX_WEBHOOK_SECRET": _persistent_secret("webhook-secret"),
        "GUNICORN_BIND": f"unix:{RUN_DIR / 'gunicorn.sock'}",
        "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "4"),
        "GUNICORN_PIDFILE": str(RUN_DIR / "gunicorn.pid"),
        "GUNICORN_ACCESS_LOG": str(RUN_DIR / "gunicorn-access.log"),
        "GUNICORN_ERROR_LOG": str(RUN_DIR / "gunicorn-error.log"),
        "MAX_BODY_BYTES": os.environ.get("REQUEST_MAX_BODY_BYTES", str(50 * 1024 * 1024)),
        # The worker's and beat's own lines (task received, succeeded, sent by the scheduler).
        "CELERY_LOG_LEVEL": os.environ.get("CELERY_LOG_LEVEL", "INFO"),
    }
    return {**os.environ, **stack, "REQUEST_MAX_BODY_BYTES": stack["MAX_BODY_BYTES"]}


def _pid(name: str) -> int | None:
    path = RUN_DIR / f"{name}.pid"
    try:
        pid = int(path.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except OSError:
        return None
    return pid


def _alive(name: str) -> bool:
    if _pid(name) is None:
        raise StackError(f"{name} exited (see {RUN_DIR / (name + '.log')})")
    return True


def _wait(what: str, ready, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.2)
    raise StackError(f"{what} did not start within {seconds:.0f} s (logs in {RUN_DIR})")


def _run(args: list[str], env: dict, **kwargs) -> None:
    subprocess.run(args, env=env, cwd=BASE_DIR, check=True, **kwargs)


def _spawn(name: str, args: list[str], env: dict) -> None:
    """A long-running process in its own session, its output to <name>.log, its pid to <name>.pid."""
    with open(RUN_DIR / f"{name}.log", "ab") as output:
        process = subprocess.Popen(
            args, env=env, cwd=BASE_DIR, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    (RUN_DIR / f"{name}.pid").write_text(str(process.pid))


def _postgres_answers() -> bool:
    import psycopg

    try:
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def _database(env: dict) -> None:
    import psycopg

    if not _postgres_answers() and shutil.which("pg_ctlcluster"):
        versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
        if versions:
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"])
    if not _postgres_answers():
        raise StackError(f"no PostgreSQL answers at {POSTGRES}")
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            log(f"creating the database {DATABASE}")
            connection.execute(
                f"CREATE DATABASE \"{DATABASE}\" TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
    _run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    # The demo data (accounts, projects, conversations) refuses DEBUG off: loaded once with it on.
    _run([PYTHON, "manage.py", "seed_demo"], {**env, "DEBUG": "True"}, stdout=subprocess.DEVNULL)


def _render(template: Path, target: Path, values: dict[str, str]) -> None:
    text = template.read_text()
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    target.write_text(text)


def start() -> None:
    missing = [tool for tool in ("nginx", "redis-server") if not shutil.which(tool)]
    if missing:
        raise StackError(f"missing: {', '.join(missing)} (apt-get install -y nginx redis-server)")
    if any(_pid(name) for name in PROCESSES):
        raise StackError(f"already running (make prod-local-stop first); run folder {RUN_DIR}")
    for folder in ("", "mail", "media", "private-media", "static", "nginx-body"):
        (RUN_DIR / folder).mkdir(parents=True, exist_ok=True)
    env = environment()

    log(f"Redis on 127.0.0.1:{REDIS_PORT}")
    _run(
        [
            "redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--daemonize", "yes",
            "--pidfile", str(RUN_DIR / "redis.pid"), "--logfile", str(RUN_DIR / "redis.log"),
            "--dir", str(RUN_DIR), "--save", "", "--appendonly", "no",
        ],
        env,
    )  # fmt: skip
    _wait("Redis", lambda: _pid("redis") is not None)

    log("PostgreSQL: migrate and demo data")
    _database(env)
    log("static files and translations")
    _run([PYTHON, "manage.py", "compile_translations"], env, stdout=subprocess.DEVNULL)
    _run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)

    log("gunicorn")
    _spawn("gunicorn", [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"], env)
    _wait("gunicorn", lambda: _alive("gunicorn") and (RUN_DIR / "gunicorn.sock").exists(), 120)
    log("Celery worker and beat")
    _spawn(
        "celery-worker",
        [str(BIN / "celery"), "-A", "config", "worker", "--loglevel=INFO", "--concurrency=2"],
        env,
    )
    _spawn(
        "celery-beat",
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "beat",
            "--loglevel=INFO",
            "--schedule",
            str(RUN_DIR / "beat-schedule"),
        ],
        env,
    )

    log(f"nginx on 127.0.0.1:{PORT}")
    user = ""
    if os.geteuid() == 0:  # as root, nginx would hand its workers to "nobody": keep them ours
        user = "user root root;"
    values = {
        "RUN_DIR": str(RUN_DIR),
        "USER_DIRECTIVE": user,
        "MIME_TYPES": "/etc/nginx/mime.types",
        "UPSTREAM": f"unix:{RUN_DIR / 'gunicorn.sock'}",
        "LISTEN": f"127.0.0.1:{PORT}",
        "MAX_BODY": env["MAX_BODY_BYTES"],
        "STATIC_ROOT": str(RUN_DIR / "static"),
        "MEDIA_ROOT": str(RUN_DIR / "media"),
    }
    _render(BASE_DIR / "deploy" / "nginx" / "mostaql.conf", RUN_DIR / "mostaql-site.conf", values)
    _render(BASE_DIR / "deploy" / "nginx" / "nginx-local.conf", RUN_DIR / "nginx.conf", values)
    nginx = ["nginx", "-p", str(RUN_DIR), "-c", str(RUN_DIR / "nginx.conf")]
    _run([*nginx, "-t", "-q"], env)
    _run(nginx, env)
    _wait("the site through nginx", _site_answers, 60)
    (RUN_DIR / "env").write_text(
        "".join(f"export {key}={_quoted(env[key])}\n" for key in sorted(_stack_keys(env)))
    )
    log(f"ready: http://127.0.0.1:{PORT}/ (stop with `make prod-local-stop`; logs in {RUN_DIR})")


def _stack_keys(env: dict) -> list[str]:
    return [key for key in environment_keys() if key in env]


def environment_keys() -> list[str]:
    return [
        "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "SECURE_COOKIES", "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS", "DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL", "EMAIL_URL",
        "TRUSTED_PROXY_COUNT", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT", "STATIC_ROOT", "SANDBOX_WEBHOOK_SECRET",
        "REQUEST_MAX_BODY_BYTES",
    ]  # fmt: skip


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


def _site_answers() -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def stop() -> None:
    for name in PROCESSES:
        pid = _pid(name)
        if pid is None:
            continue
        log(f"stopping {name} ({pid})")
        sig = signal.SIGQUIT if name == "nginx" else signal.SIGTERM  # nginx: finish requests, then quit
        try:
            os.kill(pid, sig)
        except OSError:
            continue
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _pid(name) is not None:
            time.sleep(0.2)
        if _pid(name) is not None:
            log(f"{name} did not stop: killing it")
            os.kill(pid, signal.SIGKILL)
        (RUN_DIR / f"{name}.pid").unlink(missing_ok=True)
    (RUN_DIR / "gunicorn.sock").unlink(missing_ok=True)
    log("stopped")


def status() -> int:
    running = {name: _pid(name) for name in PROCESSES}
    for name, pid in running.items():
        print(f"{name:14} {'running (' + str(pid) + ')' if pid else 'stopped'}")
    return 0 if all(running.values()) else 1


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "start"
    try:
        if command == "start":
            try:
                start()
            except BaseException:
                stop()  # never leave half a stack running
                raise
        elif command == "stop":
            stop()
        elif command == "status":
            return status()
        else:
            print(__doc__)
            return 2
    except (StackError, subprocess.CalledProcessError) as error:
        log(f"failed: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

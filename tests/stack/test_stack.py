"""The production stack itself, checked through nginx: run by `.ci/run` (make stack-test) against the
stack that deploy/prod_local.py starts; skipped anywhere else (no STACK_URL).

A smoke walk (home, list, a project, log in, an API call with a token); a notification e-mail sent by
the Celery worker (to the file backend); beat's sweep running; a slow-body attack that leaves
/projects/ answering within a second; a 100 MB body refused without being stored.
"""

import contextlib
import http.cookiejar
import os
import re
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.stack

STACK_URL = os.environ.get("STACK_URL", "")
RUN_DIR = Path(os.environ.get("PROD_LOCAL_DIR", "")) if os.environ.get("PROD_LOCAL_DIR") else None
BASE_DIR = Path(__file__).resolve().parent.parent.parent

if not STACK_URL or RUN_DIR is None:
    pytest.skip(
        "the production stack is not running here (make stack-test starts it and sets STACK_URL)",
        allow_module_level=True,
    )

HOST, PORT = urllib.parse.urlsplit(STACK_URL).hostname, urllib.parse.urlsplit(STACK_URL).port or 80


def stack_environment() -> dict:
    """The stack's settings, as deploy/prod_local.py wrote them, for management commands."""
    env = dict(os.environ)
    for line in (RUN_DIR / "env").read_text().splitlines():
        key, _equals, value = line.removeprefix("export ").partition("=")
        env[key] = value.strip("'")
    return env


def manage(*args: str) -> str:
    python = str(BASE_DIR / ".venv" / "bin" / "python")
    return subprocess.run(
        [python, "manage.py", *args],
        env=stack_environment(),
        cwd=BASE_DIR,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


class Browser:
    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str, headers: dict | None = None) -> tuple[int, str]:
        request = urllib.request.Request(STACK_URL + path, headers=headers or {})
        try:
            with self.opener.open(request, timeout=15) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def post(self, path: str, fields: dict) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(STACK_URL + path, data=data, headers={"Referer": STACK_URL + path})
        with self.opener.open(request, timeout=15) as response:
            return response.status, response.geturl(), response.read().decode()


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_a_visitor_walks_the_site_and_a_freelancer_logs_in_and_calls_the_api():
    visitor = Browser()
    status, home = visitor.get("/")
    assert status == 200 and 'dir="rtl"' in home
    status, listing = visitor.get("/projects/")
    assert status == 200
    project_path = re.search(r'href="(/projects/\d+/)"', listing).group(1)
    status, project = visitor.get(project_path)
    assert status == 200 and "<h1" in project
    status, _css = visitor.get(re.search(r'href="(/static/[^"]+\.css)"', home).group(1))
    assert status == 200

    member = Browser()
    _status, login_page = member.get("/accounts/login/")
    status, landed, _dashboard = member.post(
        "/accounts/login/",
        {
            "csrfmiddlewaretoken": csrf_token(login_page),
            "login": "freelancer@demo.test",
            "password": "demo12345",
        },
    )
    assert status == 200 and landed.endswith("/dashboard/"), landed

    secret = manage("create_api_token", "freelancer@demo.test", "--name", "stack smoke walk").strip()
    status, me = Browser().get("/api/v1/me/", headers={"Authorization": f"Bearer {secret}"})
    assert status == 200 and "freelancer@demo.test" in me


def test_a_notification_e_mail_is_sent_by_the_celery_worker():
    mail_dir = RUN_DIR / "mail"
    before = set(mail_dir.iterdir())
    marker = uuid.uuid4().hex
    # The notification is recorded here; its e-mail leaves through Redis to the worker (this process
    # has CELERY_BROKER_URL set, so nothing runs in it eagerly).
    manage(
        "shell",
        "-c",
        "from django.db import transaction\n"
        "from mostaql.projects.models import Project\n"
        "from mostaql.notifications.services import notify\n"
        "project = Project.objects.filter(owner__email='client@demo.test').first()\n"
        f"project.title = 'stack {marker}'\n"
        "with transaction.atomic():\n"
        "    notify(user=project.owner, kind='project_approved', context={'project': project},"
        " url=project.get_absolute_url())\n",
    )
    deadline = time.monotonic() + 60
    sent = []
    while time.monotonic() < deadline and not sent:
        sent = [
            path for path in set(mail_dir.iterdir()) - before if marker in path.read_text(errors="replace")
        ]
        time.sleep(0.5)
    assert sent, "no e-mail was written by the worker within 60 s"
    assert "To: client@demo.test" in sent[0].read_text()
    worker_log = (RUN_DIR / "celery-worker.log").read_text()
    assert re.search(r"send_notification_email\[[^\]]+\] succeeded", worker_log)


def test_beat_runs_the_sweeps_on_schedule():
    """The stage starts beat with SWEEP_INTERVAL_SECONDS=5: the worker runs the sweeps it sends."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        log = (RUN_DIR / "celery-worker.log").read_text()
        if re.search(r"sweep_contracts\[[^\]]+\] succeeded", log):
            break
        time.sleep(1)
    else:
        pytest.fail("the worker ran no sweep_contracts sent by beat within 60 s")
    assert "Sending due task contracts-sweep" in (RUN_DIR / "celery-beat.log").read_text()


def timed_get(path: str) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(STACK_URL + path, timeout=10) as response:
        assert response.status == 200
        response.read()
    return time.monotonic() - started


def test_a_slow_body_attack_leaves_the_list_answering_within_a_second():
    """More trickling clients than gunicorn has workers, one byte every two seconds each."""
    stop = threading.Event()
    sockets = []
    for _number in range(8):
        attacker = socket.create_connection((HOST, PORT), timeout=5)
        attacker.sendall(
            b"POST /accounts/login/ HTTP/1.1\r\nHost: " + f"{HOST}:{PORT}".encode() + b"\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
        )
        sockets.append(attacker)

    def trickle():
        while not stop.wait(2):
            for attacker in sockets:
                with contextlib.suppress(OSError):
                    attacker.send(b"a")

    trickler = threading.Thread(target=trickle, daemon=True)
    trickler.start()
    try:
        time.sleep(3)
        timings = [timed_get("/projects/") for _attempt in range(5)]
    finally:
        stop.set()
        trickler.join(timeout=5)
        for attacker in sockets:
            attacker.close()
    assert max(timings) < 1.0, timings


def test_a_100_mb_body_is_refused_without_being_stored():
    """nginx answers 413 on the declared length alone, before a byte of the body is sent."""
    marker = uuid.uuid4().hex
    body_dir = RUN_DIR / "nginx-body"
    client = socket.create_connection((HOST, PORT), timeout=10)
    try:
        client.sendall(
            f"POST /accounts/login/?{marker} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {100 * 1024 * 1024}\r\n\r\n".encode()
        )
        client.settimeout(5)
        answer = client.recv(4096).decode(errors="replace")
        with contextlib.suppress(OSError):  # and sending the body anyway stores nothing either
            for _chunk in range(64):
                client.sendall(b"x" * 65536)
    finally:
        client.close()
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert not any(body_dir.iterdir()), "a temporary body file was left"
    assert marker not in (RUN_DIR / "gunicorn-access.log").read_text(), "the request reached the application"

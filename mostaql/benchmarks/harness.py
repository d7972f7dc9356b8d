"""What both benchmarks share: one percentile, a clock for their progress lines, and for the page
benchmark a gunicorn server on a free loopback port, the load on it (wrk, or Python where wrk is
missing) and the CPU that other processes took meanwhile."""

import math
import multiprocessing
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.core.management.base import CommandError, OutputWrapper

FORWARDED_HTTPS = ("X-Forwarded-Proto", "https")  # as behind the TLS proxy (SECURE_SSL_REDIRECT is on)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (the smallest value with at least `fraction` of them at or below it);
    NaN for no values. Both benchmarks report their p50 and p95 through this one formula."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class Progress:
    """Progress lines on a command's output, each stamped with the seconds since the start."""

    def __init__(self, stdout: OutputWrapper):
        self.stdout = stdout
        self.started = time.monotonic()

    def __call__(self, message: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:6.1f}s] {message}")
        self.stdout.flush()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_request(port: int, path: str, *, keep_alive: bool) -> bytes:
    header, value = FORWARDED_HTTPS
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{header}: {value}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
    ).encode()


# --- The Python load generator (used where wrk is missing) ----------------------------------------


def python_load_worker(args) -> tuple[int, int]:
    """One process: keep-alive HTTP/1.1 GETs until the deadline; (good responses, bad responses)."""
    port, paths, deadline, counter_start = args
    good = bad = 0
    sock = None
    buffer = b""
    index = counter_start
    while time.monotonic() < deadline:
        if sock is None:
            sock = socket.create_connection(("127.0.0.1", port))
            buffer = b""
        path = paths[index % len(paths)].replace("{n}", str(index))
        index += 1
        request = http_request(port, path, keep_alive=True)
        try:
            sock.sendall(request)
            while b"\r\n\r\n" not in buffer:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError
                buffer += chunk
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = {
                k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])
            }
            length = int(headers.get("content-length", "0"))
            while len(buffer) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    raise ConnectionError
                buffer += chunk
            buffer = buffer[length:]
            if lines[0].split(" ")[1] == "200":
                good += 1
            else:
                bad += 1
            if headers.get("connection", "").lower() == "close":
                sock.close()
                sock = None
        except (OSError, ConnectionError, ValueError, IndexError):
            bad += 1
            if sock is not None:
                sock.close()
            sock = None
    if sock is not None:
        sock.close()
    return good, bad


class OtherCpu:
    """CPU time that processes other than this benchmark used while a block ran, as a share of the
    machine (Linux /proc). This command, its children (gunicorn, wrk) and PostgreSQL are left out."""

    def __enter__(self) -> "OtherCpu":
        self.share = None
        try:
            self.start = self._snapshot()
        except (OSError, ValueError, IndexError):
            self.start = None
        return self

    def __exit__(self, *exc) -> None:
        if self.start is None:
            return
        try:
            (total_end, others_end) = self._snapshot()
        except (OSError, ValueError, IndexError):
            return
        total_start, others_start = self.start
        used = sum(ticks - others_start.get(pid, 0) for pid, ticks in others_end.items())
        self.share = max(0.0, used / max(1, total_end - total_start))

    @staticmethod
    def _snapshot() -> tuple[int, dict[int, int]]:
        with open("/proc/stat") as stat:
            total = sum(int(value) for value in stat.readline().split()[1:])
        processes = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat") as stat:
                    text = stat.read()
            except OSError:
                continue
            name = text[text.index("(") + 1 : text.rindex(")")]
            fields = text[text.rindex(")") + 2 :].split()
            processes[int(entry.name)] = (name, int(fields[1]), int(fields[11]) + int(fields[12]))
        ours, changed = {os.getpid()}, True
        while changed:
            grown = {pid for pid, (_, parent, _) in processes.items() if parent in ours} | ours
            changed, ours = grown != ours, grown
        others = {
            pid: ticks
            for pid, (name, _, ticks) in processes.items()
            if pid not in ours and not name.startswith("postgres")
        }
        return total, others


class Gunicorn:
    """gunicorn serving config.wsgi with sync workers on a free loopback port, for one block."""

    def __init__(self, base_dir: Path, env: dict, workers: int):
        self.base_dir, self.env, self.workers = base_dir, env, workers
        self.port = free_port()
        self.process = None

    def __enter__(self) -> "Gunicorn":
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--backlog",
                "256",
                "--log-level",
                "warning",
            ],
            cwd=self.base_dir,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline, status = time.monotonic() + 60, None
        while status is None:
            if self.process.poll() is not None:
                self._fail("gunicorn exited at start")
            if time.monotonic() > deadline:
                self._fail("gunicorn did not answer within 60s")
            time.sleep(0.2)
            status = get_status(self.port, "/bench/fixed/")
        for path in ("/bench/fixed/", "/projects/"):
            status = get_status(self.port, path)
            if status != 200:
                self._fail(f"gunicorn answered {path} with {status}")
        for path in ("/projects/", "/bench/fixed/") * (4 * self.workers):  # every worker warm
            get_status(self.port, path)
        return self

    def _fail(self, message: str) -> None:
        self.log.seek(0)
        log = self.log.read().decode(errors="replace")[-3000:]
        self.__exit__(None, None, None)
        raise CommandError(f"{message}; its log ends with:\n{log}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def get_status(port: int, path: str) -> int | None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            sock.sendall(http_request(port, path, keep_alive=False))
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        return int(data.split(b" ", 2)[1])
    except (OSError, ValueError, IndexError):
        return None


def rate(runs: list[dict]) -> dict:
    seconds = sum(run["seconds"] for run in runs)
    return {
        "rps": sum(run["good"] for run in runs) / seconds if seconds else 0.0,
        "errors": sum(run["errors"] for run in runs),
    }


def load(wrk: str | None, port: int, path: str, duration: float, workers: int) -> dict:
    """Load `path` for `duration` seconds: {good, errors, seconds}. In the path, {token} becomes a new
    random word and {n} a counter, so that every request of every call has a query string of its own."""
    path = path.replace("{token}", secrets.token_hex(4))
    connections = 2 * workers
    if wrk:
        command = [wrk, "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s"]
        command += ["-H", f"{FORWARDED_HTTPS[0]}: {FORWARDED_HTTPS[1]}"]
        prefix = path.split("{n}")[0]
        with tempfile.TemporaryDirectory() as folder:
            if "{n}" in path:  # a counter in the query string, from a wrk script
                script = Path(folder) / "counter.lua"
                script.write_text(
                    "counter = 0\nrequest = function()\n  counter = counter + 1\n"
                    f'  return wrk.format(nil, "{prefix}" .. counter)\nend\n'
                )
                command += ["-s", str(script)]
            command.append(f"http://127.0.0.1:{port}{prefix}")
            output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        match = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)\b", output)
        total, amount, unit = int(match.group(1)), float(match.group(2)), match.group(3)
        seconds = amount / 1000 if unit == "ms" else amount * 60 if unit == "m" else amount
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        errors = int(errors.group(1)) if errors else 0
        return {"good": total - errors, "errors": errors, "seconds": seconds}
    processes = 2
    started = time.monotonic()
    deadline = started + duration
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        parts = pool.map(
            python_load_worker, [(port, [path], deadline, index * 10_000_000) for index in range(processes)]
        )
    return {
        "good": sum(part[0] for part in parts),
        "errors": sum(part[1] for part in parts),
        "seconds": time.monotonic() - started,
    }

"""gunicorn for Mostaql, behind nginx: `gunicorn -c deploy/gunicorn.conf.py config.wsgi`.

Sync workers are right here: nginx reads slow request bodies and writes slow responses, so a worker
is only ever busy with the application itself. Every knob comes from the environment.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request that takes longer is a bug or an attack: the worker is restarted (nginx answers 502/504).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 2
# Recycle workers now and then, so a slow leak never grows for long.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = 200
# Only nginx (on this machine) may tell who the client is.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
limit_request_line = 8190
limit_request_fields = 100
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

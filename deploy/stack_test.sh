#!/usr/bin/env bash
# The production stack's own checks (tests/stack, marked `stack`): start the whole stack from a run
# folder of its own (nginx → gunicorn → PostgreSQL, Redis, Celery worker and beat with a 5-second
# sweep interval), run the checks through nginx, and stop everything, whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."

export PROD_LOCAL_DIR="${STACK_TEST_DIR:-$PWD/.run/stack-test}"
export PROD_LOCAL_PORT="${STACK_TEST_PORT:-8089}"
export PROD_LOCAL_REDIS_PORT="${STACK_TEST_REDIS_PORT:-6391}"
export PROD_LOCAL_DATABASE="${STACK_TEST_DATABASE:-mostaql_stack_test}"
export SWEEP_INTERVAL_SECONDS=5
export STACK_URL="http://127.0.0.1:${PROD_LOCAL_PORT}"

for tool in nginx redis-server; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "stack-test: $tool is not installed (apt-get install -y nginx redis-server): stage skipped"
    exit 0
  fi
done

rm -rf "$PROD_LOCAL_DIR"  # a fresh run folder: mail, logs and temporary bodies of this run only
trap '.venv/bin/python deploy/prod_local.py stop' EXIT
.venv/bin/python deploy/prod_local.py start
.venv/bin/pytest -p no:randomly -m stack tests/stack -v

#!/usr/bin/env bash
# Serve Miasto: the background-job worker plus gunicorn; Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
scripts/static.sh  # hashed, compressed static files for WhiteNoise (when the sources changed)
# One job worker (procrastinate's, see docs/architecture.md "Background jobs"), started again if
# it dies (a job it was running is failed by the next one, see docs/deploy.md); in production
# systemd does this (Restart=always). One stop signal lets it finish its job; Ctrl+C sends two
# (INT, then the trap's TERM) and ends it at once.
(
  child=""
  trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 0' TERM INT
  while true; do
    .venv/bin/miasto worker &
    child=$!
    wait "$child" || echo "miasto: the job worker stopped (exit $?); starting it again in 5 s" >&2
    sleep 5
  done
) &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo ""
echo "  Miasto is running at http://$HOST:$PORT   (Ctrl+C stops it)"
echo ""
.venv/bin/gunicorn miasto.config.wsgi --bind "$HOST:$PORT" --workers "${WORKERS:-3}" \
  --timeout 120 --access-logfile - --log-level warning

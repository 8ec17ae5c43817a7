#!/usr/bin/env bash
# Serve Miasto: the background-job worker plus gunicorn; Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
scripts/static.sh  # hashed, compressed static files for WhiteNoise (when the sources changed)
.venv/bin/miasto worker &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo ""
echo "  Miasto is running at http://$HOST:$PORT   (Ctrl+C stops it)"
echo ""
.venv/bin/gunicorn miasto.config.wsgi --bind "$HOST:$PORT" --workers "${WORKERS:-3}" \
  --timeout 120 --access-logfile - --log-level warning

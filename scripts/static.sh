#!/usr/bin/env bash
# Collect the static files into STATIC_ROOT (var/static unless MIASTO_STATIC_ROOT says
# otherwise) with hashed names and gzip/brotli copies, for WhiteNoise to serve with far-future
# cache headers. Skipped when nothing changed since the last collection (it takes ~10–20 s).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT_DIR=${MIASTO_STATIC_ROOT:-var/static}
MANIFEST="$ROOT_DIR/staticfiles.json"
if [ -f "$MANIFEST" ] \
  && [ -z "$(find src/miasto -path '*/static/*' -type f -newer "$MANIFEST" 2>/dev/null | head -1)" ] \
  && [ -z "$(find .venv/ -maxdepth 1 -name '.miasto-*' -newer "$MANIFEST" 2>/dev/null | head -1)" ]; then
  exit 0
fi
printf '\033[1m==> %s\033[0m\n' "Collecting static files (hashed and compressed)"
.venv/bin/miasto collectstatic --no-input -v0

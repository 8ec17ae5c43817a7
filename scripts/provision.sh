#!/usr/bin/env bash
# Provision everything Miasto needs on a Debian/Ubuntu machine, idempotently:
# OS packages, PostgreSQL + PostGIS + pgRouting, the database, .venv, front-end build,
# translations and migrations. Usage: scripts/provision.sh [--with-browser]
# Each step is skipped when already done; on failure, one sentence says what to do.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WITH_BROWSER=0
[ "${1:-}" = "--with-browser" ] && WITH_BROWSER=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31mmiasto: %s\033[0m\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="__nosudo__"; fi
fi

as_root() {
  [ "$SUDO" = "__nosudo__" ] && die "Installing OS packages needs root: run 'sudo make ${MAKE_TARGET:-demo}' once, or install: $*"
  $SUDO "$@"
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "This machine has no apt-get: install these packages by hand, then rerun: $*"
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "Updating the package lists"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed: check the network connection to the Debian/Ubuntu mirrors and rerun."
    APT_UPDATED=1
  fi
  say "Installing OS packages: $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || die "Could not install $*: run 'sudo apt-get install $*' and read its error, then rerun."
}

missing_pkgs() { for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done; }

# --- 1. OS packages -------------------------------------------------------------------------
pg_major() {
  local v
  v=$( (psql -h 127.0.0.1 -p 5432 -d postgres -Atc 'SHOW server_version_num' 2>/dev/null \
        || psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atc 'SHOW server_version_num' 2>/dev/null \
        || psql -d postgres -Atc 'SHOW server_version_num' 2>/dev/null) | head -1)
  if [ -n "$v" ]; then echo $((v / 10000)); return; fi
  ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1
}

if command -v dpkg >/dev/null 2>&1; then
  base=(gdal-bin gettext nodejs libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl)
  command -v npm >/dev/null 2>&1 || base+=(npm)
  need=$(missing_pkgs "${base[@]}")
  PGV=$(pg_major || true)
  if [ -z "$PGV" ]; then
    apt_install postgresql postgresql-contrib
    PGV=$(ls /usr/lib/postgresql | sort -n | tail -1)
  fi
  need="$need $(missing_pkgs "postgresql-$PGV-postgis-3" "postgresql-$PGV-pgrouting")"
  [ "$WITH_BROWSER" -eq 1 ] && need="$need $(missing_pkgs chromium)"
  [ "${MAKE_TARGET:-}" = "bench" ] && need="$need $(missing_pkgs wrk)"
  need=$(echo $need)
  [ -n "$need" ] && apt_install $need
else
  say "No dpkg here: assuming PostgreSQL/PostGIS/pgRouting, GDAL, gettext and Node.js are installed."
fi
command -v npm >/dev/null 2>&1 || die "npm is missing: install Node.js 18+ with npm and rerun."
command -v msgfmt >/dev/null 2>&1 || die "gettext (msgfmt) is missing: install the gettext package and rerun."

# --- 2. Database ----------------------------------------------------------------------------
ADMIN=()
find_admin() {
  local c
  for c in "psql -h 127.0.0.1 -p 5432 -U postgres" "psql -h 127.0.0.1 -p 5432" "psql -h 127.0.0.1 -p 5432 -U root" "psql"; do
    if $c -d postgres -Atc "SELECT rolsuper FROM pg_roles WHERE rolname = current_user" 2>/dev/null | grep -qx t; then
      read -r -a ADMIN <<<"$c"; return 0
    fi
  done
  if id postgres >/dev/null 2>&1; then
    local runas=""
    if [ "$(id -u)" -eq 0 ]; then runas="runuser -u postgres --"; elif [ -n "$SUDO" ] && [ "$SUDO" != "__nosudo__" ]; then runas="sudo -u postgres"; fi
    if [ -n "$runas" ] && $runas psql -d postgres -Atc "SELECT 1" >/dev/null 2>&1; then
      read -r -a ADMIN <<<"$runas psql"; return 0
    fi
  fi
  return 1
}

if [ -z "${DATABASE_URL:-}" ]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && ! pg_isready -q 2>/dev/null; then
    say "Starting the local PostgreSQL cluster"
    PGV=${PGV:-$(ls /usr/lib/postgresql | sort -n | tail -1)}
    if ! pg_lsclusters -h 2>/dev/null | grep -q .; then as_root pg_createcluster "$PGV" main >/dev/null; fi
    cl=$(pg_lsclusters -h | awk 'NR==1{print $1" "$2}')
    as_root pg_ctlcluster --skip-systemctl-redirect $cl start 2>/dev/null || as_root pg_ctlcluster $cl start \
      || die "PostgreSQL would not start: see 'pg_lsclusters' and the log in /var/log/postgresql, then rerun."
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  find_admin || die "No PostgreSQL superuser reachable on 127.0.0.1:5432 or the socket: set DATABASE_URL to a PostGIS database, or run 'make demo' with sudo rights."
  if [ "$("${ADMIN[@]}" -d postgres -Atc "SELECT 1 FROM pg_roles WHERE rolname='miasto'")" != "1" ]; then
    say "Creating the database role 'miasto'"
    "${ADMIN[@]}" -d postgres -qc "CREATE ROLE miasto LOGIN SUPERUSER PASSWORD 'miasto'"
  fi
  if [ "$("${ADMIN[@]}" -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname='miasto'")" != "1" ]; then
    say "Creating the database 'miasto'"
    "${ADMIN[@]}" -d postgres -qc "CREATE DATABASE miasto OWNER miasto"
  fi
  "${ADMIN[@]}" -d miasto -qc "CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pgrouting; CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS unaccent;" 2>/dev/null \
    || die "Could not create the PostGIS/pgRouting extensions: install postgresql-<version>-postgis-3 and postgresql-<version>-pgrouting for the running server, then rerun."
  export DATABASE_URL="postgis://miasto:miasto@127.0.0.1:5432/miasto"
fi

# --- 3. Python virtualenv -------------------------------------------------------------------
PY=${PYTHON:-python3}
command -v "$PY" >/dev/null 2>&1 || die "Python 3.11+ is missing: install python3 (and python3-venv) and rerun."
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || die "Miasto needs Python 3.11 or newer; set PYTHON=/path/to/python3.11 and rerun."
if [ ! -x .venv/bin/python ]; then
  say "Creating .venv"
  "$PY" -m venv .venv 2>/dev/null || { apt_install python3-venv; "$PY" -m venv .venv; } \
    || die "Could not create .venv: install python3-venv and rerun."
fi
stamp=".venv/.miasto-$(sha1sum pyproject.toml | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  say "Installing Miasto and its Python dependencies into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  # (the grep hides pip's notes about absent local mirrors some machines configure)
  .venv/bin/python -m pip install -q -e '.[dev]' 2>&1 | grep -v 'is ignored: it is neither' || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || die "pip could not install the dependencies: check access to PyPI and rerun."
  rm -f .venv/.miasto-*; touch "$stamp"
fi

# --- 4. Front end ---------------------------------------------------------------------------
if [ -f package.json ]; then
  lockstamp="node_modules/.miasto-$(cat package.json package-lock.json 2>/dev/null | sha1sum | cut -c1-12)"
  if [ ! -f "$lockstamp" ]; then
    say "Installing front-end packages from npm"
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi \
      || die "npm could not install the front-end packages: check access to the npm registry and rerun."
    touch "$lockstamp"
  fi
  if [ ! -f src/miasto/web/static/web/dist/.built ] || [ -n "$(find src/miasto/web/frontend package.json scripts/build_frontend.sh -newer src/miasto/web/static/web/dist/.built -type f 2>/dev/null | head -1)" ]; then
    say "Building the front end"
    npm run --silent build || die "The front-end build failed: see the esbuild error above."
    touch src/miasto/web/static/web/dist/.built
  fi
fi

# --- 4b. Secret key and static files -----------------------------------------------------------
# Without SECRET_KEY in the environment the settings read var/secret_key (git-ignored): make one.
if [ -z "${SECRET_KEY:-}" ] && [ -z "${MIASTO_SECRET_KEY_FILE:-}" ] && [ ! -s var/secret_key ]; then
  say "Generating a secret key in var/secret_key"
  mkdir -p var && (umask 077 && .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key)
fi
scripts/static.sh || die "Collecting the static files failed: see the error above (was the front end built?)."

# --- 5. Translations and database schema -----------------------------------------------------
if [ -n "$(find src/miasto -name '*.po' -newer .venv/.miasto-messages 2>/dev/null | head -1)" ] || [ ! -f .venv/.miasto-messages ]; then
  say "Compiling translations"
  (cd src/miasto && "$ROOT/.venv/bin/miasto" compilemessages -v0) && touch .venv/.miasto-messages
fi
say "Applying database migrations"
.venv/bin/miasto migrate --no-input -v0 || die "Migrations failed: see the error above (is DATABASE_URL a PostGIS database?)."
say "Ready (database: ${DATABASE_URL%%@*}@…)"

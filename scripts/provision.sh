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

# Roles (docs/deploy.md): the administrative connection found above, a superuser, is used only
# here — to create the app role, its database, and the extensions (only a superuser may create
# PostGIS and pgRouting) in that database and in a template database that the tests and the
# benchmarks copy. The app connects as DB_ROLE: no superuser, no CREATEROLE, no server file or
# program access; it owns its database and the objects in it, and may create databases (the
# tests' copies of the template). Names are overridable, e.g. for a second checkout.
DB_ROLE=${MIASTO_DB_ROLE:-miasto}
DB_NAME=${MIASTO_DB_NAME:-miasto}
DB_PASSWORD=${MIASTO_DB_PASSWORD:-miasto}
DB_TEMPLATE=${MIASTO_DB_TEMPLATE:-miasto_template}
EXTENSIONS=(postgis pgrouting pg_trgm unaccent)
for name in "$DB_ROLE" "$DB_NAME" "$DB_TEMPLATE"; do
  [[ $name =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "'$name' is not a usable PostgreSQL name: use lower-case letters, digits and _ in MIASTO_DB_ROLE, MIASTO_DB_NAME and MIASTO_DB_TEMPLATE."
done
[[ $DB_PASSWORD =~ ^[A-Za-z0-9_.,:@%+=-]+$ ]] || die "MIASTO_DB_PASSWORD may hold only letters, digits and _.,:@%+=- (it goes into a URL)."
LOCAL_URL="postgis://$DB_ROLE:$DB_PASSWORD@127.0.0.1:5432/$DB_NAME"

admin_sql() { "${ADMIN[@]}" -v ON_ERROR_STOP=1 -qAt -d "$1" -c "SET client_min_messages = warning" -c "$2"; }

# Objects of the app's schemas that someone else owns (made by hand, or by an older Miasto run
# as another role) would fail the app's migrations: they pass to the app role. Objects of
# extensions stay with their extension's owner.
OWNERSHIP_SQL="DO \$\$
DECLARE o record;
BEGIN
  FOR o IN SELECT n.nspname FROM pg_namespace n
      WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        AND n.nspowner NOT IN ('$DB_ROLE'::regrole, COALESCE(to_regrole('pg_database_owner'), 0))
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass
                        AND d.objid = n.oid AND d.deptype = 'e')
  LOOP EXECUTE format('ALTER SCHEMA %I OWNER TO $DB_ROLE', o.nspname); END LOOP;
  FOR o IN SELECT c.oid::regclass AS rel,
        CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
          WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relowner <> '$DB_ROLE'::regrole
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                        AND d.objid = c.oid AND d.deptype IN ('e', 'a', 'i'))
  LOOP EXECUTE format('ALTER %s %s OWNER TO $DB_ROLE', o.kind, o.rel); END LOOP;
  FOR o IN SELECT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        AND p.proowner <> '$DB_ROLE'::regrole
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                        AND d.objid = p.oid AND d.deptype = 'e')
  LOOP EXECUTE format('ALTER ROUTINE %s OWNER TO $DB_ROLE', o.fn); END LOOP;
END \$\$"

# Memberships that would give the app role back what it must not have: superuser or CREATEROLE
# roles, and the server file and program roles (directly or through another role).
MEMBERSHIP_SQL="DO \$\$
DECLARE g record;
BEGIN
  FOR g IN SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
      WHERE m.member = '$DB_ROLE'::regrole AND EXISTS (
        SELECT 1 FROM pg_roles s
        WHERE (s.rolsuper OR s.rolcreaterole OR s.rolname IN
               ('pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program'))
          AND pg_has_role(r.oid, s.oid, 'MEMBER'))
  LOOP EXECUTE format('REVOKE %I FROM $DB_ROLE', g.rolname); END LOOP;
END \$\$"

provision_database() {
  local excess createdb
  excess=$(admin_sql postgres "SELECT concat_ws(' ', CASE WHEN rolsuper THEN 'SUPERUSER' END,
      CASE WHEN rolcreaterole THEN 'CREATEROLE' END, CASE WHEN rolreplication THEN 'REPLICATION' END,
      CASE WHEN rolbypassrls THEN 'BYPASSRLS' END, 'exists')
    FROM pg_roles WHERE rolname = '$DB_ROLE'")
  createdb=$(admin_sql postgres "SELECT rolcreatedb FROM pg_roles WHERE rolname = '$DB_ROLE'")
  if [ -z "$excess" ]; then
    say "Creating the database role '$DB_ROLE' (not a superuser)"
    admin_sql postgres "CREATE ROLE $DB_ROLE LOGIN PASSWORD '$DB_PASSWORD' NOSUPERUSER NOCREATEROLE CREATEDB NOREPLICATION NOBYPASSRLS"
  elif [ "$excess" != "exists" ]; then
    # (a role made by an older Miasto: it keeps CREATEDB, which the tests need)
    say "Taking from the database role '$DB_ROLE' what the app must not have: ${excess% exists}"
    admin_sql postgres "ALTER ROLE $DB_ROLE NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS CREATEDB"
  elif [ "$createdb" != "t" ] && [[ "${MAKE_TARGET:-}" =~ ^(test|bench)$ ]]; then
    # (otherwise left without: e.g. a production server, docs/deploy.md)
    say "Letting the database role '$DB_ROLE' create databases (the tests and benchmarks copy the template)"
    admin_sql postgres "ALTER ROLE $DB_ROLE CREATEDB"
  fi
  admin_sql postgres "$MEMBERSHIP_SQL"
  if [ "${MAKE_TARGET:-}" = "bench" ]; then
    # the data hub benchmark writes out dirty pages between timed steps (CHECKPOINT): the
    # predefined role for just that, PostgreSQL 15+; a benchmark machine only
    admin_sql postgres "DO \$\$ BEGIN IF to_regrole('pg_checkpoint') IS NOT NULL THEN GRANT pg_checkpoint TO $DB_ROLE; END IF; END \$\$"
  fi

  # the template the tests (Django's TEST.TEMPLATE) and benchmarks copy: the extensions, made
  # here; any role may copy a database marked IS_TEMPLATE, nobody but the admin connects to it
  local wanted="miasto template: ${EXTENSIONS[*]}" have
  have=$(admin_sql postgres "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = '$DB_TEMPLATE'")
  if [ "$have" != "$wanted" ]; then
    say "Preparing the template database '$DB_TEMPLATE' (${EXTENSIONS[*]})"
    if [ "$(admin_sql postgres "SELECT 1 FROM pg_database WHERE datname = '$DB_TEMPLATE'")" != "1" ]; then
      admin_sql postgres "CREATE DATABASE $DB_TEMPLATE TEMPLATE template1"
    fi
    for ext in "${EXTENSIONS[@]}"; do admin_sql "$DB_TEMPLATE" "CREATE EXTENSION IF NOT EXISTS $ext" >/dev/null; done
    admin_sql postgres "ALTER DATABASE $DB_TEMPLATE IS_TEMPLATE true"
    admin_sql postgres "REVOKE CONNECT, TEMPORARY ON DATABASE $DB_TEMPLATE FROM PUBLIC"
    admin_sql postgres "COMMENT ON DATABASE $DB_TEMPLATE IS '$wanted'"
  fi

  local owner
  owner=$(admin_sql postgres "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$DB_NAME'")
  if [ -z "$owner" ]; then
    say "Creating the database '$DB_NAME'"
    admin_sql postgres "CREATE DATABASE $DB_NAME OWNER $DB_ROLE TEMPLATE $DB_TEMPLATE"
  elif [ "$owner" != "$DB_ROLE" ]; then
    say "Giving the database '$DB_NAME' to '$DB_ROLE'"
    admin_sql postgres "ALTER DATABASE $DB_NAME OWNER TO $DB_ROLE"
  fi
  for ext in "${EXTENSIONS[@]}"; do admin_sql "$DB_NAME" "CREATE EXTENSION IF NOT EXISTS $ext" >/dev/null; done
  admin_sql "$DB_NAME" "$OWNERSHIP_SQL"
}

# A DATABASE_URL of one's own is used as it is (its role must be able to do what the app role
# above can, with the extensions made by an administrator: docs/deploy.md); the URL this script
# would set is provisioned as if it were unset.
url="${DATABASE_URL:-}"
url="${url/#postgresql:/postgis:}"; url="${url/#postgres:/postgis:}"; url="${url/@localhost:/@127.0.0.1:}"
if [ -z "$url" ] || [ "$url" = "$LOCAL_URL" ]; then
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
  set -E
  trap 'die "Could not prepare the database (see the error above); if an extension is missing, install postgresql-<version>-postgis-3 and postgresql-<version>-pgrouting for the running server, then rerun."' ERR
  provision_database
  trap - ERR
  set +E
  export DATABASE_URL="$LOCAL_URL"
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

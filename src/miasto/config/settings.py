"""Miasto settings, read from the environment.

Environment variables:
- ``DATABASE_URL`` — PostGIS database (default: the locally provisioned one).
- ``MIASTO_DB_TEMPLATE`` — the database tests copy, with the extensions (default
  ``miasto_template``, made by ``scripts/provision.sh``).
- ``MIASTO_SRID`` — storage SRID (default 2180, PUWG 1992).
- ``SECRET_KEY``, ``DEBUG``, ``ALLOWED_HOSTS`` (comma-separated). Without ``SECRET_KEY`` the key
  is read from ``MIASTO_SECRET_KEY_FILE`` (default ``var/secret_key``, written by ``make setup``);
  with neither, only ``DEBUG=1`` starts.
- ``MIASTO_HTTPS=1`` when the site is served over HTTPS (behind a proxy that sets
  ``X-Forwarded-Proto``): secure cookies, HSTS, redirect to https; ``MIASTO_HSTS_PRELOAD=1``
  adds HSTS preloading.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent  # src/miasto
PROJECT_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


#: Public, so only ever used with DEBUG on: anyone could forge cookies signed with it.
DEVELOPMENT_SECRET_KEY = "insecure-local-development-key-change-me"


def secret_key(debug: bool) -> str:
    """SECRET_KEY from the environment or its file; refuse to run without one unless DEBUG."""
    key = os.environ.get("SECRET_KEY", "").strip()
    if not key:
        path = Path(os.environ.get("MIASTO_SECRET_KEY_FILE") or PROJECT_DIR / "var" / "secret_key")
        key = path.read_text().strip() if path.is_file() else ""
    if key and key != DEVELOPMENT_SECRET_KEY:
        return key
    if debug:
        return DEVELOPMENT_SECRET_KEY
    raise ImproperlyConfigured(
        "Miasto needs a secret key: set SECRET_KEY to 50+ random characters, or run "
        "`make setup` (it writes one to var/secret_key); DEBUG=1 runs with a public "
        "development key, for local work only."
    )


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = secret_key(DEBUG)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

#: Storage SRID of every geometry column (metric; PUWG 1992 by default).
MIASTO_SRID = int(os.environ.get("MIASTO_SRID", "2180"))
#: SRID of API output unless asked otherwise (CRS84 axis order: lon, lat).
MIASTO_API_SRID = 4326
#: CRSs accepted in API requests (``crs=EPSG:xxxx``).
MIASTO_API_CRS = {2180, 2176, 2177, 2178, 2179, 3857, 4326}
#: Longest accepted search query (characters).
MIASTO_SEARCH_MAX_LENGTH = 200
#: Largest accepted upload (bytes); env MIASTO_UPLOAD_MAX_MB.
MIASTO_UPLOAD_MAX_BYTES = int(os.environ.get("MIASTO_UPLOAD_MAX_MB", "2048")) * 1024 * 1024
#: parallel workers a batch job (imports, analyses) may use per query; the web keeps them at 0
MIASTO_BATCH_PARALLEL_WORKERS = int(os.environ.get("MIASTO_BATCH_PARALLEL_WORKERS", "2"))
#: Vector-tile cache (see miasto.core.tilecache); env MIASTO_TILE_CACHE_DIR, "" turns it off.
MIASTO_TILE_CACHE_DIR = os.environ.get(
    "MIASTO_TILE_CACHE_DIR", str(PROJECT_DIR / "var" / "cache" / "tiles")
)
#: Vector-tile cache size limit (MB; the oldest tiles go first) and the highest zoom served.
MIASTO_TILE_CACHE_MAX_MB = int(os.environ.get("MIASTO_TILE_CACHE_MAX_MB", "512"))
MIASTO_TILE_MAX_ZOOM = int(os.environ.get("MIASTO_TILE_MAX_ZOOM", "20"))
#: statement_timeout of web requests' queries (ms; 0 = none); the worker and CLI are unbounded.
MIASTO_WEB_STATEMENT_TIMEOUT_MS = int(os.environ.get("MIASTO_WEB_STATEMENT_TIMEOUT_MS", "5000"))
#: Bounds of one wypis i wyrys PDF layout (CPU seconds; wall seconds, for a loaded machine;
#: MB) and of its number of parcels.
MIASTO_PDF_CPU_S = float(os.environ.get("MIASTO_PDF_CPU_S", "5"))
MIASTO_PDF_TIMEOUT_S = float(os.environ.get("MIASTO_PDF_TIMEOUT_S", "15"))
MIASTO_PDF_MEMORY_MB = int(os.environ.get("MIASTO_PDF_MEMORY_MB", "300"))
MIASTO_WYPIS_MAX_PARCELS = int(os.environ.get("MIASTO_WYPIS_MAX_PARCELS", "5"))
#: The number of the municipality's planning data set in the register of spatial data: the
#: <nr> of the APP namespace PL.ZIPPZP.<nr>/<TERYT>-<type> made for a plan without one.
MIASTO_APP_NAMESPACE_NUMBER = os.environ.get("MIASTO_APP_NAMESPACE_NUMBER", "0").strip() or "0"
#: kinds of public services added to the built-in ones, {code: Polish label} (for municipal
#: accessibility standards: police, fire brigade…); env MIASTO_SERVICE_KINDS_EXTRA (JSON).
#: Checked at start-up (territory.E001), see miasto.territory.service_kinds.
try:
    MIASTO_SERVICE_KINDS_EXTRA = json.loads(os.environ.get("MIASTO_SERVICE_KINDS_EXTRA") or "{}")
except ValueError:  # not JSON: the system check says so
    MIASTO_SERVICE_KINDS_EXTRA = os.environ["MIASTO_SERVICE_KINDS_EXTRA"]
#: paths of the APIs: keys and rate limits apply there (core.ratelimit); the map's tiles do not
MIASTO_API_PATHS = ("/api/", "/ogcapi/", "/wfs", "/catalog", "/open311/")
#: requests a minute per client without a key (per address, or per account when signed in),
#: and per key unless the key has its own; 0 lifts the limit
#: (GIS clients page through a layer: GDAL's OAPIF driver asked ~600 pages of the demo city's
#: parcels to count them, so the anonymous limit leaves room for that)
MIASTO_API_RATE_ANONYMOUS = int(os.environ.get("MIASTO_API_RATE_ANONYMOUS", "3000"))
MIASTO_API_RATE_KEY = int(os.environ.get("MIASTO_API_RATE_KEY", "30000"))
# how often each process writes its API request counts (core.ratecount); 0: every request
MIASTO_API_COUNT_FLUSH_S = float(os.environ.get("MIASTO_API_COUNT_FLUSH_S", "1"))
#: Consultations: comments one person may send a day; attachment and document size limits.
MIASTO_CONSULTATIONS_COMMENTS_PER_DAY = int(
    os.environ.get("MIASTO_CONSULTATIONS_COMMENTS_PER_DAY", "20")
)
MIASTO_CONSULTATIONS_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
MIASTO_CONSULTATIONS_DOCUMENT_MAX_BYTES = 50 * 1024 * 1024

#: the site's public address, for links in notifications sent outside a request (webhooks)
#: Residents' proposals: per-person limits on public writes and the photo size (docs/proposals.md)
MIASTO_PROPOSALS_SUBMIT_PER_DAY = int(os.environ.get("MIASTO_PROPOSALS_SUBMIT_PER_DAY", "5"))
MIASTO_PROPOSALS_COMMENTS_PER_HOUR = int(os.environ.get("MIASTO_PROPOSALS_COMMENTS_PER_HOUR", "20"))
MIASTO_PROPOSALS_SUPPORTS_PER_HOUR = int(os.environ.get("MIASTO_PROPOSALS_SUPPORTS_PER_HOUR", "60"))
MIASTO_PROPOSALS_REPORTS_PER_HOUR = int(os.environ.get("MIASTO_PROPOSALS_REPORTS_PER_HOUR", "20"))
MIASTO_PROPOSALS_PHOTO_MAX_BYTES = 5 * 1024 * 1024
MIASTO_PUBLIC_URL = os.environ.get("MIASTO_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
#: map surveys: responses one person (account, or a keyed hash of the address) may send
#: within the window (seconds) — a household sharing an address still fits
MIASTO_SURVEYS_RESPONSE_LIMIT = int(os.environ.get("MIASTO_SURVEYS_RESPONSE_LIMIT", "20"))
MIASTO_SURVEYS_RESPONSE_WINDOW = int(os.environ.get("MIASTO_SURVEYS_RESPONSE_WINDOW", "3600"))
#: webhooks: seconds before each retry of a failed delivery (then it gives up); whether
#: addresses in private networks are allowed (tests, closed networks only)
MIASTO_WEBHOOK_BACKOFF = (60, 300, 1800, 7200, 43200)
MIASTO_WEBHOOK_ALLOW_PRIVATE = os.environ.get("MIASTO_WEBHOOK_ALLOW_PRIVATE", "") == "1"
#: area alerts (miasto.alerts): areas one person may follow; a new subscription at most
#: MIASTO_ALERTS_CREATE_LIMIT times an hour; an address's radius (min, max m); a drawn
#: area's size (km², and at least m²), points and GeoJSON length
MIASTO_ALERTS_MAX_PER_PERSON = int(os.environ.get("MIASTO_ALERTS_MAX_PER_PERSON", "10"))
MIASTO_ALERTS_CREATE_LIMIT = int(os.environ.get("MIASTO_ALERTS_CREATE_LIMIT", "20"))
MIASTO_ALERTS_RADIUS_M = (50, 3000)
MIASTO_ALERTS_MAX_AREA_KM2 = float(os.environ.get("MIASTO_ALERTS_MAX_AREA_KM2", "30"))
MIASTO_ALERTS_MIN_AREA_M2 = 100.0
MIASTO_ALERTS_MAX_VERTICES = 500
MIASTO_ALERTS_MAX_GEOJSON_BYTES = 50_000
#: Scratch space for imports and exports (removed after each job).
MIASTO_WORK_DIR = Path(os.environ.get("MIASTO_WORK_DIR", PROJECT_DIR / "var" / "work"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "csp",
    # the job queue (see docs/architecture.md, "Background jobs"): its tables and worker
    "procrastinate.contrib.django",
    "miasto.core",
    "miasto.territory",
    "miasto.datahub",
    "miasto.planning",
    "miasto.accessibility",
    "miasto.problems",
    "miasto.proposals",
    "miasto.surveys",
    "miasto.alerts",
    "miasto.consultations",
    "miasto.advertising",
    "miasto.democity",
    "miasto.web",
    "miasto.opendata",
    "miasto.ogcapi",
    "miasto.wfs",
    # accounts (see docs/accounts.md): sign-in, sign-up, 2FA, login throttling
    "miasto.accounts",
    "miasto.developers",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "miasto.core.csp.CSPMiddleware",
    "miasto.core.errors.NulByteGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "miasto.core.audit.AuditActorMiddleware",
    "miasto.core.errors.JsonErrorMiddleware",
    # before the statement timeout, so that a cancelled query is answered as a timeout
    "miasto.core.errors.DatabaseUnavailableMiddleware",
    "miasto.core.limits.StatementTimeoutMiddleware",
    "miasto.core.ratelimit.ApiRateLimitMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "miasto.accounts.middleware.StaffTwoFactorMiddleware",
    # last, as django-axes asks: turns a locked-out sign-in into its 429 page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "miasto.config.urls"
WSGI_APPLICATION = "miasto.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "miasto.web.context_processors.site",
            ],
        },
    }
]

_default_db = "postgis://miasto:miasto@127.0.0.1:5432/miasto"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db),
        # PostGIS with a health check of reused connections that needs no round trip
        engine="miasto.core.dbbackend",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
# Lessons from PERFORMANCE.md: parallel plans make web queries slower on 2 cores; and JIT
# compilation adds 50–200 ms to any statement the planner thinks is expensive.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    "-c max_parallel_workers_per_gather=0 -c jit=off"
)
# In a web server's process (config/wsgi.py says so) every connection serves requests only:
# the requests' statement timeout is the connection's own, set when it opens, instead of a SET
# and a RESET around each request (two round trips; core.limits.StatementTimeoutMiddleware).
MIASTO_WEB_PROCESS = os.environ.get("MIASTO_WEB_PROCESS") == "1"
if MIASTO_WEB_PROCESS and MIASTO_WEB_STATEMENT_TIMEOUT_MS > 0:
    DATABASES["default"]["OPTIONS"]["options"] += (
        f" -c statement_timeout={MIASTO_WEB_STATEMENT_TIMEOUT_MS}"
    )
# The app's role is no superuser (docs/deploy.md), so it cannot create PostGIS or pgRouting: the
# test database is a copy of the template provisioning makes with the extensions (env
# MIASTO_DB_TEMPLATE; empty: PostgreSQL's template1, for a role that may create extensions).
DATABASES["default"]["TEST"] = {
    "NAME": os.environ.get("MIASTO_TEST_DB") or None,
    "TEMPLATE": os.environ.get("MIASTO_DB_TEMPLATE", "miasto_template") or None,
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs run on procrastinate (docs/architecture.md, "Background jobs"). The apps'
# ``jobs`` modules register handlers with miasto.core.jobs, which defers one procrastinate
# task for them all: no autodiscovery of procrastinate ``tasks`` modules.
PROCRASTINATE_AUTODISCOVER_MODULE_NAME = ""
#: Settings of ``miasto worker``: one job at a time (handlers are synchronous and heavy; run
#: more workers for more), rows of succeeded jobs dropped (core.Job keeps the record), a
#: heartbeat every 10 s and other workers' jobs taken as stalled after 30 s without one.
PROCRASTINATE_WORKER_DEFAULTS = {
    "concurrency": 1,
    "delete_jobs": "successful",
    "update_heartbeat_interval": 10.0,
    "stalled_worker_timeout": 30.0,
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/konto/logowanie/"
LOGIN_REDIRECT_URL = "/"

# --- accounts: django-allauth, django-axes, e-mail (docs/accounts.md) -------------------------
AUTHENTICATION_BACKENDS = [
    # first: refuses every attempt while the account or the address is locked out
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "miasto.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a link opened by a mail scanner confirms nothing
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Miasto] "
ACCOUNT_USERNAME_BLACKLIST = ["admin", "administrator", "root", "miasto", "konto"]
# failed sign-ins are counted by django-axes (below), not twice by allauth
ACCOUNT_RATE_LIMITS = {"login_failed": None}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = os.environ.get("MIASTO_HTTP_PROTOCOL", "http")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Miasto"
MFA_TOTP_TOLERANCE = 1  # one 30-second step either way: phones' clocks drift
#: residents may make their own accounts at /konto/rejestracja/; env MIASTO_SIGNUP_OPEN
MIASTO_SIGNUP_OPEN = env_bool("MIASTO_SIGNUP_OPEN", True)
#: staff must set up TOTP before using the site; env MIASTO_STAFF_REQUIRE_2FA
MIASTO_STAFF_REQUIRE_2FA = env_bool("MIASTO_STAFF_REQUIRE_2FA", False)

# 10 failed sign-ins for one account, or from one address, within 15 minutes lock that
# account or address for 15 minutes after the last failure; a success resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("MIASTO_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("MIASTO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "miasto.accounts.throttling.attempted_username"
AXES_LOCKOUT_CALLABLE = "miasto.accounts.throttling.lockout_response"
AXES_VERBOSE = False
#: reverse proxies in front of gunicorn that append to X-Forwarded-For (nginx: 1); the
#: client's address for throttling and rate limits is read through them (core.http.client_ip)
MIASTO_PROXY_COUNT = int(os.environ.get("MIASTO_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "miasto.core.http.client_ip"

# E-mail: SMTP when EMAIL_HOST is set, otherwise printed on the console (the demo).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Miasto <noreply@localhost>")

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
USE_I18N = True
TIME_ZONE = "Europe/Warsaw"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("MIASTO_STATIC_ROOT", PROJECT_DIR / "var" / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # hashed names (cached for a year by WhiteNoise) and gzip/brotli copies, made by
    # `miasto collectstatic` (run by scripts/provision.sh and scripts/serve.sh)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Compress what browsers fetch; source maps (only read by developer tools) stay as they are,
# which keeps collectstatic to seconds. Only the hashed names are kept in STATIC_ROOT.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("MIASTO_MEDIA_ROOT", PROJECT_DIR / "var" / "media"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "miasto.core.errors.csrf_failure"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

#: Served over HTTPS (directly or behind a proxy that sets X-Forwarded-Proto and strips it from
#: clients): cookies only over HTTPS, HSTS for a year, plain-http requests redirected.
MIASTO_HTTPS = env_bool("MIASTO_HTTPS", False)
SESSION_COOKIE_SECURE = MIASTO_HTTPS
CSRF_COOKIE_SECURE = MIASTO_HTTPS
SECURE_SSL_REDIRECT = MIASTO_HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain http
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if MIASTO_HTTPS else None
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if MIASTO_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = MIASTO_HTTPS
# Preloading binds the whole domain for months: the domain owner's decision (see W021 below).
SECURE_HSTS_PRELOAD = MIASTO_HTTPS and env_bool("MIASTO_HSTS_PRELOAD", False)

# Content-Security-Policy (django-csp): everything from this origin. Scripts only from files
# (an inline one needs the request's nonce); style attributes stay allowed for the colour
# swatches drawn from data; the map draws on canvas, reads tiles by fetch and may use
# blob: workers and data:/blob: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SILENCED_SYSTEM_CHECKS = [
    # Debian 12 ships GDAL 3.6; Django 5.2 warns below 3.9. Everything Miasto uses works with 3.6.
    "gis.W001",
    # HSTS preloading is opt-in (MIASTO_HSTS_PRELOAD=1): a municipality's domain is often shared.
    "security.W021",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Problem reports (miasto.problems, docs/problems.md)
#: reports one person may send through the form in an hour
MIASTO_PROBLEMS_REPORTS_PER_HOUR = int(os.environ.get("MIASTO_PROBLEMS_REPORTS_PER_HOUR", "10"))
#: largest photo accepted (bytes) and its largest side (pixels; larger photos are scaled down)
MIASTO_PROBLEMS_PHOTO_MAX_BYTES = int(os.environ.get("MIASTO_PROBLEMS_PHOTO_MAX_MB", "8")) * 2**20
MIASTO_PROBLEMS_PHOTO_MAX_SIDE = 2048
#: duplicate suggestions: reports of the same category this near (m) and this recent (days)
MIASTO_PROBLEMS_DUPLICATE_METRES = 50
MIASTO_PROBLEMS_DUPLICATE_DAYS = 30
#: Open311 GET requests: at most this many in one answer, dates at most this many days apart
MIASTO_OPEN311_MAX_REQUESTS = 1000
MIASTO_OPEN311_MAX_DAYS = 90

"""Miasto settings, read from the environment.

Environment variables:
- ``DATABASE_URL`` — PostGIS database (default: the locally provisioned one).
- ``MIASTO_DB_TEMPLATE`` — the database tests copy, with the extensions (default
  ``miasto_template``, made by ``scripts/provision.sh``).
- ``MIASTO_SRID`` — storage SRID (default 2180, PUWG 1992).
- ``SECRET_KEY``, ``DEBUG``, ``ALLOWED_HOSTS`` (comma-separated).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent  # src/miasto
PROJECT_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "insecure-local-development-key-change-me" if DEBUG or "SECRET_KEY" not in os.environ else ""
)
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
    "miasto.core",
    "miasto.territory",
    "miasto.datahub",
    "miasto.planning",
    "miasto.accessibility",
    "miasto.democity",
    "miasto.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
    "miasto.core.errors.DatabaseUnavailableMiddleware",
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
        engine="django.contrib.gis.db.backends.postgis",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
# Lessons from PERFORMANCE.md: parallel plans make web queries slower on 2 cores; and JIT
# compilation adds 50–200 ms to any statement the planner thinks is expensive.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    "-c max_parallel_workers_per_gather=0 -c jit=off"
)
# The app's role is no superuser (docs/deploy.md), so it cannot create PostGIS or pgRouting: the
# test database is a copy of the template provisioning makes with the extensions (env
# MIASTO_DB_TEMPLATE; empty: PostgreSQL's template1, for a role that may create extensions).
DATABASES["default"]["TEST"] = {
    "NAME": os.environ.get("MIASTO_TEST_DB") or None,
    "TEMPLATE": os.environ.get("MIASTO_DB_TEMPLATE", "miasto_template") or None,
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/admin/login/"

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
USE_I18N = True
TIME_ZONE = "Europe/Warsaw"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("MIASTO_STATIC_ROOT", PROJECT_DIR / "var" / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("MIASTO_MEDIA_ROOT", PROJECT_DIR / "var" / "media"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

SILENCED_SYSTEM_CHECKS = [
    # Debian 12 ships GDAL 3.6; Django 5.2 warns below 3.9. Everything Miasto uses works with 3.6.
    "gis.W001",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""Deployment settings (issue #12, finding 10): no public secret key outside DEBUG, and HTTPS
settings from MIASTO_HTTPS. Each case starts Python afresh, since the settings are read once."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

REAL_SETTINGS = "miasto.config.settings"


def run(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` after django.setup() with the real settings and only the given variables
    (plus the database and paths), so that no key leaks in from the test run."""
    keep = ("PATH", "PYTHONPATH", "DATABASE_URL", "HOME", "LANG")
    base = {k: os.environ[k] for k in keep if k in os.environ}
    base |= {
        "DJANGO_SETTINGS_MODULE": REAL_SETTINGS,
        "MIASTO_SECRET_KEY_FILE": str(tmp_path / "no-such-key-file"),
        "MIASTO_STATIC_ROOT": str(tmp_path / "static"),
    }
    script = f"import django\ndjango.setup()\n{code}"
    return subprocess.run(
        [sys.executable, "-c", script],
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_no_secret_key_without_debug_refuses_to_start(tmp_path):
    result = run("print('started')", tmp_path, DEBUG="0")
    assert result.returncode != 0
    assert "needs a secret key" in result.stderr and "started" not in result.stdout


def test_the_public_development_key_is_refused_without_debug(tmp_path):
    result = run(
        "print('started')",
        tmp_path,
        DEBUG="0",
        SECRET_KEY="insecure-local-development-key-change-me",
    )
    assert result.returncode != 0 and "needs a secret key" in result.stderr


def test_a_cookie_signed_with_the_public_key_is_only_possible_in_debug(tmp_path):
    """With DEBUG on (local work) the public key is used; a forged cookie is then accepted,
    which is why nothing else may start with it."""
    code = (
        "from django.core import signing\n"
        "forged = signing.dumps({'forged': 1}, key='insecure-local-development-key-change-me')\n"
        "print(signing.loads(forged))"
    )
    assert run(code, tmp_path, DEBUG="1").stdout.strip() == "{'forged': 1}"


def test_the_key_file_is_read(tmp_path):
    key = secrets.token_urlsafe(50)
    (tmp_path / "secret_key").write_text(key + "\n")
    result = run(
        "from django.conf import settings\nprint(settings.SECRET_KEY)",
        tmp_path,
        DEBUG="0",
        MIASTO_SECRET_KEY_FILE=str(tmp_path / "secret_key"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key


def test_check_deploy_passes_with_https(tmp_path):
    env = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
        "MIASTO_HTTPS": "1",
    }
    code = (
        "from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = run(code, tmp_path, **env)
    assert result.returncode == 0, result.stderr


def test_https_redirects_and_sends_hsts(tmp_path):
    code = (
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='example.org')\n"
        "r = c.get('/nie-ma/')\n"
        "print(r.status_code, r['Location'])\n"
        "r = c.get('/nie-ma/', HTTP_X_FORWARDED_PROTO='https')\n"
        "print(r.status_code, r['Strict-Transport-Security'])\n"
        "from django.conf import settings\n"
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
    )
    env = {"DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "example.org"}
    result = run(code, tmp_path, MIASTO_HTTPS="1", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "301 https://example.org/nie-ma/",
        "404 max-age=31536000; includeSubDomains",
        "True True",
    ]
    # without MIASTO_HTTPS (the demo on http://127.0.0.1) nothing of this applies
    plain = run(
        code.replace(", r['Location']", "").replace(", r['Strict-Transport-Security']", ""),
        tmp_path,
        **env,
    )
    assert plain.stdout.splitlines() == ["404", "404", "False False"]

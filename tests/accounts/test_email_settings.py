"""E-mail goes to the console unless EMAIL_HOST is set; then to that SMTP server."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = (
    "import json; from miasto.config import settings as s; "
    "print(json.dumps([s.EMAIL_BACKEND, getattr(s, 'EMAIL_HOST', ''), "
    "getattr(s, 'EMAIL_PORT', None), getattr(s, 'EMAIL_USE_TLS', None), s.DEFAULT_FROM_EMAIL]))"
)


def _settings_with(**env: str) -> list:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DEFAULT_FROM"))}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env={**clean, **env}, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_console_by_default():
    backend, host, _port, _tls, sender = _settings_with()
    assert backend == "django.core.mail.backends.console.EmailBackend" and host == ""
    assert sender == "Miasto <noreply@localhost>"


def test_smtp_when_a_host_is_set():
    backend, host, port, tls, sender = _settings_with(
        EMAIL_HOST="smtp.example.org", EMAIL_PORT="465", DEFAULT_FROM_EMAIL="bip@um.example"
    )
    assert backend == "django.core.mail.backends.smtp.EmailBackend"
    assert (host, port, tls, sender) == ("smtp.example.org", 465, True, "bip@um.example")

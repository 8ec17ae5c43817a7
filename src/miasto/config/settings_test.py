"""Settings for the test suite (pytest's DJANGO_SETTINGS_MODULE): the real settings, plus

- a random secret key for this run when none is set (the real settings refuse to start without
  one unless DEBUG is on, and pytest-django runs the tests with DEBUG off);
- plain static file names: hashed names need ``collectstatic`` after every front-end build, and
  the tests read the freshly built bundle through WhiteNoise's finders instead
  (tests/web/test_static.py collects and checks the hashed, compressed files).
"""

from __future__ import annotations

import os
import secrets

# set before the settings read it; subprocesses of the tests inherit the same key
if not os.environ.get("SECRET_KEY", "").strip():
    os.environ["SECRET_KEY"] = "tests-" + secrets.token_urlsafe(48)

from miasto.config.settings import *  # noqa: E402, F403
from miasto.config.settings import STORAGES  # noqa: E402

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# the suite's clients all come from 127.0.0.1: counted, never refused (tests/core/test_ratelimit.py
# sets limits of its own)
MIASTO_API_RATE_ANONYMOUS = 0
# each request's count written at once (core.ratecount): the tests read the counters right
# after a request (tests/core/test_ratecount.py tests the batching itself)
MIASTO_API_COUNT_FLUSH_S = 0.0

"""WSGI entry point (``gunicorn miasto.config.wsgi``), loaded by each worker when it starts."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "miasto.config.settings")
# this process serves web requests only: its connections carry the requests' statement timeout
os.environ.setdefault("MIASTO_WEB_PROCESS", "1")
application = get_wsgi_application()


def _warm_up() -> None:
    """Pay WeasyPrint's import and font set-up (≈ 1.3 s) now, not in a user's first PDF."""
    from miasto.planning.wypis import warm_up

    try:
        warm_up()
    except Exception:  # noqa: BLE001 — a worker must start even if PDFs cannot be made
        logging.getLogger(__name__).exception("PDF warm-up failed")


_warm_up()

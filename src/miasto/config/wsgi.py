"""WSGI entry point (``gunicorn miasto.config.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "miasto.config.settings")
application = get_wsgi_application()

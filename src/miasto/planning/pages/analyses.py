"""Planning pages: analyses (see :mod:`miasto.planning.pages`)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

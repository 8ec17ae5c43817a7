"""Hostile request parameters get a 400 with a message, never a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/api/v1/datasets?q=a%00b", "/dane/?q=%00", "/api/v1/search?q=ab%00", "/map/?x%00=1"]
)
def test_nul_bytes_in_parameters_are_a_400(client, url):  # type: ignore[no-untyped-def]
    r = client.get(url)
    assert r.status_code == 400
    assert "NUL" in r.content.decode()


def test_database_outage_is_a_503_not_a_500(client, monkeypatch):  # type: ignore[no-untyped-def]
    from django.db import OperationalError

    from miasto.territory import selectors

    def down():  # type: ignore[no-untyped-def]
        raise OperationalError("connection refused")

    monkeypatch.setattr(selectors, "city_summary", down)
    r = client.get("/api/v1/city")
    assert r.status_code == 503 and "niedostępna" in r.json()["message"]

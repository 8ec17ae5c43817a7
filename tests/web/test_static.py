"""Static files (issue #12, finding 13): collected with hashed names and gzip/brotli copies,
served by WhiteNoise with a far-future Cache-Control and the compressed copy the client takes.

The tests themselves use plain names (miasto.config.settings_test); here the production
storage collects into a temporary STATIC_ROOT and requests go through the app's middleware."""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from miasto.config import settings as production

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "src" / "miasto" / "web" / "static" / "web" / "dist" / "main.js"

pytestmark = pytest.mark.skipif(
    not os.environ.get("CI") and not BUNDLE.exists(),
    reason="front end not built: npm ci && npm run build",
)


@pytest.fixture
def collected(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = production.STORAGES
    # the admin's, GeoDjango's and the admin map's files are collected the same way (make
    # setup collects them all); left out here to keep the test short
    ignore = ["admin", "gis", "ol.*", "htmx.*"]
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=ignore)
    return settings.STATIC_ROOT


def body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_main_bundle_is_hashed_compressed_and_cached_for_long(collected):  # type: ignore[no-untyped-def]
    from django.templatetags.static import static

    url = static("web/dist/main.js")
    assert re.fullmatch(r"/static/web/dist/main\.[0-9a-f]{12}\.js", url), url
    client = Client()  # a new handler: WhiteNoise reads the collected files when it starts

    page = client.get("/map/")
    assert page.status_code == 200 and url in page.content.decode()

    plain = client.get(url)
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    original = body(plain)
    # the same bundle, its source-map comment pointing at the hashed map
    assert (
        original.split(b"//# sourceMappingURL=")[0] == BUNDLE.read_bytes().split(b"//# sourceM")[0]
    )
    assert re.search(rb"//# sourceMappingURL=main\.js\.[0-9a-f]{12}\.map", original)

    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert zipped["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in zipped["Cache-Control"]
    assert "immutable" in zipped["Cache-Control"]
    assert "Accept-Encoding" in zipped["Vary"]
    compressed = body(zipped)
    assert len(compressed) < len(original) / 3
    assert gzip.decompress(compressed) == original

    brotli = pytest.importorskip("brotli")
    br = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert br["Content-Encoding"] == "br"
    assert brotli.decompress(body(br)) == original

    # the style sheet too
    url = static("web/dist/site.css")
    assert re.fullmatch(r"/static/web/dist/site\.[0-9a-f]{12}\.css", url), url
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"

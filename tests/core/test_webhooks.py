"""Webhook addresses: only http(s) to public internet addresses; signatures (the deliveries
themselves: tests/datahub/test_dataset_webhooks.py)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from miasto.core import webhooks


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8000/",
        "http://10.1.2.3/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "file:///etc/passwd",
        "ftp://example.org/",
        "gopher://example.org/",
        "http://user:pass@example.org/",
        "https:///nohost",
        "http://" + "a" * 600 + ".pl/",
    ],
)
def test_urls_that_are_refused(url: str) -> None:
    with pytest.raises(webhooks.WebhookRefused):
        webhooks.resolve_target(url)


def test_signature_is_hmac_sha256_of_timestamp_and_body() -> None:
    sig = webhooks.signature("sekret", "1700000000", b'{"a":1}')
    mac = hmac.new(b"sekret", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    assert sig == f"sha256={mac}"

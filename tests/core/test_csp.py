"""The CSP middleware: an ordinary response's header built once, the same as django-csp's;
nonces, per-view policies and exemptions still the library's way."""

from __future__ import annotations

import pytest
from csp.constants import HEADER
from csp.decorators import csp_exempt, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from miasto.core.csp import CSPMiddleware


def _run(middleware_class: type, view) -> tuple[HttpRequest, HttpResponse]:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/x/")
    middleware = middleware_class(view)
    return request, middleware(request)


def plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def with_nonce(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(request.csp_nonce))  # type: ignore[attr-defined]


@csp_update({"img-src": ["https://tiles.example"]})
def updated(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@csp_exempt()
def exempt(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def test_an_ordinary_response_gets_the_librarys_header_every_time() -> None:
    _, expected = _run(LibraryCSPMiddleware, plain)
    for _i in range(3):
        _, response = _run(CSPMiddleware, plain)
        assert response[HEADER] == expected[HEADER]
        assert "default-src 'self'" in response[HEADER]


def test_a_response_using_the_nonce_names_its_own_nonce() -> None:
    seen = set()
    for _i in range(2):
        _, response = _run(CSPMiddleware, with_nonce)
        nonce = response.content.decode()
        assert f"'nonce-{nonce}'" in response[HEADER]
        seen.add(nonce)
    assert len(seen) == 2


def test_a_view_that_changes_the_policy_gets_its_policy() -> None:
    _, response = _run(CSPMiddleware, updated)
    assert "https://tiles.example" in response[HEADER]
    _, ordinary = _run(CSPMiddleware, plain)
    assert "https://tiles.example" not in ordinary[HEADER]


def test_an_exempt_view_gets_no_header() -> None:
    _, response = _run(CSPMiddleware, exempt)
    assert HEADER not in response


def test_other_settings_give_another_header() -> None:
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        _, response = _run(CSPMiddleware, plain)
    assert response[HEADER] == "default-src 'none'"


def test_a_nonce_asked_for_after_the_header_is_an_error() -> None:
    request, _response = _run(CSPMiddleware, plain)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)  # type: ignore[attr-defined]

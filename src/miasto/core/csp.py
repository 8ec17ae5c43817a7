"""django-csp's middleware, with the policy of an ordinary response built once per process.

django-csp builds the ``Content-Security-Policy`` header afresh for every response (a deep
copy of the settings and a join of every directive) — a tenth of a millisecond that a small
API answer feels. The header only changes when the response used the request's nonce or a
view changed the policy (``csp.decorators``); every other response gets the same text, so it
is built once here. Responses that did change something go the library's own way.
"""

from __future__ import annotations

from dataclasses import asdict

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

#: attributes by which a view changes its response's policy (``csp.decorators``)
PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


class CSPMiddleware(LibraryCSPMiddleware):
    #: the two headers of an ordinary response, per settings object (tests override them)
    _plain: dict[tuple[int, int], tuple[str, str]] = {}

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in PER_RESPONSE)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        key = (
            id(getattr(settings, "CONTENT_SECURITY_POLICY", None)),
            id(getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)),
        )
        if key not in self._plain:
            self._plain[key] = self._plain_headers(request, response)
        csp, csp_ro = self._plain[key]
        _set(request, response, (HEADER, csp, "_csp_exempt", "CONTENT_SECURITY_POLICY"))
        _set(
            request,
            response,
            (HEADER_REPORT_ONLY, csp_ro, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        )
        # as the library does: a nonce asked for after the header is written is an error
        request.csp_nonce = CheckableLazyObject(  # type: ignore[attr-defined]
            self._csp_nonce_post_response
        )
        return response

    def _plain_headers(self, request: HttpRequest, response: HttpResponseBase) -> tuple[str, str]:
        parts = self.get_policy_parts(request=request, response=response)
        parts_ro = self.get_policy_parts(request=request, response=response, report_only=True)
        return build_policy(**asdict(parts)), build_policy(**asdict(parts_ro), report_only=True)


def _set(request: HttpRequest, response: HttpResponseBase, what: tuple[str, str, str, str]) -> None:
    """The header (name, value, exempting attribute, setting), unless empty, already set,
    exempted or excluded (the library's rules)."""
    header, value, exempt, setting = what
    if not value or header in response or getattr(response, exempt, False):
        return
    prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
    if not request.path_info.startswith(tuple(prefixes)):
        response[header] = value

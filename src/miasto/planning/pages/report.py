"""Planning pages: the parcel planning report (*wypis i wyrys*) as an HTML page and a PDF draft.

- ``/planowanie/wypis/`` — the form: parcel identifier(s) or an address, and a date; submitted
  (GET) it redirects to the report. With ``?id=..&id=..`` it is the report of those parcels.
- ``/planowanie/wypis/<identifier>/`` — the report of one parcel (more with ``?id=``).
- ``/api/v1/parcels/<identifier>/planning.pdf`` — the A4 PDF draft (more parcels with
  ``?id=``); errors as JSON like the rest of the API. Registered here, so before territory's
  ``api/v1/parcels/<path:identifier>`` (see ``config/urls.py``).

Bad identifiers or dates → 400 with the Polish format message, unknown parcels → 404; the
work is done by :mod:`miasto.planning.wypis`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from miasto.core.errors import InvalidParameter, NotFound, ServiceUnavailable
from miasto.core.limits import LimitExceeded
from miasto.planning import wypis
from miasto.territory import identifiers as ids
from miasto.territory.search import search

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_date(raw: str | None) -> dt.date | None:
    """None for empty; raises ValueError for anything but a real YYYY-MM-DD date."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if not _DATE_RE.match(raw):
        raise ValueError(raw)
    return dt.date.fromisoformat(raw)


def _bad_identifiers_message(bad: list[str]) -> str:
    listed = ", ".join(f"„{b[:60]}”" for b in bad[:5])
    return _("Invalid parcel identifier %(list)s. Expected format: %(format)s.") % {
        "list": listed,
        "format": ids.PARCEL_ID_FORMAT,
    }


class WypisForm(forms.Form):
    parcels = forms.CharField(
        label=gettext_lazy("Parcel identifier(s)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 40, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "One or more EGiB identifiers separated by commas or new lines, "
            "e.g. 146501_1.0001.123/4."
        ),
    )
    address = forms.CharField(
        label=gettext_lazy("or an address"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Street and number, e.g. Lipowa 12; the parcel at that address."),
    )
    as_of = forms.CharField(
        label=gettext_lazy("As of"),
        required=False,
        max_length=10,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The plans in force on this day (YYYY-MM-DD); today by default."),
    )

    status = 400

    def clean_as_of(self) -> dt.date | None:
        try:
            return _parse_date(self.cleaned_data.get("as_of"))
        except ValueError:
            raise forms.ValidationError(
                _("Invalid date. Expected format: YYYY-MM-DD, e.g. 2024-05-31.")
            ) from None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # (what Form.clean returns)
        text = data.get("parcels") or ""
        address = (data.get("address") or "").strip()
        found: list[str] = []
        if text.strip():
            found = wypis.split_identifiers(text)
            bad = [i for i in found if not ids.is_parcel_identifier(i)]
            if bad:
                self.add_error("parcels", _bad_identifiers_message(bad))
            elif len(found) > wypis.max_parcels():
                self.add_error(
                    "parcels",
                    _("At most %(n)s parcels in one report.") % {"n": wypis.max_parcels()},
                )
        elif address:
            try:
                results = search(address, limit=5)["results"]
            except InvalidParameter as exc:
                self.add_error("address", str(exc))
                return data
            hits = [r["parcel"] for r in results if r["type"] == "address" and r["parcel"]]
            if not hits:
                self.status = 404
                self.add_error(
                    "address",
                    _("No parcel found at the address „%(address)s”.") % {"address": address[:80]},
                )
            else:
                found = [hits[0]]
        else:
            self.add_error(None, _("Enter a parcel identifier or an address."))
        data["identifiers"] = found
        return data


def _report_url(identifiers: list[str], as_of: dt.date | None) -> str:
    query: list[tuple[str, str]] = []
    if len(identifiers) == 1:
        url = reverse("planning:report", kwargs={"identifier": identifiers[0]})
    else:
        url = reverse("planning:report-form")
        query += [("id", i) for i in identifiers]
    if as_of:
        query.append(("as_of", as_of.isoformat()))
    return url + ("?" + urlencode(query) if query else "")


def _form_page(request: HttpRequest, form: WypisForm, status: int = 200) -> HttpResponse:
    return render(request, "planning/report_form.html", {"form": form}, status=status)


@require_GET
def report_form(request: HttpRequest) -> HttpResponse:
    """The form; submitted, a redirect to the report; with ``?id=`` the report itself."""
    if request.GET.getlist("id"):
        return _report(request)
    if not any(k in request.GET for k in ("parcels", "address", "as_of")):
        return _form_page(request, WypisForm(initial={"as_of": dt.date.today().isoformat()}))
    form = WypisForm(request.GET)
    if not form.is_valid():
        return _form_page(request, form, status=form.status)
    return redirect(_report_url(form.cleaned_data["identifiers"], form.cleaned_data["as_of"]))


def _limit_message(exc: LimitExceeded) -> str:
    if exc.kind == "time":
        text = _(
            "The extract could not be prepared within the time limit (%(seconds)s s). "
            "Try fewer parcels, or report the problem to the administrator."
        )
    else:
        text = _(
            "The extract could not be prepared within the memory limit (%(memory)s MB). "
            "Try fewer parcels, or report the problem to the administrator."
        )
    return text % {"seconds": f"{exc.seconds:g}", "memory": exc.memory_mb}


def _error_page(request: HttpRequest, message: str, status: int) -> HttpResponse:
    form = WypisForm(initial={"as_of": dt.date.today().isoformat()})
    return render(
        request,
        "planning/report_error.html",
        {"message": message, "status": status, "form": form},
        status=status,
    )


def _identifiers(first: str | None, request: HttpRequest) -> list[str]:
    raw = ([first] if first else []) + request.GET.getlist("id")
    found: list[str] = []
    for item in raw:
        found += wypis.split_identifiers(item)
    return list(dict.fromkeys(found))


def _check(found: list[str]) -> str | None:
    """A Polish/English error message for bad identifiers, or None."""
    if not found:
        return _("Enter a parcel identifier or an address.")
    bad = [i for i in found if not ids.is_parcel_identifier(i)]
    if bad:
        return _bad_identifiers_message(bad)
    if len(found) > wypis.max_parcels():
        return _("At most %(n)s parcels in one report.") % {"n": wypis.max_parcels()}
    return None


def _report(request: HttpRequest, first: str | None = None) -> HttpResponse:
    found = _identifiers(first, request)
    problem = _check(found)
    if problem:
        return _error_page(request, problem, 400)
    try:
        as_of = _parse_date(request.GET.get("as_of"))
    except ValueError:
        return _error_page(
            request, _("Invalid date. Expected format: YYYY-MM-DD, e.g. 2024-05-31."), 400
        )
    try:
        data = wypis.build(found, as_of)
    except wypis.ParcelsNotFound as exc:
        return _error_page(
            request,
            _("Parcel not found in the register: %(list)s.") % {"list": ", ".join(exc.missing)},
            404,
        )
    try:
        wypis.lay_out_bounded(data)  # the fee from the page counts of the PDF
    except LimitExceeded as exc:
        return _error_page(request, _limit_message(exc), 503)
    extra = [("id", i) for i in found[1:]] + ([("as_of", data.as_of.isoformat())] if as_of else [])
    pdf_url = reverse("planning:report-pdf", kwargs={"identifier": found[0]})
    if extra:
        pdf_url += "?" + urlencode(extra)
    json_query = f"?as_of={data.as_of.isoformat()}" if as_of else ""
    links = [
        {
            "identifier": i,
            "json": f"/api/v1/parcels/{i}/planning{json_query}",
        }
        for i in found
    ]
    return render(
        request,
        "planning/report.html",
        {
            "w": data,
            "pdf_url": pdf_url,
            "links": links,
            # the date form keeps the other parcels (the first one is in the path, if any)
            "hidden_ids": found[1:] if first else found,
        },
    )


@require_GET
def report_page(request: HttpRequest, identifier: str) -> HttpResponse:
    return _report(request, identifier.strip())


@require_GET
def report_pdf(request: HttpRequest, identifier: str) -> HttpResponse:
    """``GET /api/v1/parcels/{identifier}/planning.pdf[?as_of=][&id=..]`` — the PDF draft."""
    found = _identifiers(identifier.strip(), request)
    if not found:  # only separators or control characters in the path
        raise InvalidParameter(
            "Podaj identyfikator działki (WWPPGG_R.XXXX.NDZ), np. 106401_1.0007.12/3."
        )
    bad = [i for i in found if not ids.is_parcel_identifier(i)]
    if bad:
        raise ids.parcel_identifier_error(bad[0])
    if len(found) > wypis.max_parcels():
        raise InvalidParameter(f"Najwyżej {wypis.max_parcels()} działek w jednym wypisie.")
    try:
        as_of = _parse_date(request.GET.get("as_of"))
    except ValueError:
        raise InvalidParameter(
            f"Nieprawidłowa data „{request.GET.get('as_of', '')[:30]}” w parametrze „as_of”. "
            "Oczekiwany format: RRRR-MM-DD, np. 2024-05-31.",
            expected_format="YYYY-MM-DD",
        ) from None
    try:
        data = wypis.build(found, as_of)
    except wypis.ParcelsNotFound as exc:
        raise NotFound(f"Nie znaleziono działki {', '.join(exc.missing)}.") from None
    try:
        pdf = wypis.render_pdf_bounded(data)
    except LimitExceeded as exc:
        raise ServiceUnavailable(wypis.limit_message(exc), limit=exc.kind) from None
    response = HttpResponse(pdf, content_type="application/pdf")
    name = re.sub(r"[^0-9A-Za-z_.-]", "-", found[0])
    response["Content-Disposition"] = f'inline; filename="wypis-{name}-{data.as_of}.pdf"'
    assert data.fee is not None
    response["X-Wypis-Pages"] = str(data.fee.wypis_pages)
    response["X-Wyrys-Pages"] = str(data.fee.wyrys_pages)
    return response


urlpatterns = [
    path("planowanie/wypis/", report_form, name="report-form"),
    path("planowanie/wypis/<path:identifier>/", report_page, name="report"),
    path("api/v1/parcels/<path:identifier>/planning.pdf", report_pdf, name="report-pdf"),
]

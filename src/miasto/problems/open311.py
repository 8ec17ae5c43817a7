"""Open311 GeoReport v2 at ``/open311/v2/`` (the specification: wiki.open311.org/GeoReport_v2).

Every resource answers as ``.json`` or ``.xml`` in the shapes the specification gives:
``discovery``, ``services`` (the categories), ``services/{code}`` (a category's attributes:
the *service definition*), ``requests`` (GET: public reports with the filters
``service_request_id``, ``service_code``, ``start_date``, ``end_date``, ``status``; POST: a new
report, with an API key in ``api_key``), ``requests/{id}`` and ``tokens/{token}``. Errors are
the specification's list, ``[{"code": 404, "description": "…"}]`` or ``<errors><error>…``,
with the same HTTP status. XML is built with lxml element by element (text is escaped and
characters XML cannot carry are dropped), never by string formatting — except the lists of
requests (the hot path, up to ``MIASTO_OPEN311_MAX_REQUESTS`` reports), whose JSON or XML body
PostgreSQL builds in one statement (``json_agg`` / ``xmlagg``, which escape the same way).

Our seven statuses are Open311's two (``open``/``closed``: :data:`statuses.OPEN311_STATUS`).
A report's personal data (contact details, author) never appears in an answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.gis.geos import Point
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from lxml import etree

from miasto.core.apikeys import api_key_find
from miasto.problems import selectors
from miasto.problems.models import Report, Service
from miasto.problems.services import Contact, ReportError, ReportInput, report_create
from miasto.problems.statuses import ACTIVE, FINAL
from miasto.territory.models import Address

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
#: when this endpoint's definition last changed (discovery's ``changeset``)
CHANGESET = "2026-12-07T00:00:00Z"
MAX_ID = 2**63 - 1
FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
_XML_BAD = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Open311Error(Exception):
    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code = code
        self.description = description


# ---------------------------------------------------------------------------- rendering


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return w3c(value) or ""
    return _XML_BAD.sub("", str(value))


def w3c(value: datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _element(tag: str, value: Any) -> etree._Element:
    node = etree.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            node.append(_element(key, child))
    elif isinstance(value, list):
        item = _LIST_ITEMS.get(tag, "item")
        for child in value:
            node.append(_element(item, child))
    else:
        node.text = _text(value)
    return node


#: the element of each item of a list, by the list's element (the specification's XML)
_LIST_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
}


def render(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    """``data`` as JSON, or as XML under the element ``root``."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, default=_text).encode()
    else:
        body = etree.tostring(
            _element(root, data), xml_declaration=True, encoding="utf-8", pretty_print=True
        )
    return HttpResponse(body, status=status, content_type=FORMATS[fmt])


def error(fmt: str, code: int, description: str) -> HttpResponse:
    return render(fmt, "errors", [{"code": code, "description": description}], status=code)


def open311_view(func: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """Answer :class:`Open311Error` in the specification's error format."""

    def view(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            return func(request, fmt, **kwargs)
        except Open311Error as exc:
            return error(fmt, exc.code, exc.description)

    view.__name__ = func.__name__
    view.__doc__ = func.__doc__
    return view


# ---------------------------------------------------------------------------- resources


def _base() -> str:
    return settings.MIASTO_PUBLIC_URL + "/open311/v2"


@require_GET
@open311_view
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = settings.MIASTO_PUBLIC_URL
    data = {
        "changeset": CHANGESET,
        "contact": base + reverse("web:contact"),
        "key_service": base + reverse("developers:portal"),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": _base(),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", data)


def _service(s: Service) -> dict[str, Any]:
    return {
        "service_code": s.code,
        "service_name": s.name,
        "description": s.description,
        "metadata": bool(getattr(s, "attribute_count", 0)),
        "type": "realtime",
        "keywords": s.keywords,
        "group": s.group,
    }


@require_GET
@open311_view
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = selectors.active_services().annotate(attribute_count=Count("attributes"))
    return render(fmt, "services", [_service(s) for s in rows])


def _attribute(a: Any) -> dict[str, Any]:
    return {
        "variable": True,
        "code": a.code,
        "datatype": a.datatype,
        "required": a.required,
        "datatype_description": a.datatype_description,
        "order": a.order,
        "description": a.description,
        "values": [{"key": v.get("key"), "name": v.get("name")} for v in a.values],
    }


@require_GET
@open311_view
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    service = selectors.active_services().filter(code=code).first()
    if service is None:
        raise Open311Error(404, _("There is no service with the code %(code)s.") % {"code": code})
    data = {
        "service_code": service.code,
        "attributes": [_attribute(a) for a in service.attributes.all()],
    }
    return render(fmt, "service_definition", data)


_PHOTO_ID = 987654321  # a stand-in id, to split the photo's address around the id


def _photo_url() -> tuple[str, str]:
    url = settings.MIASTO_PUBLIC_URL + reverse("problems:photo", args=[_PHOTO_ID])
    head, tail = url.rsplit(str(_PHOTO_ID), 1)
    return head, tail


def render_requests(fmt: str, f: selectors.RequestFilter) -> tuple[int, HttpResponse]:
    """The service requests matching ``f`` — the body built by PostgreSQL (the list's hot path:
    up to ``MIASTO_OPEN311_MAX_REQUESTS`` reports) — and how many there are."""
    count, body = selectors.open311_answer(f, fmt, _photo_url())
    if fmt == "xml":
        body = "<?xml version='1.0' encoding='utf-8'?>\n" + body + "\n"
    return count, HttpResponse(body.encode(), content_type=FORMATS[fmt])


# ---------------------------------------------------------------------------- GET requests


def _list(value: str, name: str) -> tuple[str, ...]:
    items = tuple(v.strip() for v in value.split(",") if v.strip())
    if len(items) > 100:
        raise Open311Error(400, _("At most 100 values in %(name)s.") % {"name": name})
    return items


def _date(request: HttpRequest, name: str) -> datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        value = None
    if value is None:
        raise Open311Error(
            400,
            _("%(name)s is not a date and time in W3C format (e.g. 2026-12-01T00:00:00Z).")
            % {"name": name},
        )
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _ids(request: HttpRequest) -> tuple[int, ...]:
    raw = _list(request.GET.get("service_request_id", ""), "service_request_id")
    if not all(v.isascii() and v.isdigit() and len(v) < 12 for v in raw):
        raise Open311Error(400, _("service_request_id is a number (or numbers, comma separated)."))
    return tuple(int(v) for v in raw)


def _statuses(request: HttpRequest) -> tuple[str, ...]:
    wanted = _list(request.GET.get("status", ""), "status")
    if any(s not in ("open", "closed") for s in wanted):
        raise Open311Error(400, _("status is open or closed (or both, comma separated)."))
    ours: list[str] = []
    for s in set(wanted):
        ours += [v.value for v in (ACTIVE if s == "open" else FINAL)]
    return tuple(sorted(ours))


def _dates(request: HttpRequest) -> tuple[datetime, datetime]:
    days = timedelta(days=int(settings.MIASTO_OPEN311_MAX_DAYS))
    start, end = _date(request, "start_date"), _date(request, "end_date")
    if start and end and end < start:
        raise Open311Error(400, _("end_date is earlier than start_date."))
    if start and end and end - start > days:
        raise Open311Error(
            400, _("start_date and end_date may be at most %(n)d days apart.") % {"n": days.days}
        )
    if start is None:
        start = (end or timezone.now()) - days
    if end is None:
        end = start + days
    return start, end


def parse_filter(request: HttpRequest) -> selectors.RequestFilter:
    ids = _ids(request)
    limit = int(settings.MIASTO_OPEN311_MAX_REQUESTS)
    if ids:  # the ids override every other filter (the specification)
        return selectors.RequestFilter(ids=ids, limit=limit)
    start, end = _dates(request)
    return selectors.RequestFilter(
        service_codes=_list(request.GET.get("service_code", ""), "service_code"),
        statuses=_statuses(request),
        start=start,
        end=end,
        limit=limit,
    )


@csrf_exempt  # third-party applications authenticate with their API key, not a session
@require_http_methods(["GET", "POST"])
@open311_view
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    return render_requests(fmt, parse_filter(request))[1]


@require_GET
@open311_view
def request_detail(request: HttpRequest, fmt: str, pk: int) -> HttpResponse:
    too_large = pk > MAX_ID  # no such id, and PostgreSQL's bigint could not even hold it
    if not too_large:
        count, response = render_requests(fmt, selectors.RequestFilter(ids=(pk,)))
        if count:
            return response
    raise Open311Error(404, _("There is no request with the id %(id)s.") % {"id": pk})


@require_GET
@open311_view
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    report = Report.objects.filter(token=token[:40], hidden_reason="").only("id", "token").first()
    if report is None:
        raise Open311Error(404, _("There is no request with this token."))
    return render(
        fmt, "service_requests", [{"service_request_id": report.pk, "token": report.token}]
    )


# ---------------------------------------------------------------------------- POST requests


def _point(request: HttpRequest) -> tuple[float, float, str]:
    """The report's point in the storage CRS, from lat/long or address_id; and an address."""
    data = request.POST
    address = data.get("address_string", "").strip()
    if data.get("lat") or data.get("long"):
        try:
            lat, lon = float(data.get("lat", "")), float(data.get("long", ""))
        except ValueError:
            raise Open311Error(400, _("lat and long must be numbers (WGS 84 degrees).")) from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise Open311Error(400, _("lat and long must be numbers (WGS 84 degrees)."))
        point = Point(lon, lat, srid=4326)
        point.transform(int(settings.MIASTO_SRID))
        return point.x, point.y, address
    raw_id = data.get("address_id", "").strip()
    if raw_id:
        valid = raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 12
        found = Address.objects.filter(pk=int(raw_id)).first() if valid else None
        if found is None:
            raise Open311Error(400, _("There is no address with this address_id."))
        return found.geom.x, found.geom.y, address or str(found)
    raise Open311Error(
        400, _("Give the place: lat and long (WGS 84), or address_id of the city's register.")
    )


def _attributes(request: HttpRequest) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key in request.POST:
        match = re.fullmatch(r"attribute\[([\w-]{1,40})\](\[\])?", key)
        if match:
            values = request.POST.getlist(key)
            found[match.group(1)] = values if len(values) > 1 else values[0]
    return found


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    raw_key = request.POST.get("api_key", "").strip() or request.GET.get("api_key", "").strip()
    key = getattr(request, "api_key", None) or (api_key_find(raw_key) if raw_key else None)
    if key is None:
        raise Open311Error(403, _("A valid api_key is required to create a request."))
    code = request.POST.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    service = Service.objects.filter(code=code, active=True).first()
    if service is None:
        raise Open311Error(404, _("There is no service with the code %(code)s.") % {"code": code})
    x, y, address = _point(request)
    contact = Contact(
        email=request.POST.get("email", ""),
        first_name=request.POST.get("first_name", ""),
        last_name=request.POST.get("last_name", ""),
        phone=request.POST.get("phone", ""),
    )
    try:
        report = report_create(
            ReportInput(
                service=service,
                x=x,
                y=y,
                description=request.POST.get("description", ""),
                address=address,
                attributes=_attributes(request),
                contact=contact,
                channel="open311",
                api_key=key,
            )  # fmt: skip
        )
    except ReportError as exc:
        raise Open311Error(exc.code, str(exc)) from None
    answer = {
        "service_request_id": report.pk,
        "token": report.token,
        "service_notice": _("The report was sent to: %(unit)s.") % {"unit": report.unit.name},
        "account_id": None,
    }
    # 200, as the specification's examples and existing clients expect (not 201)
    return render(fmt, "service_requests", [answer])

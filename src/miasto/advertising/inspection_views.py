"""The inspection form at ``/reklamy/inspekcja/`` (inspectors and administrators), and the
carriers to choose from (``/reklamy/inspekcja/nosniki/?lat=&lon=`` or ``?q=``, JSON).

The form works as a plain HTML form; with JavaScript (``web/frontend/inspection.js``) it keeps
a draft on the phone and sends it as ``Accept: application/json``, and the answers are JSON:
201 (stored), 200 (this form was stored before), 400 ``{"message", "errors": {field: [..]}}``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.gis.geos import Point
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from miasto.advertising.enforcement import INSPECTORS, CaseError
from miasto.advertising.inspection import carriers_matching, carriers_near, inspection_record
from miasto.advertising.inspection_forms import InspectionForm, new_form
from miasto.advertising.inspection_photos import max_photo_bytes
from miasto.core.http import LimitedUploadHandler, json_response
from miasto.core.statemachine import TransitionError, roles_of
from miasto.core.uploads import UnsafeFile


#: the whole request: the photo and a little for the fields
def _request_limit() -> int:
    return max_photo_bytes() + 256 * 1024


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _refused(request: HttpRequest) -> HttpResponse | None:
    """Sign-in for the anonymous, 403 for those who do not inspect; None: go on."""
    if not request.user.is_authenticated:
        if _wants_json(request):
            return json_response({"error": "login", "message": _("Sign in again.")}, 403)
        return redirect_to_login(request.get_full_path())
    if not (INSPECTORS & roles_of(request.user)):
        message = _("Only inspectors record inspections.")
        if _wants_json(request):
            return json_response({"error": "forbidden", "message": message}, 403)
        return render(request, "advertising/inspection/forbidden.html", {"message": message},
                      status=403)  # fmt: skip
    return None


def _too_large(request: HttpRequest) -> HttpResponse:
    message = _("The photo is too large: at most %(mb)d MB.") % {
        "mb": max_photo_bytes() // (1024 * 1024)
    }
    return _invalid(request, None, {"photo": [message]}, message, status=413)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def inspection_page(request: HttpRequest) -> HttpResponse:
    # The size guard runs before the CSRF check reads the body (as in the data hub).
    if (response := _refused(request)) is not None:
        return response
    if request.method == "POST":
        if int(request.META.get("CONTENT_LENGTH") or 0) > _request_limit():
            return _too_large(request)
        request.upload_handlers.insert(0, LimitedUploadHandler(request, _request_limit()))
    return _inspection_page(request)


@csrf_protect
def _inspection_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, new_form(request.GET.get("carrier", "")[:40]))
    files = request.FILES  # parsed here: sets the size flag
    if getattr(request, "upload_too_large", False):
        return _too_large(request)
    form = InspectionForm(request.POST, files)
    if not form.is_valid():
        errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
        return _invalid(request, form, errors, _("Correct the marked fields."))
    try:
        inspection, created = inspection_record(form.to_input(), request.user)
    except (CaseError, UnsafeFile) as exc:
        field = "photo" if isinstance(exc, UnsafeFile) else "__all__"
        return _invalid(request, form, {field: [str(exc)]}, str(exc))
    except TransitionError as exc:
        return _invalid(request, form, {"__all__": [str(exc)]}, str(exc), status=403)
    return _stored(request, inspection, created)


def _stored(request: HttpRequest, inspection: Any, created: bool) -> HttpResponse:
    case = inspection.case
    message = (
        _("The inspection of carrier %(carrier)s is stored (case %(case)s).")
        if created
        else _("This inspection of carrier %(carrier)s was stored before (case %(case)s).")
    ) % {"carrier": inspection.carrier.reference, "case": case.number if case else "—"}
    if _wants_json(request):
        return json_response(
            {"message": message, "inspection": inspection.pk, "case": case.pk if case else None,
             "carrier": inspection.carrier.reference},
            201 if created else 200,
        )  # fmt: skip
    messages.success(request, message)
    return redirect(reverse("advertising:inspection"))


def _invalid(
    request: HttpRequest, form: InspectionForm | None, errors: dict[str, list[str]], message: str,
    status: int = 400,
) -> HttpResponse:  # fmt: skip
    if _wants_json(request):
        return json_response({"error": "invalid", "message": message, "errors": errors}, status)
    form = form or new_form()
    for field, texts in errors.items():
        if field not in form.errors:
            for text in texts:
                form.add_error(None if field not in form.fields else field, text)
    return _form_page(request, form, status)


def _form_page(request: HttpRequest, form: InspectionForm, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "config": {"carriers": reverse("advertising:inspection-carriers")},
        "i18n": _texts(),
    }
    return render(request, "advertising/inspection/form.html", context, status=status)


def _texts() -> dict[str, str]:
    """The script's sentences, translated here (the page has no JavaScript catalogue)."""
    return {
        "draft_saved": _("Draft kept on this device."),
        "draft_restored": _("The draft from this device is restored."),
        "photo_kept": _("Photo kept with the draft: %(name)s"),
        "outbox": _("Inspections waiting to be sent: %(count)s"),
        "queued": _(
            "No connection: the inspection is kept on this device and will be sent when the "
            "connection comes back."
        ),
        "online": _("Connection is back: sending the waiting inspections."),
        "offline": _("No connection: the form is kept on this device."),
        "not_sent": _("Not sent (%(message)s); it waits on this device."),
        "no_geolocation": _("This device cannot give its position: type it by hand."),
        "locating": _("Finding the position…"),
        "located": _("Position found (± %(accuracy)s m)."),
        "position_refused": _("The position is not available: type it by hand."),
        "offline_search": _("No connection: type the carrier's number by hand."),
        "search_failed": _("The search failed."),
        "none_found": _("No carrier found here."),
        "choose": _("Carriers found"),
        "distance": _("%(m)s m away"),
        "discarded": _("The draft is discarded."),
    }


@require_GET
def inspection_carriers(request: HttpRequest) -> HttpResponse:
    """The carriers near a position (``lat``, ``lon`` in degrees) or matching ``q``, as JSON."""
    if not request.user.is_authenticated or not (INSPECTORS & roles_of(request.user)):
        return json_response({"error": "forbidden", "message": _("Only for inspectors.")}, 403)
    text = request.GET.get("q", "").strip()
    if text:
        return json_response({"carriers": carriers_matching(text)})
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
    except (KeyError, ValueError):
        return json_response(
            {"error": "invalid", "message": _("Give the position (lat, lon) or a number (q).")},
            400,
        )
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return json_response({"error": "invalid", "message": _("The position is invalid.")}, 400)
    point = Point(lon, lat, srid=4326)
    point.transform(settings.MIASTO_SRID)
    return json_response({"carriers": carriers_near(point)})

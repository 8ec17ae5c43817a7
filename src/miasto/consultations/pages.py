"""Public consultation pages (Polish paths):

- ``/konsultacje/`` — the list of consultations (announced, open, closed, with a report);
- ``/konsultacje/<id>/`` — one consultation: the announcement (dates, forms, documents), its
  map (the draft's zones and the comments) with the comment table as its equivalent, the
  report once published;
- ``/konsultacje/<id>/uwagi/nowa/`` — the comment form (signed in): a place drawn on the map
  or typed (a parcel or an address), a category, the zone concerned, attachments;
- ``/konsultacje/<id>/dokumenty/<doc>/`` — a document of the consultation;
- ``/konsultacje/uwagi/<id>/zglos/`` — report a comment as breaking the rules.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miasto.consultations import selectors
from miasto.consultations.access import is_consultation_staff, may_enter, may_run
from miasto.consultations.forms import CommentForm, ReportContentForm
from miasto.consultations.lifecycle import PUBLIC_STATUSES
from miasto.consultations.models import Category, Comment, Consultation, Handling, Status
from miasto.consultations.moderation import KIND
from miasto.consultations.services import (
    Author,
    CommentInput,
    ConsultationError,
    comment_submit,
    place_resolve,
)
from miasto.core.moderation import ModerationError, content_report
from miasto.core.throttle import throttle_hit

#: ids above this are not looked up (beyond PostgreSQL's bigint)
MAX_ID = 2**62


def error_page(request: HttpRequest, status: int, message: str) -> HttpResponse:
    titles = {400: _("The request could not be taken"), 404: _("Page not found"),
              409: _("Not possible now"), 429: _("Too many comments")}  # fmt: skip
    return render(
        request,
        "consultations/error.html",
        {"title": titles.get(status, _("Error")), "message": message},
        status=status,
    )


def visible_consultation(request: HttpRequest, pk: int) -> Consultation:
    """The consultation if the requester may see it (drafts: the consultation staff), else 404."""
    consultation = Consultation.objects.filter(pk=pk).first() if pk < MAX_ID else None
    if consultation is None:
        raise Http404
    if consultation.status not in PUBLIC_STATUSES and not is_consultation_staff(request.user):
        raise Http404
    return consultation


@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    staff = is_consultation_staff(request.user)
    rows = selectors.visible_consultations(staff).order_by("-starts_on", "-pk")
    return render(
        request,
        "consultations/list.html",
        {"rows": rows, "staff": staff, "Status": Status},
    )


def _comment_rows(consultation: Consultation) -> list[dict[str, Any]]:
    categories, handlings = dict(Category.choices), dict(Handling.choices)
    return [
        {
            "c": c,
            "category": categories.get(c.category, c.category),
            "handling": handlings.get(c.handling, "") if c.handling else "",
        }
        for c in selectors.public_comments(consultation)
    ]


@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = visible_consultation(request, pk)
    report = getattr(consultation, "report", None)
    context = {
        "c": consultation,
        "status_label": Status(consultation.status).label,
        "act": selectors.act_info(consultation),
        "forms": selectors.forms_labels(consultation),
        "documents": consultation.documents.all(),
        "comments": _comment_rows(consultation),
        "report": report if consultation.status == Status.REPORT_PUBLISHED else None,
        "is_open": consultation.status == Status.OPEN,
        "may_run": may_run(request.user),
        "may_enter": may_enter(request.user),
        "parts_geojson": selectors.parts_geojson(consultation),
        "report_form": ReportContentForm(),
    }
    return render(request, "consultations/detail.html", context)


@require_GET
def document_download(request: HttpRequest, pk: int, doc: int) -> FileResponse:
    consultation = visible_consultation(request, pk)
    document = get_object_or_404(consultation.documents, pk=doc) if doc < MAX_ID else None
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        filename=(document.file.name or "").rsplit("/", 1)[-1],
    )


def comment_input(form: CommentForm, request: HttpRequest, **extra: Any) -> CommentInput:
    """The service's input from a valid form (a typed place is looked up in the spine)."""
    data = form.cleaned_data
    geom, parcel = data.get("geom"), ""
    if geom is None and data.get("place"):
        geom, parcel = place_resolve(data["place"])
    return CommentInput(
        text=data.get("text") or "",
        category=data["category"],
        author=Author(
            name=data["name"],
            address=data["address"],
            is_owner=bool(data.get("is_owner")),
            email=data.get("email") or "",
        ),  # fmt: skip
        geom=geom,
        parcel=parcel,
        part_key=data.get("part") or "",
        attachments=request.FILES.getlist("attachments"),
        **extra,
    )


def part_choices(consultation: Consultation) -> list[tuple[str, str]]:
    return [(p.key, p.label) for p in selectors.act_parts(consultation)]


@require_http_methods(["GET", "POST"])
def comment_new(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    consultation = visible_consultation(request, pk)
    if consultation.status != Status.OPEN:
        return error_page(
            request, 409, _("Comments are taken only while the consultation is open.")
        )
    parts = part_choices(consultation)
    form = CommentForm(request.POST or None, request.FILES or None, parts=parts)
    status = 200
    if request.method == "POST":
        status = 400
        limit = int(getattr(settings, "MIASTO_CONSULTATIONS_COMMENTS_PER_DAY", 20))
        if not throttle_hit(request, "consultations.comment", limit=limit,
                            window=timedelta(days=1)):  # fmt: skip
            return error_page(
                request, 429, _("You have sent too many comments today: try again tomorrow.")
            )
        if form.is_valid():
            try:
                comment = comment_submit(
                    consultation=consultation, data=comment_input(form, request),
                    user=request.user,
                )  # fmt: skip
            except ConsultationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("Thank you: your comment no. %(n)s was received; it will be shown "
                      "once a moderator has read it.") % {"n": comment.number},
                )  # fmt: skip
                return redirect("consultations:detail", consultation.pk)
    return render(
        request, "consultations/comment_form.html",
        {"c": consultation, "form": form, "staff_entry": False}, status=status,
    )  # fmt: skip


@require_POST
def comment_report(request: HttpRequest, comment: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = Comment.objects.filter(pk=comment).first() if comment < MAX_ID else None
    if found is None:
        raise Http404
    form = ReportContentForm(request.POST)
    if not form.is_valid():
        return error_page(request, 400, _("Choose a reason from the list."))
    try:
        content_report(
            kind=KIND, object_id=str(found.pk), reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"], reporter=request.user,
        )  # fmt: skip
    except ModerationError as exc:
        return error_page(request, 400, str(exc))
    messages.success(request, _("Thank you: a moderator will look at the comment."))
    return redirect("consultations:detail", found.consultation_id)

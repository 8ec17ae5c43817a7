"""Public proposal pages (``/pomysly/``).

- ``/pomysly/`` — the list with filters, a map of the proposals and the table as its
  equivalent;
- ``/pomysly/nowy/`` — the form: draw the place on the map, or (the keyboard way) type an
  address or a parcel; a privacy notice (RODO);
- ``/pomysly/<id>/`` — a proposal: its map, photo, supports, the city's answers, comments;
- POSTs to support, comment and report content.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miasto.core.moderation import ModerationError, content_report
from miasto.proposals import selectors, services
from miasto.proposals.forms import CommentForm, FilterForm, ProposalForm, ReportForm
from miasto.proposals.models import Category
from miasto.proposals.pages.common import (
    city_extent,
    page_number,
    proposal_or_404,
    refused,
    script_json,
    streets_tiles_url,
    within_limit,
)
from miasto.proposals.validation import ProposalError

#: most proposals drawn on the list's map (the table pages through all)
MAP_LIMIT = 500
PAGE = 50

CATEGORY_COLOURS: dict[str, str] = {
    Category.GREENERY: "#2e7d32",
    Category.TRANSPORT: "#1565c0",
    Category.SAFETY: "#c62828",
    Category.PUBLIC_SPACE: "#6a1b9a",
    Category.SPORT: "#ef6c00",
    Category.CULTURE: "#ad1457",
    Category.OTHER: "#455a64",
}


def _filters(form: FilterForm) -> selectors.Filters:
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return selectors.Filters(
        category=data.get("category", ""),
        status=data.get("status", ""),
        district=data.get("district", ""),
        q=(data.get("q") or "").strip(),
    )


def _map_style() -> dict[str, object]:
    return {
        "colours": {str(k): v for k, v in CATEGORY_COLOURS.items()},
        "streets": streets_tiles_url(),
        "url": reverse("proposals:detail", args=[0]).replace("/0/", "/{id}/"),
        "city": city_extent(),
    }


@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = _filters(form)
    rows = selectors.proposal_page(filters)
    page_no = page_number(request)
    total = rows.count()
    shown = list(rows[(page_no - 1) * PAGE : page_no * PAGE])
    geojson = selectors.proposals_geojson(
        filters, limit=MAP_LIMIT, offset=0, base_url=reverse("proposals:list")
    )
    context = {
        "form": form,
        "rows": shown,
        "total": total,
        "page_no": page_no,
        "has_next": page_no * PAGE < total,
        "colours": CATEGORY_COLOURS,
        "legend": [(label, CATEGORY_COLOURS[value]) for value, label in Category.choices],
        "map_data": script_json(json.dumps(geojson, default=str)),
        "map_style": _map_style(),
        "any_filter": any((filters.category, filters.status, filters.district, filters.q)),
        "may_propose": services.is_verified(request.user),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "proposals/list.html", context, status=status)


def _rodo_context() -> dict[str, object]:
    return {"rodo_url": "/prywatnosc/"}


@require_http_methods(["GET", "POST"])
def proposal_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not services.is_verified(request.user):
        return refused(
            request,
            403,
            _("Confirm your e-mail address first: only verified accounts may submit proposals."),
        )
    form = ProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not within_limit(request, "submit"):
            return refused(request, 429, _("You have sent many proposals today; try tomorrow."))
        if form.is_valid() and form.geom is not None:
            data = services.ProposalInput(
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                category=form.cleaned_data["category"],
                geom=form.geom,
                act_ref=form.cleaned_data.get("act") or "",
                budget_line=form.cleaned_data.get("budget_line") or "",
                photo=form.photo_bytes,
                photo_alt=form.cleaned_data.get("photo_alt") or "",
            )
            try:
                proposal = services.proposal_submit(data, author=request.user)
            except ProposalError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Thank you: your proposal is published."))
                return redirect("proposals:detail", proposal.pk)
    context = {
        "form": form,
        "map_style": _map_style(),
        "i18n_js": {
            "point": _("Point"),
            "line": _("Line"),
            "polygon": pgettext("region", "Area"),
            "clear": _("Clear"),
            "drawn": _("The place is marked on the map."),
            "cleared": _("Nothing is marked on the map."),
        },
        **_rodo_context(),
    }
    return render(request, "proposals/form.html", context, status=400 if form.is_bound else 200)


@require_GET
def proposal_detail(request: HttpRequest, proposal_id: str) -> HttpResponse:
    proposal = proposal_or_404(proposal_id)
    staff = services.is_staff_member(request.user)
    comments = list(proposal.comments.order_by("created_at", "id"))
    geojson = {
        "type": "Feature",
        "id": proposal.pk,
        "geometry": json.loads(proposal.geom.transform(4326, clone=True).geojson),
        "properties": {"category": proposal.category, "title": proposal.title},
    }
    context = {
        "proposal": proposal,
        "staff": staff,
        "comments": comments,
        "changes": list(proposal.changes.order_by("created_at", "id")),
        "supported": bool(
            request.user.is_authenticated and proposal.supports.filter(user=request.user).exists()
        ),
        "may_take_part": services.is_verified(request.user),
        "comment_form": CommentForm(),
        "report_reasons": ReportForm.base_fields["reason"].choices,  # type: ignore[attr-defined]
        "map_data": script_json(json.dumps({"type": "FeatureCollection", "features": [geojson]})),
        "map_style": _map_style(),
        "has_photo": proposal.photo is not None and not proposal.is_hidden,
    }
    return render(request, "proposals/detail.html", context)


@require_GET
def proposal_photo(request: HttpRequest, proposal_id: str) -> HttpResponse:
    proposal = proposal_or_404(proposal_id)
    if proposal.photo is None or proposal.is_hidden:
        raise Http404
    response = HttpResponse(bytes(proposal.photo), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _need_verified(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not services.is_verified(request.user):
        return refused(
            request, 403, _("Only signed-in residents with a verified e-mail address may do this.")
        )
    return None


@require_POST
def proposal_support(request: HttpRequest, proposal_id: str) -> HttpResponse:
    proposal = proposal_or_404(proposal_id)
    answer = _need_verified(request)
    if answer is not None:
        return answer
    if not within_limit(request, "support"):
        return refused(request, 429, _("Too many supports in a short time; try again later."))
    try:
        services.proposal_support(proposal, user=request.user)
    except ProposalError as exc:
        return refused(request, 409, str(exc))
    messages.success(request, _("Thank you for your support."))
    return redirect("proposals:detail", proposal.pk)


@require_POST
def comment_create(request: HttpRequest, proposal_id: str) -> HttpResponse:
    proposal = proposal_or_404(proposal_id)
    answer = _need_verified(request)
    if answer is not None:
        return answer
    form = CommentForm(request.POST)
    if not form.is_valid():
        message = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return refused(request, 400, message)
    if not within_limit(request, "comment"):
        return refused(request, 429, _("Too many comments in a short time; try again later."))
    try:
        services.comment_add(proposal, user=request.user, body=form.cleaned_data["body"])
    except ProposalError as exc:
        return refused(request, 400, str(exc))
    messages.success(request, _("Your comment is published."))
    return redirect(reverse("proposals:detail", args=[proposal.pk]) + "#komentarze")


@require_POST
def content_report_create(request: HttpRequest, proposal_id: str) -> HttpResponse:
    proposal = proposal_or_404(proposal_id)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("proposals:detail", args=[proposal.pk]))
    form = ReportForm(request.POST)
    if not form.is_valid():
        return refused(request, 400, _("Choose a reason from the list."))
    if not within_limit(request, "report"):
        return refused(request, 429, _("Too many reports in a short time; try again later."))
    kind, object_id = form.cleaned_data["kind"], form.cleaned_data["object_id"]
    comment_id = int(object_id) if object_id.isascii() and object_id.isdigit() else 0
    if kind == "proposal_comment" and not proposal.comments.filter(pk=comment_id).exists():
        return refused(request, 400, _("There is no such published content."))
    if kind == "proposal" and object_id != str(proposal.pk):
        return refused(request, 400, _("There is no such published content."))
    try:
        content_report(
            kind=kind,
            object_id=object_id,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            reporter=request.user,
        )
    except ModerationError as exc:
        return refused(request, 409, str(exc))
    messages.success(request, _("Thank you: a moderator will look at it."))
    return redirect("proposals:detail", proposal.pk)


urlpatterns = [
    path("pomysly/", proposal_list, name="list"),
    path("pomysly/nowy/", proposal_new, name="new"),
    path("pomysly/<str:proposal_id>/", proposal_detail, name="detail"),
    path("pomysly/<str:proposal_id>/zdjecie.jpg", proposal_photo, name="photo"),
    path("pomysly/<str:proposal_id>/poparcie/", proposal_support, name="support"),
    path("pomysly/<str:proposal_id>/komentarze/", comment_create, name="comment"),
    path("pomysly/<str:proposal_id>/zgloszenie/", content_report_create, name="report"),
]

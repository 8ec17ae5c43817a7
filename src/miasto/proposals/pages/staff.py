"""Staff pages of proposals (``/pomysly/obsluga/``): the queue per unit with assignment, one
proposal's handling (status with official feedback from a template, routing, moderation of
the proposal and its comments), answer templates and statistics. Moderators, planners and
administrators only (others: 403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from miasto.core.casework import case_values, templates_rendered
from miasto.core.moderation import open_reports, reports_count
from miasto.core.statemachine import roles_of
from miasto.proposals import selectors, services
from miasto.proposals.forms import AssignForm, ModerateForm, StatusForm
from miasto.proposals.models import Category, Comment
from miasto.proposals.pages.common import proposal_or_404, refused
from miasto.proposals.statuses import MACHINE, Status
from miasto.proposals.validation import ProposalError

View = Callable[..., HttpResponse]


def staff_only(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not services.is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _my_units(request: HttpRequest) -> list[int]:
    return list(request.user.org_units.values_list("pk", flat=True))  # type: ignore[union-attr]


@require_GET
@staff_only
def queue(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("zakres", "moje")
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    units = None if scope == "wszystkie" else _my_units(request)
    rows = list(
        selectors.queue(
            units=units, status=status, mine_of=request.user if scope == "przydzielone" else None
        )[:300]
    )
    reports = reports_count("proposal", [str(p.pk) for p in rows])
    context = {
        "rows": [{"p": p, "reports": reports.get(str(p.pk), 0)} for p in rows],
        "scope": scope,
        "status": status,
        "statuses": Status.choices,
        "reported_comments": Comment.objects.filter(
            pk__in=[
                int(r) for r in open_reports("proposal_comment").values_list("object_id", flat=True)
            ]
        ).select_related("proposal")[:100],
    }
    return render(request, "proposals/staff_queue.html", context)


def _handle_context(request: HttpRequest, proposal: Any, **forms: Any) -> dict[str, Any]:
    targets = [(t.target, str(t.label)) for t in MACHINE.targets(proposal.status, request.user)]
    values = case_values(
        number=proposal.pk, received=proposal.created_at,
        category=proposal.get_category_display(),
        unit=proposal.unit.name if proposal.unit else "",
    )  # fmt: skip
    return {
        "proposal": proposal,
        "status_form": forms.get("status_form") or StatusForm(targets=targets),
        "assign_form": forms.get("assign_form")
        or AssignForm(initial={"unit": proposal.unit_id, "assignee": proposal.assignee_id}),
        "targets": targets,
        "templates": templates_rendered("proposals", proposal.unit_id, values),
        "changes": proposal.changes.select_related("actor").order_by("created_at", "id"),
        "comments": proposal.comments.select_related("author").order_by("created_at", "id"),
        "reports": open_reports("proposal").filter(object_id=str(proposal.pk)),
        "comment_reports": reports_count(
            "proposal_comment", [str(c.pk) for c in proposal.comments.all()]
        ),
        "may_moderate": bool(roles_of(request.user) & {"moderator", "administrator"}),
    }


@require_GET
@staff_only
def handle(request: HttpRequest, proposal_id: str) -> HttpResponse:
    proposal = proposal_or_404(proposal_id)
    return render(request, "proposals/staff_handle.html", _handle_context(request, proposal))


@require_POST
@staff_only
def change_status(request: HttpRequest, proposal_id: str) -> HttpResponse:
    proposal = proposal_or_404(proposal_id)
    every = [(t.target, str(t.label)) for t in MACHINE.transitions if t.source == proposal.status]
    form = StatusForm(request.POST, targets=every)
    if form.is_valid():
        transition = MACHINE.find(proposal.status, form.cleaned_data["target"])
        if transition is not None and not MACHINE.may(transition, request.user):
            return refused(request, 403, _("Your role may not make this change of status."))
        try:
            services.proposal_change_status(
                proposal,
                target=form.cleaned_data["target"],
                feedback=form.cleaned_data["feedback"],
                user=request.user,
            )
        except ProposalError as exc:
            return refused(request, 400, str(exc))
        messages.success(request, _("The status is changed and the feedback published."))
        return redirect("proposals:staff-handle", proposal.pk)
    context = _handle_context(request, proposal, status_form=form)
    return render(request, "proposals/staff_handle.html", context, status=400)


@require_POST
@staff_only
def assign(request: HttpRequest, proposal_id: str) -> HttpResponse:
    proposal = proposal_or_404(proposal_id)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_assign(
                proposal,
                unit=form.cleaned_data["unit"],
                assignee=form.cleaned_data["assignee"],
                user=request.user,
            )
        except ProposalError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The proposal is assigned."))
            return redirect("proposals:staff-handle", proposal.pk)
    context = _handle_context(request, proposal, assign_form=form)
    return render(request, "proposals/staff_handle.html", context, status=400)


def _moderate(request: HttpRequest, run: Callable[..., None], target: Any) -> HttpResponse | None:
    form = ModerateForm(request.POST)
    if not form.is_valid():
        return refused(request, 400, _("Choose whether the content stays or is hidden."))
    try:
        run(
            target,
            hide=form.cleaned_data["action"] == "hide",
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
    except ProposalError as exc:
        status = 403 if not roles_of(request.user) & {"moderator", "administrator"} else 400
        return refused(request, status, str(exc))
    return None


@require_POST
@staff_only
def moderate_proposal(request: HttpRequest, proposal_id: str) -> HttpResponse:
    proposal = proposal_or_404(proposal_id)
    answer = _moderate(request, services.proposal_moderate, proposal)
    if answer is not None:
        return answer
    messages.success(request, _("Moderation recorded."))
    return redirect("proposals:staff-handle", proposal.pk)


@require_POST
@staff_only
def moderate_comment(request: HttpRequest, comment_id: str) -> HttpResponse:
    if not (comment_id.isascii() and comment_id.isdigit()) or len(comment_id) > 12:
        raise Http404
    comment = Comment.objects.filter(pk=int(comment_id)).first()
    if comment is None:
        raise Http404
    answer = _moderate(request, services.comment_moderate, comment)
    if answer is not None:
        return answer
    messages.success(request, _("Moderation recorded."))
    return redirect("proposals:staff-handle", comment.proposal_id)


@require_GET
@staff_only
def templates(request: HttpRequest) -> HttpResponse:
    """The answer templates are kept with every module's, on the shared staff page."""
    return redirect(reverse("casework-templates") + "?modul=proposals")


@require_GET
@staff_only
def statistics(request: HttpRequest) -> HttpResponse:
    stats = selectors.statistics()
    labels = dict(Category.choices)
    for row in stats["category"]:
        row["label"] = labels.get(row["key"], row["key"])
    for row in stats["district"]:
        row["label"] = row["key"] or _("outside any district")
    return render(request, "proposals/staff_stats.html", {"stats": stats})


urlpatterns = [
    path("pomysly/obsluga/", queue, name="staff-queue"),
    path("pomysly/obsluga/statystyki/", statistics, name="staff-stats"),
    path("pomysly/obsluga/szablony/", templates, name="staff-templates"),
    path("pomysly/obsluga/komentarze/<str:comment_id>/moderacja/", moderate_comment,
         name="staff-comment-moderate"),
    path("pomysly/obsluga/<str:proposal_id>/", handle, name="staff-handle"),
    path("pomysly/obsluga/<str:proposal_id>/status/", change_status, name="staff-status"),
    path("pomysly/obsluga/<str:proposal_id>/przydzial/", assign, name="staff-assign"),
    path("pomysly/obsluga/<str:proposal_id>/moderacja/", moderate_proposal,
         name="staff-moderate"),
]  # fmt: skip

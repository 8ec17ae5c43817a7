"""Staff pages under ``/konsultacje/obsluga/``: planners (and administrators) set up and run
consultations, enter comments received on paper or by e-mail, propose the handling of each
comment and generate and publish the summary report; moderators work the moderation queue.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miasto.consultations import selectors
from miasto.consultations.access import (
    is_consultation_staff,
    may_enter,
    may_moderate,
    may_run,
)
from miasto.consultations.forms import (
    CourseForm,
    DocumentForm,
    HandlingForm,
    ModerationForm,
    SetupForm,
    StaffCommentForm,
    UnitForm,
)
from miasto.consultations.jobs import REPORT_JOB
from miasto.consultations.lifecycle import MACHINE
from miasto.consultations.models import (
    Attachment,
    Category,
    Channel,
    Comment,
    Consultation,
    Handling,
    Moderation,
    Status,
)
from miasto.consultations.moderation import KIND
from miasto.consultations.pages import MAX_ID, comment_input, error_page, part_choices
from miasto.consultations.services import (
    ConsultationError,
    Setup,
    comment_handle,
    comment_moderate,
    comment_submit,
    consultation_create,
    consultation_set_course,
    consultation_set_unit,
    consultation_transition,
    consultation_update,
    document_add,
)
from miasto.core.casework import case_values, templates_rendered
from miasto.core.jobs import pending_job, start_job
from miasto.core.moderation import content_report_resolve, reports_count

View = Callable[..., HttpResponseBase]


def staff_only(check: Callable[[Any], bool]) -> Callable[[View], View]:
    """Sign-in first, then the role check (403)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _consultation(pk: int) -> Consultation:
    found = Consultation.objects.filter(pk=pk).first() if pk < MAX_ID else None
    if found is None:
        raise Http404
    return found


def _comment(pk: int) -> Comment:
    found = (
        Comment.objects.select_related("consultation__unit").filter(pk=pk).first()
        if pk < MAX_ID
        else None
    )
    if found is None:
        raise Http404
    return found


@require_GET
@staff_only(is_consultation_staff)
def staff_home(request: HttpRequest) -> HttpResponse:
    rows = selectors.visible_consultations(staff=True).order_by("-starts_on", "-pk")
    return render(
        request,
        "consultations/staff_home.html",
        {
            "rows": rows,
            "may_run": may_run(request.user),
            "may_moderate": may_moderate(request.user),
            "queue": selectors.moderation_queue().count(),
        },
    )


def _setup(form: SetupForm) -> Setup:
    d = form.cleaned_data
    return Setup(
        title=d["title"], starts_on=d["starts_on"], ends_on=d["ends_on"], forms=d["methods"],
        summary=d["summary"], act=d["act"], forms_details=d["forms_details"],
        unit_id=d["unit"].pk if d.get("unit") else None,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@staff_only(may_run)
def staff_new(request: HttpRequest) -> HttpResponse:
    form = SetupForm(request.POST or None, initial={"methods": ["comments"]})
    if request.method == "POST" and form.is_valid():
        try:
            consultation = consultation_create(setup=_setup(form), user=request.user)
        except ConsultationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The consultation was created as a draft."))
            return redirect("consultations:staff-detail", consultation.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "consultations/staff_setup.html", {"form": form}, status=status)


def _detail_context(request: HttpRequest, c: Consultation, **extra: Any) -> dict[str, Any]:
    job = pending_job(REPORT_JOB, {"consultation_id": c.pk})
    return {
        "c": c,
        "status_label": Status(c.status).label,
        "transitions": MACHINE.targets(c.status, request.user),
        "documents": c.documents.all(),
        "forms": selectors.forms_labels(c),
        "act": selectors.act_info(c),
        "total": c.comments.count(),
        "waiting": c.comments.filter(handling="").count(),
        "report": getattr(c, "report", None),
        "job": job,
        "setup_form": extra.get("setup_form")
        or SetupForm(
            initial={
                "title": c.title,
                "summary": c.summary,
                "act": c.act,
                "starts_on": c.starts_on,
                "ends_on": c.ends_on,
                "methods": c.forms,
                "forms_details": c.forms_details,
                "unit": c.unit_id,
            }  # fmt: skip
        ),
        "document_form": extra.get("document_form") or DocumentForm(),
        "course_form": CourseForm(initial={"course": c.course}),
        "unit_form": UnitForm(initial={"unit": c.unit_id}),
        "error": extra.get("error"),
    }


@require_http_methods(["GET", "POST"])
@staff_only(may_run)
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = _consultation(pk)
    if request.method == "POST":
        form = SetupForm(request.POST)
        if form.is_valid():
            try:
                consultation_update(consultation=c, setup=_setup(form))
            except ConsultationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The announcement was saved."))
                return redirect("consultations:staff-detail", c.pk)
        context = _detail_context(request, c, setup_form=form)
        return render(request, "consultations/staff_detail.html", context, status=400)
    return render(request, "consultations/staff_detail.html", _detail_context(request, c))


@require_POST
@staff_only(may_run)
def staff_transition(request: HttpRequest, pk: int) -> HttpResponse:
    c = _consultation(pk)
    target = request.POST.get("target", "")
    try:
        consultation_transition(consultation=c, target=target, user=request.user)
    except ConsultationError as exc:
        context = _detail_context(request, c, error=str(exc))
        return render(request, "consultations/staff_detail.html", context, status=409)
    messages.success(request, _("Status changed: %(s)s.") % {"s": MACHINE.label(target)})
    return redirect("consultations:staff-detail", c.pk)


@require_POST
@staff_only(may_run)
def staff_document(request: HttpRequest, pk: int) -> HttpResponse:
    c = _consultation(pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document_add(
                consultation=c, title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )  # fmt: skip
        except ConsultationError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("The document was added."))
            return redirect("consultations:staff-detail", c.pk)
    context = _detail_context(request, c, document_form=form)
    return render(request, "consultations/staff_detail.html", context, status=400)


@require_POST
@staff_only(may_run)
def staff_unit(request: HttpRequest, pk: int) -> HttpResponse:
    c = _consultation(pk)
    form = UnitForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, c, error=_("Choose a unit from the list."))
        return render(request, "consultations/staff_detail.html", context, status=400)
    consultation_set_unit(consultation=c, unit=form.cleaned_data["unit"])
    messages.success(request, _("The unit handling the comments was saved."))
    return redirect("consultations:staff-detail", c.pk)


@require_POST
@staff_only(may_run)
def staff_course(request: HttpRequest, pk: int) -> HttpResponse:
    c = _consultation(pk)
    form = CourseForm(request.POST)
    try:
        if not form.is_valid():
            raise ConsultationError(_("The description may be at most 20 000 characters long."))
        consultation_set_course(consultation=c, course=form.cleaned_data["course"])
    except ConsultationError as exc:
        context = _detail_context(request, c, error=str(exc))
        return render(request, "consultations/staff_detail.html", context, status=400)
    messages.success(request, _("The course of the consultation was saved."))
    return redirect("consultations:staff-detail", c.pk)


@require_POST
@staff_only(may_run)
def staff_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Start generating the summary report (a background job; its progress on the page)."""
    c = _consultation(pk)
    if c.status != Status.CLOSED:
        context = _detail_context(
            request, c, error=_("The summary report is generated once the consultation closed.")
        )
        return render(request, "consultations/staff_detail.html", context, status=409)
    start_job(REPORT_JOB, {"consultation_id": c.pk}, user=request.user)
    messages.success(request, _("The summary report is being generated."))
    return redirect("consultations:staff-detail", c.pk)


@require_GET
@staff_only(may_run)
def staff_comments(request: HttpRequest, pk: int) -> HttpResponse:
    c = _consultation(pk)
    show = request.GET.get("pokaz", "")
    rows = c.comments.order_by("number")
    if show == "czekajace":
        rows = rows.filter(handling="")
    categories, handlings = dict(Category.choices), dict(Handling.choices)
    moderations, channels = dict(Moderation.choices), dict(Channel.choices)
    items = [
        {
            "c": r,
            "category": categories.get(r.category),
            "handling": handlings.get(r.handling, ""),
            "moderation": moderations.get(r.moderation),
            "channel": channels.get(r.channel),
        }
        for r in rows[:2000]
    ]
    return render(
        request,
        "consultations/staff_comments.html",
        {"c": c, "items": items, "show": show, "may_enter": may_enter(request.user)},
    )


@require_http_methods(["GET", "POST"])
@staff_only(may_enter)
def staff_comment_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment received on paper, by e-mail or at a meeting, with the same fields."""
    c = _consultation(pk)
    form = StaffCommentForm(request.POST or None, request.FILES or None, parts=part_choices(c))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            data = comment_input(form, request, channel=d["channel"], received_on=d["received_on"])
            comment = comment_submit(consultation=c, data=data, user=request.user)
        except ConsultationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Comment no. %(n)s was entered.") % {"n": comment.number})
            return redirect("consultations:staff-comment-new", c.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "consultations/comment_form.html",
        {"c": c, "form": form, "staff_entry": True}, status=status,
    )  # fmt: skip


def _templates(comment: Comment) -> list[dict[str, Any]]:
    """The answer templates for a justification, filled for the comment."""
    values = case_values(
        number=f"{comment.consultation_id}/{comment.number}", received=comment.received_on,
        category=dict(Category.choices).get(comment.category, comment.category),
        unit=comment.consultation.unit.name if comment.consultation.unit else "",
    )  # fmt: skip
    return templates_rendered("consultations", comment.consultation.unit_id, values)


@require_http_methods(["GET", "POST"])
@staff_only(may_run)
def staff_comment(request: HttpRequest, comment: int) -> HttpResponse:
    """One comment with its author (for the planners only) and the handling form."""
    found = _comment(comment)
    form = HandlingForm(
        request.POST or None,
        initial={"handling": found.handling or None, "justification": found.justification},
    )
    if request.method == "POST" and form.is_valid():
        try:
            comment_handle(
                comment=found, handling=form.cleaned_data["handling"],
                justification=form.cleaned_data["justification"], user=request.user,
            )  # fmt: skip
        except ConsultationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The handling of comment no. %(n)s was saved.")
                             % {"n": found.number})  # fmt: skip
            nxt = found.consultation.comments.filter(handling="").order_by("number").first()
            if nxt is not None:
                return redirect("consultations:staff-comment", nxt.pk)
            return redirect("consultations:staff-comments", found.consultation_id)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "consultations/staff_comment.html",
        {"comment": found, "form": form, "attachments": found.attachments.all(),
         "templates": _templates(found),
         "category": dict(Category.choices).get(found.category),
         "channel": dict(Channel.choices).get(found.channel)},
        status=status,
    )  # fmt: skip


@require_GET
@staff_only(may_run)
def staff_attachment(request: HttpRequest, attachment: int) -> FileResponse:
    found = Attachment.objects.filter(pk=attachment).first() if attachment < MAX_ID else None
    if found is None:
        raise Http404
    return FileResponse(found.file.open("rb"), content_type=found.content_type, filename=found.name)


@require_GET
@staff_only(may_moderate)
def staff_moderation(request: HttpRequest) -> HttpResponse:
    queue = list(selectors.moderation_queue()[:200])
    reports = reports_count(KIND, [str(c.pk) for c in queue])
    items = [{"c": c, "reports": reports.get(str(c.pk), 0)} for c in queue]
    return render(
        request, "consultations/moderation.html", {"items": items, "form": ModerationForm()}
    )


@require_POST
@staff_only(may_moderate)
def staff_moderate(request: HttpRequest, comment: int) -> HttpResponse:
    found = _comment(comment)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        return error_page(request, 400, _("Choose whether to publish or hide the comment."))
    publish = form.cleaned_data["decision"] == "publish"
    try:
        comment_moderate(comment=found, publish=publish, reason=form.cleaned_data["reason"])
    except ConsultationError as exc:
        return error_page(request, 400, str(exc))
    content_report_resolve(
        kind=KIND, object_id=str(found.pk), outcome="kept" if publish else "removed",
        user=request.user,
    )  # fmt: skip
    messages.success(request, _("Comment no. %(n)s: done.") % {"n": found.number})
    return redirect("consultations:staff-moderation")


@require_GET
@staff_only(may_run)
def staff_report_file(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """The generated report before it is published (for the planners to check)."""
    report = getattr(_consultation(pk), "report", None)
    if report is None or fmt not in ("pdf", "csv"):
        raise Http404
    return FileResponse(
        (report.pdf if fmt == "pdf" else report.csv).open("rb"),
        content_type="application/pdf" if fmt == "pdf" else "text/csv; charset=utf-8",
        filename=f"raport-konsultacje-{pk}.{fmt}",
    )

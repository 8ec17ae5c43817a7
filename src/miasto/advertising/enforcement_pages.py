"""Staff pages of the enforcement cases (``/reklamy/obsluga/sprawy/``): the list with filters,
a case with the transitions its reader may make (the buttons come from the state machine, so
the page and the service cannot disagree), its documents and its history. Inspectors, case
officers and administrators read them; the rest of the staff and residents do not."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miasto.advertising.documents import document_generate, documents_allowed
from miasto.advertising.enforcement import (
    INSPECTORS,
    MACHINE,
    OFFICERS,
    CaseError,
    CaseFilters,
    Move,
    assignees_for,
    case_assign,
    case_transition,
    cases_filtered,
    reminders_for,
    state_counts,
)
from miasto.advertising.enforcement_config import deadlines_for
from miasto.advertising.models.enforcement import CaseDocument, CaseState, EnforcementCase
from miasto.core.limits import LimitExceeded
from miasto.core.statemachine import TransitionError, roles_of

READERS = INSPECTORS | OFFICERS
PAGE_SIZE = 50


def _refused(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (READERS & roles_of(request.user)):
        return render(
            request,
            "advertising/inspection/forbidden.html",
            {"message": _("Enforcement cases are for inspectors and case officers.")},
            status=403,
        )
    return None


class CaseFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"), required=False, choices=[("", "—"), *CaseState.choices]
    )
    text = forms.CharField(label=gettext_lazy("Case or carrier number"), required=False,
                           max_length=40)  # fmt: skip
    mine = forms.BooleanField(label=gettext_lazy("Only my cases"), required=False)
    unassigned = forms.BooleanField(label=gettext_lazy("Only cases nobody has"), required=False)
    overdue = forms.BooleanField(label=gettext_lazy("Only past the deadline"), required=False)


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    if (refused := _refused(request)) is not None:
        return refused
    form = CaseFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = CaseFilters(
        state=data.get("state", ""), text=data.get("text", ""),
        mine=bool(data.get("mine")), overdue=bool(data.get("overdue")),
        unassigned=bool(data.get("unassigned")),
    )  # fmt: skip
    page = Paginator(cases_filtered(filters, request.user), PAGE_SIZE).get_page(
        request.GET.get("strona")
    )
    counts = state_counts()
    context = {
        "form": form,
        "page": page,
        "today": timezone.localdate(),
        "states": [(value, label, counts.get(value, 0)) for value, label in CaseState.choices],
        "reminders": reminders_for(request.user)[:20],
        "query": _query_without_page(request),
    }
    return render(request, "advertising/enforcement/case_list.html", context)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("strona", None)
    return query.urlencode()


@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := _refused(request)) is not None:
        return refused
    case = get_object_or_404(
        EnforcementCase.objects.select_related("carrier", "carrier__owner", "assigned_to"), pk=pk
    )
    return render(
        request, "advertising/enforcement/case_detail.html", _detail_context(request, case)
    )


def _detail_context(request: HttpRequest, case: EnforcementCase) -> dict[str, Any]:
    user = request.user
    rule = deadlines_for(timezone.localdate(case.state_since)).per_state.get(case.state)
    return {
        "case": case,
        "state": MACHINE.label(case.state),
        "deadline": rule,
        "today": timezone.localdate(),
        "transitions": [t for t in MACHINE.targets(case.state, user) if t.target != "inspected"],
        "may_inspect": bool(MACHINE.find(case.state, "inspected"))
        and bool(INSPECTORS & roles_of(user)),
        "history": case.transitions.select_related("actor").order_by("at", "pk"),
        "inspections": case.inspections.select_related("inspector").order_by("-taken_at"),
        "documents": case.documents.select_related("created_by"),
        "document_kinds": [(k, CaseDocument.Kind(k).label) for k in documents_allowed(case, user)],
        "may_assign": bool(OFFICERS & roles_of(user)),
    }


@require_POST
def case_move(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := _refused(request)) is not None:
        return refused
    case = get_object_or_404(EnforcementCase, pk=pk)
    target = request.POST.get("target", "")[:20]
    try:
        on = _day(request.POST.get("on", ""))
        case_transition(case, Move(target, on, request.POST.get("note", "")[:2000]), request.user)
    except (TransitionError, CaseError) as exc:
        return _detail_error(request, case, str(exc), status=400)
    messages.success(request, _("The case is now: %(state)s.") % {"state": MACHINE.label(target)})
    return redirect(reverse("advertising:enforcement-case", args=[case.pk]))


def _day(text: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise CaseError(_("The date must be given as YYYY-MM-DD.")) from None


def _detail_error(request: HttpRequest, case: EnforcementCase, message: str,
                  status: int) -> HttpResponse:  # fmt: skip
    case.refresh_from_db()
    context = _detail_context(request, case) | {"error": message}
    return render(request, "advertising/enforcement/case_detail.html", context, status=status)


@require_POST
def case_document_new(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := _refused(request)) is not None:
        return refused
    case = get_object_or_404(EnforcementCase.objects.select_related("carrier"), pk=pk)
    try:
        document = document_generate(case, request.POST.get("kind", "")[:20], request.user)
    except TransitionError as exc:
        return _detail_error(request, case, str(exc), status=403)
    except CaseError as exc:
        return _detail_error(request, case, str(exc), status=400)
    except LimitExceeded:
        return _detail_error(request, case, _("The document took too long to lay out; try "
                                              "again later."), status=503)  # fmt: skip
    messages.success(request, _("The document is ready: %(kind)s.") % {
        "kind": document.get_kind_display()
    })  # fmt: skip
    return redirect(reverse("advertising:enforcement-case", args=[case.pk]))


@require_GET
def case_document(request: HttpRequest, pk: int, doc: int) -> HttpResponse | FileResponse:
    if (refused := _refused(request)) is not None:
        return refused
    document = get_object_or_404(CaseDocument.objects.select_related("case"), pk=doc, case_id=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file of this document is missing.")) from None
    name = f"{document.kind}-{document.case.number.replace('/', '-')}.pdf"
    response = FileResponse(handle, content_type="application/pdf", filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


class AssignForm(forms.Form):
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Give the case to"), queryset=None, required=False,
        empty_label=gettext_lazy("nobody (unassigned)"),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignees_for(user)  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = _person  # type: ignore[attr-defined]


def _person(user: Any) -> str:
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return f"{name} ({user.get_username()})" if name else user.get_username()


@require_http_methods(["GET", "POST"])
def case_assign_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Give the case to an inspector or officer of the reader's unit, or take it."""
    if (refused := _refused(request)) is not None:
        return refused
    case = get_object_or_404(EnforcementCase.objects.select_related("assigned_to"), pk=pk)
    if not (OFFICERS & roles_of(request.user)):
        message = _("Cases are assigned by case officers.")
        return render(
            request, "advertising/inspection/forbidden.html", {"message": message}, status=403
        )
    initial = {"assignee": case.assigned_to_id}
    form = AssignForm(request.POST or None, user=request.user, initial=initial)
    context = {"case": case, "form": form}
    if request.method == "GET":
        return render(request, "advertising/enforcement/case_assign.html", context)
    take = request.POST.get("take") == "1"
    if not take and not form.is_valid():
        return render(request, "advertising/enforcement/case_assign.html", context, status=400)
    assignee = request.user if take else form.cleaned_data["assignee"]
    try:
        case_assign(case, assignee, request.user)
    except (TransitionError, CaseError) as exc:
        context["error"] = str(exc)
        return render(request, "advertising/enforcement/case_assign.html", context, status=400)
    if assignee is None:
        messages.success(request, _("Nobody has the case now."))
    else:
        messages.success(request, _("The case is now with %(who)s.") % {"who": _person(assignee)})
    return redirect(reverse("advertising:enforcement-case", args=[case.pk]))

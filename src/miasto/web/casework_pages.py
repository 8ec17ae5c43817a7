"""The officers' shared casework pages (``/obsluga/``): one queue across the modules that
answer residents, assignment (take, give to a colleague, release), answer templates and the
statistics, with their CSV. The rules are in :mod:`miasto.core.casework`; each module
registers its queue and statistics in its own ``casework.py``."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miasto.core import casework
from miasto.core.errors import InvalidParameter
from miasto.core.models import AnswerTemplate
from miasto.territory.models import District, OrgUnit

View = Callable[..., HttpResponse]
MAX_PERIOD_DAYS = 3660


def staff_only(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not casework.may_see_queue(request.user):
            raise PermissionDenied(_("The casework pages are for the city's officers."))
        return view(request, *args, **kwargs)

    return wrapped


def _choices(pairs: list[tuple[str, Any]], empty: Any) -> list[tuple[str, Any]]:
    return [("", empty), *pairs]


class QueueForm(forms.Form):
    modul = forms.ChoiceField(label=gettext_lazy("Module"), required=False)
    zakres = forms.ChoiceField(label=gettext_lazy("Whose"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    kategoria = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    dzielnica = forms.ChoiceField(label=gettext_lazy("District"), required=False)

    def __init__(self, *args: Any, providers: list[casework.QueueProvider], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.providers = providers
        chosen = self.data.get("modul", "")
        shown = [p for p in providers if p.key == chosen] or providers
        fields: Any = self.fields
        fields["modul"].choices = _choices([(p.key, p.label) for p in providers], _("all"))
        fields["zakres"].choices = [
            ("", _("everything of my units")),
            ("mine", _("assigned to me")),
            ("unassigned", _("unassigned")),
        ]
        statuses = {k: v for p in shown for k, v in p.statuses() if k}
        fields["status"].choices = _choices(list(statuses.items()), _("any"))
        categories = {k: v for p in shown for k, v in p.categories()}
        fields["kategoria"].choices = _choices(list(categories.items()), _("any"))
        districts = District.objects.order_by("name").values_list("code", "name")
        fields["dzielnica"].choices = _choices(list(districts), _("any"))


def _colleagues(items: list[casework.QueueItem]) -> dict[tuple[str, int], list[Any]]:
    """The people each (module, unit) case may be given to."""
    out: dict[tuple[str, int], list[Any]] = {}
    for item in items:
        key = (item.module, item.unit_id or 0)
        if key not in out:
            provider = casework.queue_registry.get(item.module)
            unit = OrgUnit.objects.filter(pk=item.unit_id).first() if item.unit_id else None
            out[key] = (
                casework.colleagues(provider, unit.pk, unit.members.all())
                if provider and unit
                else []
            )
    return out


@require_GET
@staff_only
def queue(request: HttpRequest) -> HttpResponse:
    providers = casework.providers_for(request.user)
    form = QueueForm(request.GET or None, providers=providers)
    data = form.cleaned_data if form.is_valid() else {}
    f = casework.QueueFilter(
        units=casework.units_of(request.user),
        user_id=int(request.user.pk or 0),
        scope=data.get("zakres", ""),
        status=data.get("status", ""),
        category=data.get("kategoria", ""),
        district=data.get("dzielnica", ""),
    )
    modules = [data["modul"]] if data.get("modul") else []
    items = casework.queue_items(request.user, f, modules)
    people = _colleagues(items)
    rows = [{"item": i, "people": people.get((i.module, i.unit_id or 0), [])} for i in items]
    labels = {p.key: p.label for p in providers}
    context = {"form": form, "rows": rows, "labels": labels, "limit": f.limit}
    return render(request, "web/casework/queue.html", context, status=400 if form.errors else 200)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("casework-queue")


@require_POST
@staff_only
def assign(request: HttpRequest) -> HttpResponse:
    """Take a case, give it to a colleague of its unit, or release it."""
    action = request.POST.get("action", "")
    case_id = request.POST.get("id", "")
    if not (case_id.isascii() and case_id.isdigit() and len(case_id) <= 12):
        raise Http404
    assignee: Any = None
    if action == "take":
        assignee = request.user
    elif action == "assign":
        pk = request.POST.get("assignee", "")
        assignee = get_user_model().objects.filter(pk=int(pk)).first() if pk.isdigit() else None
        if assignee is None:
            return _refused(request, _("Choose the colleague to give the case to."))
    elif action != "release":
        return _refused(request, _("Choose what to do with the case."))
    try:
        casework.case_assign(
            module=request.POST.get("module", ""), case_id=int(case_id),
            assignee=assignee, user=request.user,
        )  # fmt: skip
    except casework.CaseworkError as exc:
        return _refused(request, str(exc))
    messages.success(request, _("Saved."))
    return redirect(_back(request))


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    context = {"message": message, "back": _back(request)}
    return render(request, "web/casework/refused.html", context, status=400)


# --------------------------------------------------------------------------- templates


class TemplateForm(forms.Form):
    module = forms.ChoiceField(label=gettext_lazy("Module"))
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit (empty: every unit — administrators only)"),
        queryset=OrgUnit.objects.none(), required=False,
    )  # fmt: skip
    title = forms.CharField(label=gettext_lazy("Title"), max_length=casework.TEMPLATE_TITLE_MAX)
    body = forms.CharField(
        label=gettext_lazy("Text"),
        max_length=casework.TEMPLATE_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["module"].choices = [(p.key, p.label) for p in casework.providers_for(user)]
        units = casework.units_of(user)
        fields["unit"].queryset = (
            OrgUnit.objects.order_by("code")
            if units is None
            else OrgUnit.objects.filter(pk__in=units).order_by("code")
        )

    def input(self) -> casework.TemplateInput:
        unit = self.cleaned_data["unit"]
        return casework.TemplateInput(
            module=self.cleaned_data["module"], unit_id=unit.pk if unit else None,
            title=self.cleaned_data["title"], body=self.cleaned_data["body"],
        )  # fmt: skip


def _template_or_404(request: HttpRequest, template_id: str) -> AnswerTemplate:
    if not (template_id.isascii() and template_id.isdigit() and len(template_id) <= 12):
        raise Http404
    found = casework.editable_templates(request.user).filter(pk=int(template_id)).first()
    if found is None:
        raise Http404
    return found


def _template_page(
    request: HttpRequest, template: AnswerTemplate | None, redirect_to: str
) -> HttpResponse:
    initial: dict[str, Any] = {"module": request.GET.get("modul", "")}
    if template is not None:
        initial = {"module": template.module, "unit": template.unit_id, "title": template.title,
                   "body": template.body}  # fmt: skip
    form = TemplateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            casework.template_save(form.input(), user=request.user, template=template)
        except casework.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The template is saved."))
            return redirect(redirect_to)
    context = {
        "form": form,
        "template": template,
        "templates": casework.editable_templates(request.user),
        "labels": {p.key: p.label for p in casework.queue_registry},
        "placeholders": list(casework.PLACEHOLDERS.items()),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "web/casework/templates.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_only
def templates(request: HttpRequest) -> HttpResponse:
    return _template_page(request, None, reverse("casework-templates"))


@require_http_methods(["GET", "POST"])
@staff_only
def template_edit(request: HttpRequest, template_id: str) -> HttpResponse:
    template = _template_or_404(request, template_id)
    return _template_page(request, template, reverse("casework-templates"))


@require_POST
@staff_only
def template_delete(request: HttpRequest, template_id: str) -> HttpResponse:
    template = _template_or_404(request, template_id)
    try:
        casework.template_delete(template, user=request.user)
    except casework.CaseworkError as exc:
        return _refused(request, str(exc))
    messages.success(request, _("The template is deleted."))
    return redirect("casework-templates")


# --------------------------------------------------------------------------- statistics


class PeriodForm(forms.Form):
    od = forms.DateField(label=gettext_lazy("From"), required=False,
                         widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    do = forms.DateField(label=gettext_lazy("To"), required=False,
                         widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    modul = forms.ChoiceField(label=gettext_lazy("Module"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        providers = sorted(casework.stats_registry, key=lambda p: p.order)
        fields["modul"].choices = _choices([(p.key, p.label) for p in providers], _("all"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        until = data.get("do") or timezone.localdate()
        since = data.get("od") or until - timedelta(days=365)
        if since > until:
            raise forms.ValidationError(_("The period must start before it ends."))
        if (until - since).days > MAX_PERIOD_DAYS:
            raise forms.ValidationError(_("The period may be at most ten years long."))
        data["od"], data["do"] = since, until
        return data


def period_from(params: Any) -> tuple[casework.Period, list[str]] | str:
    """The period and modules asked for, or the reason they are refused (for the API too)."""
    form = PeriodForm(params)
    if not form.is_valid():
        return " ".join(str(e) for errors in form.errors.values() for e in errors)
    data = form.cleaned_data
    return casework.Period(since=data["od"], until=data["do"]), [data["modul"]] if data[
        "modul"
    ] else []


def _bars(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with the width of their bar (per cent of the largest count) for the SVG."""
    top = max((r["count"] for r in rows), default=0) or 1
    return [
        {**r, "width": round(100 * r["count"] / top, 1), "y": 22 * i} for i, r in enumerate(rows)
    ]


@require_GET
@staff_only
def statistics(request: HttpRequest) -> HttpResponse:
    asked = period_from(request.GET)
    form = PeriodForm(request.GET or None)
    form.is_valid()
    if isinstance(asked, str):
        context = {"form": form, "modules": [], "error": asked}
        return render(request, "web/casework/statistics.html", context, status=400)
    period, modules = asked
    stats = casework.statistics(period, modules)
    for module in stats:
        for dimension in ("category", "district", "status"):
            module.groups[dimension] = _bars(module.groups[dimension])
    context = {"form": form, "modules": stats, "period": period,
               "csv_query": request.GET.urlencode()}  # fmt: skip
    return render(request, "web/casework/statistics.html", context)


CSV_COLUMNS = ("modul", "wymiar", "klucz", "nazwa", "liczba", "z_odpowiedzia",
               "mediana_dni", "p90_dni")  # fmt: skip


@require_GET
@staff_only
def statistics_csv(request: HttpRequest) -> HttpResponse:
    asked = period_from(request.GET)
    if isinstance(asked, str):
        return HttpResponse(asked, status=400, content_type="text/plain; charset=utf-8")
    period, modules = asked
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="statystyki-{period.since:%Y%m%d}-{period.until:%Y%m%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for module in casework.statistics(period, modules):
        for dimension, rows in module.groups.items():
            for r in rows:
                writer.writerow([module.key, dimension, r["key"], r["label"], r["count"],
                                 r["answered"], r["median_days"], r["p90_days"]])  # fmt: skip
    return response


def statistics_json(period: casework.Period, modules: list[str]) -> dict[str, Any]:
    """The statistics as the API answers them: aggregates only, no personal data."""
    return {
        "since": period.since.isoformat(),
        "until": period.until.isoformat(),
        "modules": [
            {"module": m.key, "label": str(m.label), **m.groups}
            for m in casework.statistics(period, modules)
        ],
    }


@require_GET
def statistics_api(request: HttpRequest) -> JsonResponse:
    """``GET /api/v1/casework/statistics``: public aggregates (counts and days), no person."""
    params = {"od": request.GET.get("since", ""), "do": request.GET.get("until", ""),
              "modul": request.GET.get("module", "")}  # fmt: skip
    asked = period_from(params)
    if isinstance(asked, str):
        raise InvalidParameter(asked)
    period, modules = asked
    return JsonResponse(statistics_json(period, modules), json_dumps_params={"ensure_ascii": False})

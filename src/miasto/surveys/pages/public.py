"""Public survey pages:

- ``/ankiety/`` — open surveys, then closed ones;
- ``/ankiety/<id>/`` — the form (map questions on a map with a keyboard alternative: find an
  address or parcel to place a point; the GeoJSON field without JavaScript), its privacy
  notice; a survey requiring an account sends a visitor to sign in;
- ``/ankiety/<id>/dziekujemy/`` — the confirmation;
- ``/ankiety/<id>/wyniki/`` — the results: a chart and table per choice or scale question,
  for map questions a heat map with the table of places per district as its equivalent.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.gis.db.models.functions import Transform
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from miasto.core.acts import act_resolve
from miasto.core.throttle import throttle_hit
from miasto.surveys import selectors
from miasto.surveys.forms import ResponseForm, field_name
from miasto.surveys.models import Identity, Survey, SurveyStatus
from miasto.surveys.services import Respondent, SurveyError, response_submit, survey_accepts
from miasto.territory.models import City

BUILD_PERMISSION = "surveys.change_survey"


def streets_tiles_url() -> str:
    return reverse("tile", args=["streets", 0, 0, 0]).replace("/0/0/0.mvt", "/{z}/{x}/{y}.mvt")


def city_bbox() -> list[float] | None:
    """The city's extent in WGS 84 (the survey map starts there)."""
    city = City.objects.order_by("id").annotate(g=Transform("geom", 4326)).first()
    return list(city.g.extent) if city is not None else None


def map_config() -> dict[str, Any]:
    """What the page's script needs: tiles, the city's extent, the search and its words."""
    return {
        "streets": streets_tiles_url(),
        "bbox": city_bbox(),
        "search": reverse("api-search"),
        "t": {
            "place": _("Place %(n)s"),
            "route": _("Route %(n)s"),
            "area": _("Area %(n)s"),
            "remove": _("Remove"),
            "rating": _("Rating"),
            "add": _("Add to my answer"),
            "addVertex": _("Add as the next point"),
            "nothing": _("Nothing found."),
            "none": _("Nothing marked yet."),
            "tooMany": _("You have marked as many places as this question takes."),
            "vertices": _("Points of the shape so far: %(n)s."),
            "added": _("Added: %(label)s."),
            "removed": _("Removed."),
        },
    }


MAX_ID = 2**31 - 1


def survey_or_404(request: HttpRequest, survey_id: int) -> Survey:
    if survey_id > MAX_ID:
        raise Http404(_("There is no such survey."))
    survey = selectors.public_survey(survey_id)
    if survey is None and request.user.has_perm(BUILD_PERMISSION):
        survey = Survey.objects.filter(pk=survey_id).first()  # staff preview a draft
    if survey is None:
        raise Http404(_("There is no such survey."))
    return survey


@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = list(selectors.public_surveys())
    return render(
        request,
        "surveys/list.html",
        {
            "open": [s for s in surveys if s.status == SurveyStatus.OPEN],
            "closed": [s for s in surveys if s.status == SurveyStatus.CLOSED],
            "can_build": request.user.has_perm(BUILD_PERMISSION),
        },
    )


def _act(survey: Survey) -> dict[str, Any] | None:
    resolved = act_resolve(survey.act) if survey.act else None
    if resolved is None:
        return None
    kind, act_id = resolved
    return {"title": f"{kind.label}: {kind.title(act_id)}", "url": kind.url(act_id)}


def _form_context(survey: Survey, form: ResponseForm) -> dict[str, Any]:
    questions = [
        {"question": q, "field": form[field_name(q)], "name": field_name(q)}
        for q in survey.questions.all()
    ]
    return {
        "survey": survey,
        "form": form,
        "questions": questions,
        "accepts": survey_accepts(survey),
        "has_map": any(q.is_map for q in survey.questions.all()),
        "map_config": map_config(),
        "act": _act(survey),
        "asks_identity": survey.identity == Identity.NAME_ADDRESS,
    }


def _throttled(request: HttpRequest) -> bool:
    return not throttle_hit(
        request,
        "surveys.response",
        limit=settings.MIASTO_SURVEYS_RESPONSE_LIMIT,
        window=timedelta(seconds=settings.MIASTO_SURVEYS_RESPONSE_WINDOW),
    )


@require_http_methods(["GET", "POST"])
def survey_form(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = survey_or_404(request, survey_id)
    if survey.identity == Identity.ACCOUNT and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method == "GET":
        return render(request, "surveys/form.html", _form_context(survey, ResponseForm(survey)))
    form = ResponseForm(survey, request.POST)
    if not survey_accepts(survey):
        form.add_error(None, _("The survey is not open for answers."))
        return render(request, "surveys/form.html", _form_context(survey, form), status=409)
    if _throttled(request):
        form.add_error(None, _("Too many responses from you in a short time; try again later."))
        return render(request, "surveys/form.html", _form_context(survey, form), status=429)
    if form.is_valid():
        who = Respondent(
            user=request.user,
            name=form.cleaned_data.get("name", ""),
            address=form.cleaned_data.get("address", ""),
            email=form.cleaned_data.get("email", ""),
        )
        try:
            response_submit(survey, form.raw_answers(), who)
        except SurveyError as exc:
            for field, messages in exc.errors.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return redirect("surveys:thanks", survey_id=survey.pk)
    return render(request, "surveys/form.html", _form_context(survey, form), status=400)


@require_GET
def survey_thanks(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = survey_or_404(request, survey_id)
    return render(request, "surveys/thanks.html", {"survey": survey})


def results_context(survey: Survey) -> dict[str, Any]:
    """The results of every question, with the heat-map grids for the page's maps."""
    rows = selectors.results(survey)
    by_id = {q.pk: q for q in survey.questions.all()}
    grids = {}
    for row in rows:
        total = sum(o["count"] for o in (row["options"] or row["scale"] or []))
        for item in row["options"] or row["scale"] or []:
            item["share"] = round(100 * item["count"] / total) if total else 0
        if row["places"]:
            grids[str(row["id"])] = selectors.density(by_id[row["id"]])
    return {
        "survey": survey,
        "results": rows,
        "responses": selectors.response_count(survey),
        "grids": grids,
        "map_config": map_config(),
    }


@require_GET
def survey_results(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = survey_or_404(request, survey_id)
    hidden = not survey.results_public or survey.status == SurveyStatus.DRAFT
    if hidden and not request.user.has_perm(BUILD_PERMISSION):
        raise PermissionDenied(_("The results of this survey are not public."))
    return render(request, "surveys/results.html", results_context(survey))


urlpatterns = [
    path("ankiety/", survey_list, name="list"),
    path("ankiety/<int:survey_id>/", survey_form, name="survey"),
    path("ankiety/<int:survey_id>/dziekujemy/", survey_thanks, name="thanks"),
    path("ankiety/<int:survey_id>/wyniki/", survey_results, name="results"),
]

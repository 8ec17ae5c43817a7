"""The staff side of surveys, under ``/ankiety/obsluga/`` (planners, moderators,
administrators: the ``surveys.change_survey`` permission):

- ``/ankiety/obsluga/`` — every survey with its status and number of responses;
- ``nowa/`` — a new survey (a draft); ``<id>/`` — the builder: the settings, the questions
  (add, edit, remove, move up or down while a draft) and the lifecycle buttons;
- ``<id>/wyniki/`` — the results with the respondents' text answers and, where the survey
  asked, their names and addresses (personal data: staff only);
- ``<id>/eksport.csv`` and ``<id>/eksport.gpkg`` — the anonymised answers.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from miasto.surveys import exports, selectors
from miasto.surveys.exports import answer_label
from miasto.surveys.forms import QuestionForm, SurveyForm
from miasto.surveys.lifecycle import SURVEY_LIFECYCLE
from miasto.surveys.models import Answer, Question, Survey, SurveyStatus
from miasto.surveys.pages.public import BUILD_PERMISSION, MAX_ID, results_context
from miasto.surveys.services import (
    SurveyError,
    question_add,
    question_delete,
    question_move,
    question_update,
    survey_save,
    survey_transition,
)

View = Callable[..., HttpResponse]


def builder_only(view: View) -> View:
    """Anonymous visitors sign in first; signed-in people without the right get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(BUILD_PERMISSION):
            raise PermissionDenied(_("Surveys are built by planners and moderators."))
        return view(request, *args, **kwargs)

    return wrapped


def _survey(survey_id: int) -> Survey:
    survey = Survey.objects.filter(pk=survey_id).first() if survey_id <= MAX_ID else None
    if survey is None:
        raise Http404(_("There is no such survey."))
    return survey


def _question(survey: Survey, question_id: int) -> Question:
    question = survey.questions.filter(pk=question_id).first() if question_id <= MAX_ID else None
    if question is None:
        raise Http404(_("There is no such question."))
    return question


def _add_errors(form: Any, exc: SurveyError) -> None:
    for field, errors in exc.errors.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


@builder_only
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/staff_list.html", {"surveys": selectors.staff_surveys()})


@builder_only
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = survey_save(form.save(commit=False), user=request.user)
        except SurveyError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The survey was created as a draft; add its questions."))
            return redirect("surveys:builder", survey_id=survey.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "surveys/staff_new.html", {"form": form}, status=status)


def _builder(request: HttpRequest, survey: Survey, **forms: Any) -> dict[str, Any]:
    return {
        "survey": survey,
        "form": forms.get("form") or SurveyForm(instance=survey),
        "question_form": forms.get("question_form") or QuestionForm(),
        "questions": list(survey.questions.order_by("position", "id")),
        "editable": survey.status == SurveyStatus.DRAFT,
        "transitions": SURVEY_LIFECYCLE.targets(survey.status, request.user),
        "responses": survey.responses.count(),
    }


@builder_only
@require_http_methods(["GET", "POST"])
def builder(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(survey_id)
    if request.method == "GET":
        return render(request, "surveys/builder.html", _builder(request, survey))
    form = SurveyForm(request.POST, instance=_survey(survey_id))
    if form.is_valid():
        try:
            survey_save(form.save(commit=False), user=request.user)
        except SurveyError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The survey's settings were saved."))
            return redirect("surveys:builder", survey_id=survey.pk)
    context = _builder(request, survey, form=form)
    return render(request, "surveys/builder.html", context, status=400)


@builder_only
@require_POST
def question_new(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(survey_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            question_add(survey, form.to_input())
        except SurveyError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The question was added."))
            return redirect("surveys:builder", survey_id=survey.pk)
    context = _builder(request, survey, question_form=form)
    return render(request, "surveys/builder.html", context, status=400)


@builder_only
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = _survey(survey_id)
    question = _question(survey, question_id)
    form = QuestionForm(request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            question_update(question, form.to_input())
        except SurveyError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The question was saved."))
            return redirect("surveys:builder", survey_id=survey.pk)
    context = {
        "survey": survey,
        "question": question,
        "form": form or QuestionForm.for_question(question),
    }
    return render(request, "surveys/question_edit.html", context, status=400 if form else 200)


@builder_only
@require_POST
def question_remove(request: HttpRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = _survey(survey_id)
    try:
        question_delete(_question(survey, question_id))
    except SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The question was removed."))
    return redirect("surveys:builder", survey_id=survey.pk)


@builder_only
@require_POST
def question_reorder(request: HttpRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = _survey(survey_id)
    step = -1 if request.POST.get("direction") == "up" else 1
    try:
        question_move(_question(survey, question_id), step)
    except SurveyError as exc:
        messages.error(request, str(exc))
    return redirect("surveys:builder", survey_id=survey.pk)


@builder_only
@require_POST
def status_change(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(survey_id)
    target = request.POST.get("target", "")
    if target not in SurveyStatus.values:
        messages.error(request, _("Choose what to do with the survey."))
        return redirect("surveys:builder", survey_id=survey.pk)
    try:
        survey_transition(survey, target, user=request.user)
    except SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The survey is now: %(status)s.") % {"status": SURVEY_LIFECYCLE.label(target)},
        )
    return redirect("surveys:builder", survey_id=survey.pk)


def _respondents(survey: Survey) -> list[dict[str, Any]]:
    """Each response with its text answers and, where asked, the respondent (staff only)."""
    texts: dict[int, list[str]] = {}
    questions = {q.pk: q for q in survey.questions.all()}
    for answer in Answer.objects.filter(response__survey=survey, text__gt="").order_by("id"):
        question = questions[answer.question_id]
        texts.setdefault(answer.response_id, []).append(
            f"{question.position}. {answer_label(question, answer)}"
        )
    return [
        {"response": r, "texts": texts.get(r.pk, [])}
        for r in survey.responses.order_by("-id")[:500]
    ]


@builder_only
@require_GET
def staff_results(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(survey_id)
    context = {**results_context(survey), "respondents": _respondents(survey), "staff": True}
    return render(request, "surveys/results.html", context)


@builder_only
@require_GET
def export_csv(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(survey_id)
    response = HttpResponse(exports.survey_csv(survey), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ankieta-{survey.pk}.csv"'
    return response


@builder_only
@require_GET
def export_gpkg(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(survey_id)
    response = HttpResponse(
        exports.survey_geopackage(survey), content_type="application/geopackage+sqlite3"
    )
    response["Content-Disposition"] = f'attachment; filename="ankieta-{survey.pk}.gpkg"'
    return response


P = "ankiety/obsluga/"
urlpatterns = [
    path(P, staff_list, name="staff"),
    path(f"{P}nowa/", survey_new, name="new"),
    path(f"{P}<int:survey_id>/", builder, name="builder"),
    path(f"{P}<int:survey_id>/pytania/", question_new, name="question-new"),
    path(f"{P}<int:survey_id>/pytania/<int:question_id>/", question_edit, name="question"),
    path(
        f"{P}<int:survey_id>/pytania/<int:question_id>/usun/",
        question_remove,
        name="question-delete",
    ),
    path(
        f"{P}<int:survey_id>/pytania/<int:question_id>/przesun/",
        question_reorder,
        name="question-move",
    ),
    path(f"{P}<int:survey_id>/status/", status_change, name="status"),
    path(f"{P}<int:survey_id>/wyniki/", staff_results, name="staff-results"),
    path(f"{P}<int:survey_id>/eksport.csv", export_csv, name="export-csv"),
    path(f"{P}<int:survey_id>/eksport.gpkg", export_gpkg, name="export-gpkg"),
]

"""Writes on surveys: the builder (survey settings, questions, their order), the lifecycle
and a respondent's submission. Every write is atomic; what a person typed is checked here,
whichever screen (page, API, command) it came through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from miasto.core.acts import act_resolve
from miasto.core.statemachine import TransitionError
from miasto.surveys import events
from miasto.surveys.answers import AnswerError, Clean, check_answer
from miasto.surveys.lifecycle import SURVEY_LIFECYCLE
from miasto.surveys.models import (
    Answer,
    Identity,
    Place,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
)
from miasto.territory.models import City

MAX_OPTIONS = 30
MAX_QUESTIONS = 60


class SurveyError(ValueError):
    """A builder or lifecycle request that cannot be done; ``errors`` maps a field (or "")
    to its Polish messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


# --------------------------------------------------------------------------- the builder


def _check_survey(survey: Survey) -> None:
    errors: dict[str, list[str]] = {}
    if not survey.title.strip():
        errors.setdefault("title", []).append(_("Give the survey a title."))
    if survey.opens_at and survey.closes_at <= survey.opens_at:
        errors.setdefault("closes_at", []).append(_("The survey must close after it opens."))
    if survey.act and act_resolve(survey.act) is None:
        errors.setdefault("act", []).append(_("There is no such act."))
    if errors:
        raise SurveyError(errors)


def _editable(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise SurveyError({"": [_("Only a draft survey can be changed.")]})


@transaction.atomic
def survey_save(survey: Survey, *, user: Any) -> Survey:
    """Create or update a survey's settings (a draft's; an open survey may only get a later
    end date)."""
    if survey.pk:
        before = Survey.objects.select_for_update().get(pk=survey.pk)
        if before.status == SurveyStatus.CLOSED:
            raise SurveyError({"": [_("A closed survey cannot be changed.")]})
        if before.status == SurveyStatus.OPEN:
            _open_survey_change(before, survey)
    else:
        survey.status = SurveyStatus.DRAFT
        survey.created_by = user
    _check_survey(survey)
    survey.save()
    return survey


def _open_survey_change(before: Survey, survey: Survey) -> None:
    changed = [
        f for f in ("identity", "act", "opens_at") if getattr(before, f) != getattr(survey, f)
    ]
    if changed:
        raise SurveyError(
            {changed[0]: [_("An open survey keeps its respondents, act and start date.")]}
        )
    if survey.closes_at <= timezone.now():
        raise SurveyError({"closes_at": [_("The end date must be in the future.")]})


@dataclass(frozen=True)
class QuestionInput:
    kind: str
    text: str
    help_text: str = ""
    required: bool = False
    options: tuple[str, ...] = ()
    scale_min: int = 1
    scale_max: int = 5
    max_length: int = 1000
    max_features: int = 5


def _check_question(data: QuestionInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if data.kind not in QuestionKind.values:
        add("kind", _("Choose a question type from the list."))
    if not data.text.strip():
        add("text", _("Write the question."))
    options = [o.strip() for o in data.options if o.strip()]
    if data.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(options) < 2:
            add("options", _("A choice question needs at least two options."))
        if len(options) > MAX_OPTIONS:
            add("options", _("A question may have at most %(n)d options.") % {"n": MAX_OPTIONS})
        if len({o.casefold() for o in options}) != len(options):
            add("options", _("The options must differ."))
        if any(len(o) > 200 for o in options):
            add("options", _("An option may be at most 200 characters long."))
    if data.kind in (QuestionKind.SCALE, QuestionKind.RATING) and not (
        -100 <= data.scale_min < data.scale_max <= 100 and data.scale_max - data.scale_min <= 20
    ):
        add("scale_max", _("The scale runs from a lower to a higher value, at most 20 steps."))
    if not 1 <= data.max_length <= 5000:
        add("max_length", _("The longest answer is from 1 to 5000 characters."))
    if not 1 <= data.max_features <= 50:
        add("max_features", _("A map answer may have from 1 to 50 places."))
    return errors


def _apply(question: Question, data: QuestionInput) -> None:
    question.kind = data.kind
    question.text = data.text.strip()
    question.help_text = data.help_text.strip()
    question.required = data.required
    choice = data.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
    question.options = [o.strip() for o in data.options if o.strip()] if choice else []
    question.scale_min, question.scale_max = data.scale_min, data.scale_max
    question.max_length, question.max_features = data.max_length, data.max_features


@transaction.atomic
def question_add(survey: Survey, data: QuestionInput) -> Question:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _editable(survey)
    errors = _check_question(data)
    if survey.questions.count() >= MAX_QUESTIONS:
        errors.setdefault("", []).append(
            _("A survey may have at most %(n)d questions.") % {"n": MAX_QUESTIONS}
        )
    if errors:
        raise SurveyError(errors)
    last = survey.questions.aggregate(m=Max("position"))["m"]
    question = Question(survey=survey, position=(last or 0) + 1)
    _apply(question, data)
    question.save()
    return question


@transaction.atomic
def question_update(question: Question, data: QuestionInput) -> Question:
    _editable(Survey.objects.select_for_update().get(pk=question.survey_id))
    errors = _check_question(data)
    if errors:
        raise SurveyError(errors)
    _apply(question, data)
    question.save()
    return question


@transaction.atomic
def question_delete(question: Question) -> None:
    _editable(Survey.objects.select_for_update().get(pk=question.survey_id))
    question.delete()


@transaction.atomic
def question_move(question: Question, step: int) -> None:
    """Move a question one place up (``step=-1``) or down (``+1``); renumbers the survey."""
    survey = Survey.objects.select_for_update().get(pk=question.survey_id)
    _editable(survey)
    ordered = list(survey.questions.order_by("position", "id"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    target = index + (1 if step > 0 else -1)
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered, start=1):
        if item.position != position:
            Question.objects.filter(pk=item.pk).update(position=position)


# --------------------------------------------------------------------------- the lifecycle


@transaction.atomic
def survey_transition(survey: Survey, target: str, *, user: Any) -> Survey:
    """Open or close a survey (``user=None``: the application, on the survey's dates)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    try:
        SURVEY_LIFECYCLE.check(survey.status, target, user)
    except TransitionError as exc:
        raise SurveyError({"": [str(exc)]}) from exc
    now = timezone.now()
    if target == SurveyStatus.OPEN:
        if not survey.questions.exists():
            raise SurveyError({"": [_("Add at least one question before opening the survey.")]})
        if survey.closes_at <= now:
            raise SurveyError({"closes_at": [_("The end date must be in the future.")]})
        survey.opened_at = now
    else:
        survey.closed_at = now
    survey.status = target
    survey.save(update_fields=["status", "opened_at", "closed_at"])
    if target == SurveyStatus.OPEN:
        events.survey_opened(survey)
    return survey


def surveys_by_dates(now: datetime | None = None) -> tuple[int, int]:
    """Open the drafts whose start date has come and close the open surveys whose end date
    has passed (the periodic job); returns (opened, closed)."""
    now = now or timezone.now()
    opened = closed = 0
    due = Survey.objects.filter(
        status=SurveyStatus.DRAFT, opens_at__lte=now, closes_at__gt=now, questions__isnull=False
    ).distinct()
    for survey in due:
        survey_transition(survey, SurveyStatus.OPEN, user=None)
        opened += 1
    for survey in Survey.objects.filter(status=SurveyStatus.OPEN, closes_at__lte=now):
        survey_transition(survey, SurveyStatus.CLOSED, user=None)
        closed += 1
    return opened, closed


# --------------------------------------------------------------------------- responses


@dataclass(frozen=True)
class Respondent:
    """Who answers: the account (or None) and, when the survey asks, name, address, e-mail."""

    user: Any = None
    name: str = ""
    address: str = ""
    email: str = ""


def survey_accepts(survey: Survey, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return survey.status == SurveyStatus.OPEN and survey.closes_at > now


def city_geometry() -> GEOSGeometry | None:
    city = City.objects.order_by("id").only("geom").first()
    return city.geom if city is not None else None


def answers_check(survey: Survey, raw: dict[int, Any]) -> tuple[dict[int, Clean], dict[int, str]]:
    """Check every question's raw answer; (clean answers, errors per question id)."""
    city = city_geometry() if any(q.is_map for q in survey.questions.all()) else None
    clean: dict[int, Clean] = {}
    errors: dict[int, str] = {}
    for question in survey.questions.all():
        try:
            value = check_answer(question, raw.get(question.pk), city)
        except AnswerError as exc:
            errors[question.pk] = str(exc)
            continue
        if question.required and value.empty:
            errors[question.pk] = _("This question requires an answer.")
        elif not value.empty:
            clean[question.pk] = value
    return clean, errors


def _check_respondent(survey: Survey, who: Respondent) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if survey.identity == Identity.ACCOUNT and (who.user is None or not who.user.is_authenticated):
        errors[""] = [_("Sign in to answer this survey.")]
    if survey.identity == Identity.NAME_ADDRESS:
        if not who.name.strip() or len(who.name) > 200:
            errors["name"] = [_("Give your name (at most 200 characters).")]
        if not who.address.strip() or len(who.address) > 300:
            errors["address"] = [_("Give your address (at most 300 characters).")]
    return errors


@transaction.atomic
def response_submit(survey: Survey, raw: dict[int, Any], who: Respondent) -> Response:
    """Check and store one response, all of it or nothing. Raises :class:`SurveyError` with
    the errors per field (``q<id>`` for a question)."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey_accepts(survey):
        raise SurveyError({"": [_("The survey is not open for answers.")]})
    errors = _check_respondent(survey, who)
    clean, answer_errors = answers_check(survey, raw)
    errors.update({f"q{pk}": [message] for pk, message in answer_errors.items()})
    if not clean and not errors:
        errors[""] = [_("Answer at least one question.")]
    if errors:
        raise SurveyError(errors)
    account = who.user if who.user is not None and who.user.is_authenticated else None
    asks = survey.identity == Identity.NAME_ADDRESS
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                user=account if survey.identity == Identity.ACCOUNT else None,
                name=who.name.strip() if asks else "",
                address=who.address.strip() if asks else "",
                email=who.email.strip() if asks else "",
            )
    except IntegrityError as exc:
        raise SurveyError({"": [_("You have already answered this survey.")]}) from exc
    _store(response, clean)
    return response


def _store(response: Response, clean: dict[int, Clean]) -> None:
    answers: list[Answer] = []
    places: list[Place] = []
    for question_id, value in clean.items():
        if value.places:
            places.extend(
                Place(response=response, question_id=question_id, geom=g, score=s)
                for g, s in value.places
            )
        else:
            answers.append(
                Answer(
                    response=response,
                    question_id=question_id,
                    choices=value.choices,
                    text=value.text,
                    number=value.number,
                )
            )
    Answer.objects.bulk_create(answers)
    Place.objects.bulk_create(places)

"""Map surveys (geoankiety): a survey, its questions, the responses and their answers.

A *geoankieta* is a survey whose questions may be answered on the map — marking places,
drawing routes or areas, rating a place — beside ordinary ones (choices, text, a scale).
U.p.z.p. art. 8i ust. 1 pkt 4 names surveys and geo-surveys among the forms of a planning
consultation; ust. 5 lets the mayor ask respondents for their name, address and e-mail where
necessary (see docs/surveys.md).

Personal data — the respondent's account, name, address and e-mail — live only on
:class:`Response` and never leave the staff pages; answers and places are the public part.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.core.audit import audited
from miasto.core.geo import valid_geom

SRID = settings.MIASTO_SRID


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("survey status", "draft")
    OPEN = "open", pgettext_lazy("survey status", "open")
    CLOSED = "closed", pgettext_lazy("survey status", "closed")


class Identity(models.TextChoices):
    """Who the respondent must say they are (art. 8i ust. 5 u.p.z.p.)."""

    ANONYMOUS = "anonymous", _("no personal data (anyone may answer)")
    NAME_ADDRESS = "name_address", _("name and address asked for (art. 8i ust. 5)")
    ACCOUNT = "account", _("a signed-in account required (one response per account)")


@audited
class Survey(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    opens_at = models.DateTimeField(
        _("opens at"),
        null=True,
        blank=True,
        help_text=_("A draft with questions opens by itself at this time (empty: by hand)."),
    )
    closes_at = models.DateTimeField(_("closes at"))
    identity = models.CharField(
        _("respondents"), max_length=20, choices=Identity.choices, default=Identity.ANONYMOUS
    )
    #: an act (core.acts, "plan:12") the survey concerns, or ""
    act = models.CharField(_("act concerned"), max_length=60, blank=True)
    #: a consultation (the consultations module's id) the survey is a form of, or None
    consultation_id = models.PositiveIntegerField(_("consultation"), null=True, blank=True)
    results_public = models.BooleanField(_("results public"), default=True)
    #: who processes the answers and why, added to the standard privacy notice
    privacy_note = models.TextField(
        _("privacy notice: additional text"), blank=True, max_length=3000
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="survey_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status != SurveyStatus.DRAFT


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    TEXT = "text", _("text")
    SCALE = "scale", _("scale")
    POINTS = "points", _("mark places on the map")
    LINES = "lines", _("draw routes on the map")
    AREAS = "areas", _("draw areas on the map")
    RATING = "rating", _("rate places on the map")


MAP_KINDS = frozenset(
    {QuestionKind.POINTS, QuestionKind.LINES, QuestionKind.AREAS, QuestionKind.RATING}
)
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})


@audited
class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("type"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("hint"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    #: the options of a choice question, in order
    options = models.JSONField(_("options"), default=list, blank=True)
    #: scale and rating: the lowest and highest value
    scale_min = models.SmallIntegerField(_("lowest value"), default=1)
    scale_max = models.SmallIntegerField(_("highest value"), default=5)
    #: text: the longest answer; map: the most places, routes or areas
    max_length = models.PositiveIntegerField(_("longest answer (characters)"), default=1000)
    max_features = models.PositiveSmallIntegerField(_("most places per answer"), default=5)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_map(self) -> bool:
        return self.kind in MAP_KINDS

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS


class Response(models.Model):
    """One respondent's submission. ``user``, ``name``, ``address`` and ``email`` are personal
    data: staff pages only, removed by the anonymiser (:mod:`miasto.surveys.privacy`)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["survey", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="response_one_per_account",
            )
        ]


class Answer(models.Model):
    """The answer to an ordinary question: ``choices`` (option indexes), ``text`` or
    ``number`` (a scale)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)
    number = models.SmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once")]


class Place(models.Model):
    """One place, route or area of a map answer (with its score for a rating question)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="places")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="places")
    geom = models.GeometryField(srid=SRID, spatial_index=True)
    score = models.SmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [valid_geom("surveyplace")]
        indexes = [models.Index(fields=["question"], name="surveyplace_question")]

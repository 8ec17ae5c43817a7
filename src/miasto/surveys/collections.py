"""The published answers of map surveys as an OGC API collection (``/ogcapi/…``): the places,
routes and areas of open and closed surveys whose results are public, with the survey, the
question and the score — never who answered (no account, name, address, e-mail; no response
number either, so one person's places cannot be tied together)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from psycopg import sql

from miasto.core.collections import Collection, Property, collection_registry

ANSWERS = sql.SQL(
    "(SELECT p.id, p.geom, p.score, q.id AS question_id, q.position, q.kind, q.text,"
    " s.id AS survey_id, s.title, r.submitted_at::date AS submitted"
    " FROM surveys_place p"
    " JOIN surveys_question q ON q.id = p.question_id"
    " JOIN surveys_survey s ON s.id = q.survey_id"
    " JOIN surveys_response r ON r.id = p.response_id"
    " WHERE s.status IN ('open', 'closed') AND s.results_public)"
)

collection_registry.register(
    "survey-answers",
    Collection(
        id="survey-answers",
        title=_("Map survey answers"),
        description=_(
            "Places, routes and areas marked by respondents of the city's map surveys "
            "(open and closed surveys with public results), without personal data."
        ),
        keywords=("geoankieta", "ankieta", "partycypacja", "konsultacje"),
        table=ANSWERS,
        geometry_type="any",
        properties=(
            Property("survey", "t.survey_id", "integer", _("survey")),
            Property("survey_title", "t.title", "string", _("survey title")),
            Property("question", "t.question_id", "integer", _("question")),
            Property("question_text", "t.text", "string", _("question text")),
            Property("kind", "t.kind", "string", _("question type")),
            Property("score", "t.score", "integer", _("rating")),
            Property("submitted", "t.submitted", "date", _("answered on")),
        ),
        temporal=("submitted", None),
    ),
)

"""Permissions on surveys: planners, moderators and administrators build and run them (the
builder pages check ``surveys.change_survey``)."""

from miasto.core.roles import grant

SURVEY_MODELS = ["survey", "question"]

for _role in ("planner", "moderator", "administrator"):
    grant(
        _role,
        *(f"surveys.{a}_{m}" for m in SURVEY_MODELS for a in ("view", "add", "change", "delete")),
        "surveys.view_response",
    )

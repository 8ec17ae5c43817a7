"""What the law asks of a consultation (u.p.z.p. art. 8e–8m, since the 2023 reform).

*Konsultacje społeczne* — the statutory consultation of a draft planning act. The forms of
art. 8i ust. 1 and the minimum combination of art. 8i ust. 2 are checked when a consultation is
set up (:func:`forms_problems`); the minimum duration is versioned configuration
(:data:`RULES`, :func:`rules_on`), never a constant buried in a service. Sources and what is
still unverified: ``docs/consultations.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from miasto.core.versioning import check_versions, version_for

#: art. 8i ust. 1: form code → (group number 1–5, or 0 for "other forms" of ust. 3, label)
FORMS: dict[str, tuple[int, object]] = {
    "comments": (1, gettext_lazy("collecting comments")),
    "meeting": (2, gettext_lazy("open meeting preceded by a presentation of the draft")),
    "expert_panel": (2, gettext_lazy("expert panel preceded by a presentation of the draft")),
    "workshop": (2, gettext_lazy("workshop preceded by a presentation of the draft")),
    "outdoor_meeting": (3, gettext_lazy("outdoor meeting in the area of the act")),
    "study_walk": (3, gettext_lazy("study walk in the area of the act")),
    "survey": (4, pgettext_lazy("consultation form", "survey")),
    "geo_survey": (4, gettext_lazy("geo-survey (map survey)")),
    "interview": (5, gettext_lazy("interviews")),
    "consultation_point": (5, gettext_lazy("consultation point")),
    "duty_hours": (5, gettext_lazy("the designer's duty hours")),
    "other": (0, gettext_lazy("another form (art. 8i ust. 3)")),
}
FORM_CHOICES = [(code, label) for code, (_group, label) in FORMS.items()]


def forms_problems(forms: list[str]) -> list[str]:
    """What the chosen forms lack of art. 8i ust. 2's minimum (empty: the combination holds):
    collecting comments, one form of point 2 and one of points 3–5."""
    unknown = [f for f in forms if f not in FORMS]
    if unknown:
        return [_("Unknown consultation form: %(form)s.") % {"form": ", ".join(unknown)}]
    groups = {FORMS[f][0] for f in forms}
    problems = []
    if 1 not in groups:
        problems.append(_("Collecting comments is obligatory (art. 8i ust. 2)."))
    if 2 not in groups:
        problems.append(
            _("Choose an open meeting, an expert panel or a workshop (art. 8i ust. 1 pkt 2).")
        )
    if not groups & {3, 4, 5}:
        problems.append(
            _(
                "Choose also an outdoor meeting or study walk, a survey or geo-survey, or "
                "interviews, a consultation point or the designer's duty hours "
                "(art. 8i ust. 1 pkt 3–5)."
            )
        )
    return problems


@dataclass(frozen=True)
class ConsultationRules:
    """The consultation rules in force over ``[valid_from, valid_to)``."""

    key: str
    valid_from: dt.date
    valid_to: dt.date | None
    #: the shortest consultation, in days counted from the first to the last day inclusive
    min_days: int
    source: str


RULES: tuple[ConsultationRules, ...] = (
    ConsultationRules(
        key="upzp-2023",
        # the 2023 reform of u.p.z.p. (Dz.U. 2023 poz. 1688) in force
        valid_from=dt.date(2023, 9, 24),
        valid_to=None,
        min_days=21,
        source="u.p.z.p. rozdz. 1a (art. 8h–8k), ustawa z 7 lipca 2023 r., Dz.U. 2023 poz. 1688",
    ),
)
check_versions(RULES)


def rules_on(day: dt.date | None = None) -> ConsultationRules:
    return version_for(RULES, day)


def duration_days(starts_on: dt.date, ends_on: dt.date) -> int:
    """Days of a consultation from its first to its last day, both included."""
    return (ends_on - starts_on).days + 1


def dates_problems(starts_on: dt.date | None, ends_on: dt.date | None) -> list[str]:
    """What is wrong with the dates (empty: they are lawful)."""
    if starts_on is None or ends_on is None:
        return [_("Give the first and the last day of the consultation.")]
    if ends_on < starts_on:
        return [_("The last day comes before the first day.")]
    rules = rules_on(starts_on)
    days = duration_days(starts_on, ends_on)
    if days < rules.min_days:
        return [
            _(
                "The consultation lasts %(days)s days; the law requires at least %(min)s "
                "(%(source)s)."
            )
            % {"days": days, "min": rules.min_days, "source": rules.source}
        ]
    return []

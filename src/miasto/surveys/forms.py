"""Forms of the survey pages: the builder's (survey settings, a question) and the
respondent's (one field per question, built from the survey). The forms only gather input;
the checks that matter are the services' (:mod:`miasto.surveys.services`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from miasto.core.acts import act_choices
from miasto.core.moderation import HoneypotForm
from miasto.surveys.models import Identity, Question, QuestionKind, Survey
from miasto.surveys.services import QuestionInput


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class SurveyForm(forms.ModelForm):
    act = forms.ChoiceField(label=_("act concerned"), required=False)

    class Meta:
        model = Survey
        fields = [
            "title", "description", "opens_at", "closes_at", "identity", "act",
            "consultation_id", "results_public", "privacy_note",
        ]  # fmt: skip
        widgets = {
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "privacy_note": forms.Textarea(attrs={"rows": 3}),
            "identity": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("none"))] + act_choices()
        current = self.instance.act if self.instance else ""
        if current and current not in dict(choices):
            choices.append((current, current))
        act = self.fields["act"]
        assert isinstance(act, forms.ChoiceField)
        act.choices = choices
        for name in ("opens_at", "closes_at"):
            field = self.fields[name]
            assert isinstance(field, forms.DateTimeField)
            field.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("type"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("question"), max_length=500)
    help_text = forms.CharField(label=_("hint"), max_length=500, required=False)
    required = forms.BooleanField(label=_("an answer is required"), required=False)
    options = forms.CharField(
        label=_("options (one per line; choice questions)"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    scale_min = forms.IntegerField(label=_("lowest value (scale, rating)"), initial=1)
    scale_max = forms.IntegerField(label=_("highest value (scale, rating)"), initial=5)
    max_length = forms.IntegerField(label=_("longest answer in characters (text)"), initial=1000)
    max_features = forms.IntegerField(label=_("most places per answer (map)"), initial=5)

    @classmethod
    def for_question(cls, question: Question) -> QuestionForm:
        return cls(
            initial={
                "kind": question.kind,
                "text": question.text,
                "help_text": question.help_text,
                "required": question.required,
                "options": "\n".join(question.options),
                "scale_min": question.scale_min,
                "scale_max": question.scale_max,
                "max_length": question.max_length,
                "max_features": question.max_features,
            }
        )

    def to_input(self) -> QuestionInput:
        data = self.cleaned_data
        return QuestionInput(
            kind=data["kind"],
            text=data["text"],
            help_text=data["help_text"],
            required=data["required"],
            options=tuple(data["options"].splitlines()),
            scale_min=data["scale_min"],
            scale_max=data["scale_max"],
            max_length=data["max_length"],
            max_features=data["max_features"],
        )


def field_name(question: Question) -> str:
    return f"q{question.pk}"


class ResponseForm(HoneypotForm):
    """The respondent's form: the identity fields the survey asks for, and one field per
    question (map answers as GeoJSON, which the page's map writes)."""

    def __init__(self, survey: Survey, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        if survey.identity == Identity.NAME_ADDRESS:
            self.fields["name"] = forms.CharField(label=_("Name and surname"), max_length=200)
            self.fields["address"] = forms.CharField(label=_("Address"), max_length=300)
            self.fields["email"] = forms.EmailField(label=_("E-mail (optional)"), required=False)
        for question in survey.questions.all():
            self.fields[field_name(question)] = self._field(question)

    @staticmethod
    def _field(q: Question) -> forms.Field:
        common: dict[str, Any] = {"label": q.text, "required": False, "help_text": q.help_text}
        if q.kind == QuestionKind.SINGLE:
            return forms.CharField(widget=forms.RadioSelect(choices=_options(q)), **common)
        if q.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=_options(q), widget=forms.CheckboxSelectMultiple, **common
            )
        if q.kind == QuestionKind.SCALE:
            values = [(str(v), str(v)) for v in range(q.scale_min, q.scale_max + 1)]
            return forms.CharField(widget=forms.RadioSelect(choices=values), **common)
        if q.kind == QuestionKind.TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), strip=False, **common)
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), strip=False, **common)

    def raw_answers(self) -> dict[int, Any]:
        """Question id → what was sent (a string, or a list for multiple choice)."""
        raw: dict[int, Any] = {}
        for question in self.survey.questions.all():
            name = field_name(question)
            if question.kind == QuestionKind.MULTIPLE:
                raw[question.pk] = self.data.getlist(name)  # type: ignore[attr-defined]  # a QueryDict
            else:
                raw[question.pk] = self.data.get(name, "")
        return raw


def _options(question: Question) -> list[tuple[str, str]]:
    return [(str(i), label) for i, label in enumerate(question.options)]

"""The forms of the consultation pages. Validation that is the law's (forms, dates, geometry,
files) is the services'; these forms only read the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.gis import forms as gis_forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.consultations.config import FORM_CHOICES
from miasto.consultations.models import Category, Channel, Handling
from miasto.core.acts import act_choices
from miasto.core.models import ContentReport
from miasto.core.moderation import HoneypotForm
from miasto.territory.models import OrgUnit
from miasto.territory.widgets import CityMapWidget

DATE = forms.DateInput(attrs={"type": "date"})


class CommentMapWidget(CityMapWidget):
    """The city map to draw a point, a line or an area on."""

    default_zoom = 14


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class CommentForm(HoneypotForm):
    text = forms.CharField(
        label=pgettext_lazy("consultation comment", "Your comment"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
        max_length=20000,  # the service says "too long" with the limit; this bounds the request
        required=False,
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    part = forms.ChoiceField(label=_("Zone or provision concerned"), required=False)
    geom = gis_forms.GeometryField(
        label=_("Place on the map (a point, a line or an area)"),
        widget=CommentMapWidget(attrs={"geom_type": "GEOMETRY"}),
        srid=3857,
        required=False,
    )
    place = forms.CharField(
        label=_("Or give a parcel or an address"),
        help_text=_("e.g. a parcel identifier 106101_1.0001.12 or “Długa 5”"),
        required=False,
        max_length=200,
    )
    attachments = MultipleFileField(
        label=_("Attachments (PDF, PNG or JPEG; at most 3 files of 5 MB)"), required=False
    )
    name = forms.CharField(label=_("First name and surname or name"), max_length=200)
    address = forms.CharField(label=_("Address of residence or seat"), max_length=300)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    is_owner = forms.BooleanField(
        label=_("I own the property concerned (or hold it in perpetual usufruct)"),
        required=False,
    )

    def __init__(self, *args: Any, parts: list[tuple[str, str]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["part"].choices = [  # type: ignore[attr-defined]
            ("", _("— the whole draft —")),
            *(parts or []),
        ]


class StaffCommentForm(CommentForm):
    channel = forms.ChoiceField(
        label=_("Received"), choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class SetupForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    summary = forms.CharField(
        label=_("What is consulted, in plain language"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
    )
    act = forms.ChoiceField(label=_("Act consulted on"), required=False)
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    methods = forms.MultipleChoiceField(
        label=_("Forms of the consultation (art. 8i)"),
        choices=FORM_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    forms_details = forms.CharField(
        label=_("Meetings, places and dates"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    unit = forms.ModelChoiceField(
        label=_("Unit handling the comments"),
        queryset=OrgUnit.objects.order_by("code"),
        required=False,
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["act"].choices = [  # type: ignore[attr-defined]
            ("", _("— an area (no act) —")),
            *act_choices(),
        ]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Document title"), max_length=300)
    file = forms.FileField(label=_("File (PDF, PNG or JPEG)"))


class UnitForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit handling the comments"),
        queryset=OrgUnit.objects.order_by("code"),
        required=False,
    )


class CourseForm(forms.Form):
    course = forms.CharField(
        label=_("Course of the consultation (for the summary report)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20000,
    )


class HandlingForm(forms.Form):
    handling = forms.ChoiceField(
        label=_("Proposed handling"),
        choices=[c for c in Handling.choices if c[0]],
        widget=forms.RadioSelect,
    )
    justification = forms.CharField(
        label=_("Justification"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("hide", _("Hide"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason for hiding (shown publicly)"), required=False, max_length=300
    )


class ReportContentForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"))
    note = forms.CharField(
        label=pgettext_lazy("content report", "Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["reason"].choices = ContentReport.Reason.choices  # type: ignore[attr-defined]

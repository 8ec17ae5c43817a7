"""Forms of the proposal pages (public ones carry the honeypot)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext_lazy as _

from miasto.core.acts import act_choices
from miasto.core.models import ContentReport
from miasto.core.moderation import HoneypotForm
from miasto.proposals.models import Category
from miasto.proposals.statuses import STAFF_ROLES, Status
from miasto.proposals.validation import (
    ProposalError,
    geometry_from_geojson,
    geometry_from_place,
    photo_clean,
)
from miasto.territory.models import District, OrgUnit


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Text in the title or description"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("any category")), *Category.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("any status")), *Status.choices]
    )
    district = forms.ChoiceField(label=_("District"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("any district")),
            *District.objects.order_by("name").values_list("code", "name"),
        ]


class ProposalForm(HoneypotForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What should change, and why. At most 5000 characters."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    geometry = forms.CharField(
        label=_("Place drawn on the map"),
        required=False,
        widget=forms.HiddenInput(),
    )
    place = forms.CharField(
        label=_("Or type an address or a parcel"),
        required=False,
        max_length=200,
        help_text=_(
            "E.g. “Długa 5” or a parcel identifier; the proposal is placed at that address "
            "or on that parcel. Used when nothing is drawn on the map."
        ),
    )
    act = forms.ChoiceField(
        label=_("Plan or act it concerns (optional)"),
        required=False,
    )
    budget_line = forms.CharField(
        label=_("Budget line (optional)"),
        required=False,
        max_length=120,
        help_text=_("E.g. a task of the participatory budget or a section of the city budget."),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPEG, PNG or WebP. Its metadata (e.g. where it was taken) is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_alt = forms.CharField(
        label=_("What the photo shows"),
        required=False,
        max_length=300,
        help_text=_("Required with a photo: a few words for those who cannot see it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["act"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("— none —")), *act_choices()]
        self.geom: GEOSGeometry | None = None
        self.photo_bytes: bytes | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        drawn, place = data.get("geometry", ""), data.get("place", "")
        try:
            if drawn:
                self.geom = geometry_from_geojson(drawn)
            elif place:
                self.geom, _label = geometry_from_place(place)
            else:
                raise ProposalError(_("Mark the place on the map or type an address or a parcel."))
        except ProposalError as exc:
            self.add_error("place", str(exc))
        upload = data.get("photo")
        if upload:
            try:
                self.photo_bytes = photo_clean(upload)
            except ProposalError as exc:
                self.add_error("photo", str(exc))
            if not (data.get("photo_alt") or "").strip():
                self.add_error("photo_alt", _("Describe the photo in a few words."))
        return data


class CommentForm(HoneypotForm):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("At most 2000 characters. Comments are public and moderated."),
    )


class ReportForm(forms.Form):
    kind = forms.ChoiceField(choices=[("proposal", "proposal"), ("proposal_comment", "comment")])
    object_id = forms.CharField(max_length=12)
    reason = forms.ChoiceField(label=_("Reason"), choices=ContentReport.Reason.choices)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)


class StatusForm(forms.Form):
    target = forms.ChoiceField(label=_("New status"))
    feedback = forms.CharField(
        label=_("Official feedback (public)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write the official feedback.")},
    )

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = targets


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.order_by("code"), required=False
    )
    assignee = forms.ModelChoiceField(
        label=_("Person (optional)"),
        queryset=get_user_model().objects.filter(groups__name__in=STAFF_ROLES).distinct(),
        required=False,
    )


class ModerateForm(forms.Form):
    action = forms.ChoiceField(choices=[("hide", _("hide")), ("keep", _("keep"))])
    reason = forms.CharField(label=_("Reason (shown publicly)"), required=False, max_length=500)

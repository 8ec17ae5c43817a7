"""Forms of the problem report pages: the resident's report, the public filters and the
officer's actions. Field checks only; the rules are in :mod:`miasto.problems.services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from miasto.core.casework import case_values, templates_rendered
from miasto.core.errors import InvalidParameter
from miasto.core.moderation import HoneypotForm
from miasto.problems.models import Report, Service
from miasto.problems.statuses import Status
from miasto.territory.models import District
from miasto.territory.search import search


class ReportForm(HoneypotForm):
    service = forms.ModelChoiceField(
        label=gettext_lazy("What is the problem?"),
        queryset=Service.objects.filter(active=True),
        to_field_name="code",
        empty_label=gettext_lazy("— choose a category —"),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("What is wrong, and where exactly (e.g. by which entrance)."),
    )
    address = forms.CharField(
        label=gettext_lazy("Address or place"),
        max_length=250,
        required=False,
        help_text=gettext_lazy(
            "Type an address (e.g. “Lipowa 5”) or mark the place on the map: one of the two."
        ),
    )
    lat = forms.FloatField(
        label=gettext_lazy("Latitude"), required=False, min_value=-90, max_value=90,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )  # fmt: skip
    lon = forms.FloatField(
        label=gettext_lazy("Longitude"), required=False, min_value=-180, max_value=180,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )  # fmt: skip
    photo = forms.FileField(
        label=gettext_lazy("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=gettext_lazy(
            "JPEG, PNG or WebP. Before publishing we remove the data hidden in the file "
            "(e.g. the place and time it was taken)."
        ),
    )
    email = forms.EmailField(
        label=gettext_lazy("E-mail (optional)"),
        required=False,
        help_text=gettext_lazy("Only the city's officers see it, to ask you or answer you."),
    )
    confirm_new = forms.BooleanField(
        label=gettext_lazy("None of these is my problem: send a new report"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude."))
        if lat is None and not self.errors:
            data["lat"], data["lon"] = self._geocode(data.get("address", ""))
        return data

    def _geocode(self, address: str) -> tuple[float, float]:
        if not address.strip():
            raise forms.ValidationError(_("Type an address or mark the place on the map."))
        try:
            results = search(address, limit=1)["results"]
        except InvalidParameter as exc:
            raise forms.ValidationError(str(exc)) from None
        if not results:
            raise forms.ValidationError(
                _("We did not find this address; check it or mark the place on the map.")
            )
        lon, lat = results[0]["point"]
        return float(lat), float(lon)

    def point(self) -> tuple[float, float]:
        """The place in the storage CRS (EPSG:2180)."""
        p = Point(self.cleaned_data["lon"], self.cleaned_data["lat"], srid=4326)
        p.transform(int(settings.MIASTO_SRID))
        return p.x, p.y


STATUS_FILTERS = [
    ("", gettext_lazy("all")),
    ("open", gettext_lazy("open (not finished)")),
    ("closed", pgettext_lazy("problem report status", "finished")),
    *Status.choices,
]


class FilterForm(forms.Form):
    service = forms.ModelChoiceField(
        label=gettext_lazy("Category"), queryset=Service.objects.all(), to_field_name="code",
        required=False, empty_label=gettext_lazy("all"),
    )  # fmt: skip
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=STATUS_FILTERS, required=False)
    district = forms.ModelChoiceField(
        label=gettext_lazy("District"), queryset=District.objects.order_by("name"),
        required=False, empty_label=gettext_lazy("all"),
    )  # fmt: skip


class TransitionForm(forms.Form):
    target = forms.ChoiceField(choices=Status.choices)
    note = forms.CharField(
        label=gettext_lazy("Public answer"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    duplicate_of = forms.IntegerField(
        label=gettext_lazy("Number of the report it duplicates"), required=False, min_value=1
    )

    def duplicate(self) -> Report | None:
        pk = self.cleaned_data.get("duplicate_of")
        return Report.objects.filter(pk=pk).first() if pk else None


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    public = forms.BooleanField(label=gettext_lazy("Public (shown on the report's page)"),
                                required=False, initial=True)  # fmt: skip


class AssignForm(forms.Form):
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Officer"), queryset=None
    )

    def __init__(self, *args: Any, report: Report, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field: Any = self.fields["assignee"]
        field.queryset = report.unit.members.filter(is_active=True).order_by("username")


def templates_for(report: Report) -> list[dict[str, Any]]:
    """The answer templates of the report's unit (and of every unit), filled for it."""
    values = case_values(
        number=report.pk, received=report.requested_at, category=report.service.name,
        unit=report.unit.name,
    )  # fmt: skip
    return templates_rendered("problems", report.unit_id, values)

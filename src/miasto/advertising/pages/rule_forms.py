"""The forms of the rule editor. They only read the fields; what the law and the register
require (an outline inside the city, no overlap, a rule kind's own limits) is checked by the
services, which answer with a Polish sentence."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.contrib.gis import forms as gis_forms
from django.utils.translation import gettext_lazy as _

from miasto.advertising.kinds import CarrierKind
from miasto.advertising.rule_editing import MAX_GEOJSON_BYTES
from miasto.advertising.rules import rule_kinds
from miasto.territory.widgets import CityMapWidget


class DraftForm(forms.Form):
    label = forms.CharField(label=_("Name of the new version"), max_length=100)
    valid_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip

    def __init__(self, *args: Any, source_from: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source_from = source_from

    def clean_valid_from(self) -> dt.date:
        day: dt.date = self.cleaned_data["valid_from"]
        if self.source_from is not None and day <= self.source_from:
            raise forms.ValidationError(
                _("A new version must start after the version it is copied from (%(day)s).")
                % {"day": self.source_from.isoformat()}
            )
        return day


class ZoneMapWidget(CityMapWidget):
    default_zoom = 13


class ZoneForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("e.g. A, B1"))
    name = forms.CharField(label=_("Name"), max_length=250)
    adjustment_months = forms.IntegerField(
        label=_("Adjustment period (months)"), required=False, min_value=0, max_value=600,
        help_text=_("empty when the resolution sets no period for this area"),
    )  # fmt: skip
    provision = forms.CharField(label=_("Provision"), max_length=200, required=False,
                                help_text=_("e.g. § 5 of the resolution"))  # fmt: skip
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    geom = gis_forms.MultiPolygonField(
        label=_("Area drawn on the map"),
        widget=ZoneMapWidget(attrs={"geom_type": "MULTIPOLYGON"}),
        srid=3857,
        required=False,
    )
    geojson = forms.FileField(
        label=_("Or upload the area as GeoJSON"),
        help_text=_(
            "A Polygon or MultiPolygon (or one feature with it), coordinates in WGS 84; "
            "it replaces the drawn area."
        ),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json"}),
    )

    def clean_geojson(self) -> str:
        upload = self.cleaned_data.get("geojson")
        if not upload:
            return ""
        if upload.size is not None and upload.size > MAX_GEOJSON_BYTES:
            raise forms.ValidationError(_("The GeoJSON file is too large (at most 5 MB)."))
        try:
            return str(upload.read(MAX_GEOJSON_BYTES + 1).decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The GeoJSON file must be UTF-8 text.")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("geom") and not data.get("geojson") and not self.errors:
            raise forms.ValidationError(_("Draw the zone's area on the map or upload it."))
        return data


def _kind_choices() -> list[tuple[str, Any]]:
    kinds = sorted(rule_kinds().values(), key=lambda k: str(k.label))
    return [(k.key, f"{k.label} [{k.unit}]" if k.unit else k.label) for k in kinds]


class RuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rule kind"), choices=())
    carrier_kinds = forms.MultipleChoiceField(
        label=_("Applies to carrier kinds"), required=False, choices=CarrierKind.choices,
        widget=forms.CheckboxSelectMultiple, help_text=_("none ticked: every kind"),
    )  # fmt: skip
    min_value = forms.CharField(label=_("Minimum"), required=False, max_length=30,
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}))  # fmt: skip
    max_value = forms.CharField(label=_("Maximum"), required=False, max_length=30,
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}))  # fmt: skip
    params = forms.CharField(
        label=_("Other settings (JSON)"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('e.g. {"kinds": ["sign"]} for the allowed kinds; empty: none'),
    )  # fmt: skip
    provision = forms.CharField(label=_("Provision"), max_length=200, required=False,
                                help_text=_("e.g. § 12 ust. 3 pkt 2"))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kind_choices()  # type: ignore[attr-defined]

    def clean_params(self) -> dict[str, Any]:
        text = (self.cleaned_data.get("params") or "").strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("The settings must be a JSON object.")) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("The settings must be a JSON object."))
        return value

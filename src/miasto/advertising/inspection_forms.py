"""The inspection form (screens): what the inspector types, checked with Polish messages, turned
into the service's :class:`~miasto.advertising.inspection.InspectionInput`."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from miasto.advertising.inspection import (
    InspectionInput,
    Measurements,
    Position,
    inspection_taken_at,
)
from miasto.advertising.kinds import CarrierKind
from miasto.advertising.models import Carrier
from miasto.advertising.models.register import MAX_DIMENSION_M

METRES = {
    "max_digits": 6,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_DIMENSION_M)],
}


class InspectionForm(forms.Form):
    carrier = forms.CharField(
        label=_("Register number of the carrier"), max_length=40, required=False,
        help_text=_("Choose from the list of carriers nearby, or type the number."),
    )  # fmt: skip
    new_carrier = forms.BooleanField(label=_("The carrier is not in the register"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of the new carrier"), choices=[("", "—"), *CarrierKind.choices],
        required=False,
    )  # fmt: skip
    width = forms.DecimalField(label=_("Width (m)"), **METRES)  # type: ignore[arg-type]
    height = forms.DecimalField(label=_("Height (m)"), **METRES)  # type: ignore[arg-type]
    sides = forms.IntegerField(label=_("Display sides"), min_value=1, max_value=4, initial=1)
    bottom_edge = forms.DecimalField(
        label=_("Bottom edge above ground (m)"), required=False, max_digits=6, decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_DIMENSION_M)],
    )  # fmt: skip
    illuminated = forms.BooleanField(label=_("Illuminated"), required=False)
    latitude = forms.FloatField(
        label=_("Latitude (°)"), required=False, min_value=-90, max_value=90
    )
    longitude = forms.FloatField(
        label=_("Longitude (°)"), required=False, min_value=-180, max_value=180
    )
    accuracy = forms.DecimalField(
        required=False, min_value=0, max_value=100000, max_digits=8, decimal_places=1,
        widget=forms.HiddenInput,
    )  # fmt: skip
    position_source = forms.ChoiceField(
        required=False, choices=[("", ""), ("gps", "gps"), ("manual", "manual")],
        widget=forms.HiddenInput,
    )  # fmt: skip
    photo = forms.FileField(
        label=_("Photo"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )  # fmt: skip
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    taken_at = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def clean_carrier(self) -> Carrier | None:
        reference = self.cleaned_data["carrier"].strip()
        if not reference:
            return None
        carrier = Carrier.objects.filter(reference=reference).first()
        if carrier is None:
            raise forms.ValidationError(
                _("There is no carrier with the number “%(reference)s” in the register."),
                params={"reference": reference[:40]},
            )
        return carrier

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_carrier"):
            if not data.get("kind"):
                self.add_error("kind", _("Choose the kind of the new carrier."))
        elif "carrier" in data and data["carrier"] is None:
            self.add_error(
                "carrier", _("Choose a carrier, or mark that it is not in the register.")
            )
        lat, lon = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lon is None):
            self.add_error("longitude", _("Give both the latitude and the longitude."))
        return data

    def position(self) -> Position:
        data = self.cleaned_data
        if data.get("latitude") is None or data.get("longitude") is None:
            return Position(None)
        point = Point(data["longitude"], data["latitude"], srid=4326)
        point.transform(settings.MIASTO_SRID)
        source = data.get("position_source") or "manual"
        return Position(point, source, data.get("accuracy"))

    def to_input(self) -> InspectionInput:
        data = self.cleaned_data
        new = bool(data.get("new_carrier"))
        return InspectionInput(
            client_id=data["client_id"],
            carrier=None if new else data["carrier"],
            new_kind=data.get("kind") or "" if new else "",
            measurements=Measurements(
                data["width"],
                data["height"],
                data["sides"],
                data.get("bottom_edge"),
                bool(data.get("illuminated")),
            ),  # fmt: skip
            position=self.position(),
            taken_at=inspection_taken_at(data.get("taken_at") or ""),
            notes=data.get("notes") or "",
            photo=data.get("photo"),
        )


def new_form(initial_carrier: str = "") -> InspectionForm:
    return InspectionForm(initial={"client_id": uuid.uuid4(), "carrier": initial_carrier})

"""The subscription form: an area (an address with a radius, a district, or an outline drawn
on the map — the first two need no pointer at all), topics and channels."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from miasto.alerts import areas
from miasto.alerts.models import Subscription
from miasto.alerts.topics import topic_choices
from miasto.territory.models import District

DEFAULT_RADIUS = 300


class SubscriptionForm(forms.Form):
    name = forms.CharField(
        label=_("Name (optional)"),
        max_length=100,
        required=False,
        help_text=_("How you will recognise the area, e.g. “Home” or “My children's school”."),
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("alerts", "Area"),
        choices=Subscription.Kind.choices,
        widget=forms.RadioSelect,
        initial=Subscription.Kind.ADDRESS,
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        required=False,
        help_text=_("Street and number, e.g. “Długa 12”."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "list": "alerts-address-list"}),
    )
    radius = forms.IntegerField(
        label=_("Radius around the address (metres)"),
        min_value=settings.MIASTO_ALERTS_RADIUS_M[0],
        max_value=settings.MIASTO_ALERTS_RADIUS_M[1],
        initial=DEFAULT_RADIUS,
        required=False,
    )
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.order_by("name"), required=False
    )
    outline = forms.CharField(
        label=_("Outline of the drawn area (GeoJSON, WGS 84)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("Filled in when you draw on the map; you may also paste a polygon in GeoJSON."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Notify me about"), widget=forms.CheckboxSelectMultiple
    )
    email = forms.BooleanField(label=_("by e-mail"), required=False, initial=True)
    in_app = forms.BooleanField(
        label=_("in the service (notifications page)"), required=False, initial=True
    )
    feed = forms.BooleanField(label=_("in my Atom feed"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topics"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = topic_choices()
        if not self.is_bound and "topics" not in self.initial:
            self.initial["topics"] = [key for key, _title in field.choices]
        self.area: areas.Area | None = None

    def _area(self, data: dict[str, Any]) -> areas.Area:
        kind = data.get("kind")
        if kind == Subscription.Kind.ADDRESS:
            address = areas.find_address(data.get("address") or "")
            return areas.address_area(address, data.get("radius") or DEFAULT_RADIUS)
        if kind == Subscription.Kind.DISTRICT:
            if data.get("district") is None:
                raise areas.AreaError(_("Choose a district."))
            return areas.district_area(data["district"])
        if not (data.get("outline") or "").strip():
            raise areas.AreaError(
                _("Draw the area on the map first (or choose an address or a district).")
            )
        return areas.drawn_area(data["outline"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "kind" not in data or "radius" in self.errors:
            return data
        field = {"address": "address", "district": "district", "area": "outline"}[data["kind"]]
        try:
            self.area = self._area(data)
        except areas.AreaError as exc:
            self.add_error(field, str(exc))
        if not (data.get("email") or data.get("in_app") or data.get("feed")):
            self.add_error(None, _("Choose at least one way to be notified."))
        return data

    @classmethod
    def initial_of(cls, sub: Subscription) -> dict[str, Any]:
        """The form's values for an existing subscription (the edit page)."""
        return {
            "name": sub.name,
            "kind": sub.kind,
            "address": sub.address_label,
            "radius": sub.radius_m or DEFAULT_RADIUS,
            "district": sub.district_id,
            "outline": sub.geom.transform(4326, clone=True).json if sub.kind == "area" else "",
            "topics": sub.topics,
            "email": sub.email,
            "in_app": sub.in_app,
            "feed": sub.feed,
        }

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

#: keys one account may hold at once (revoked ones do not count)
MAX_ACTIVE_KEYS = 20


class ApplicationForm(forms.Form):
    name = forms.CharField(
        label=_("Application name"),
        max_length=100,
        help_text=_("How you will recognise the key, e.g. “Mapa drzew — aplikacja mobilna”."),
    )
    description = forms.CharField(
        label=_("What the application does (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: object, active_keys: int = 0, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.active_keys = active_keys

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the application a name."))
        return name

    def clean(self) -> dict[str, object] | None:
        if self.active_keys >= MAX_ACTIVE_KEYS:
            raise forms.ValidationError(
                _("You already have %(n)d active keys: revoke one you no longer use first.")
                % {"n": MAX_ACTIVE_KEYS}
            )
        return super().clean()


class WebhookForm(forms.Form):
    subject = forms.ChoiceField(label=_("Dataset"))
    url = forms.URLField(
        label=_("Address that receives the notifications"),
        max_length=500,
        assume_scheme="https",
        help_text=_("We POST a signed JSON message there when the dataset gets a new version."),
    )

    def __init__(self, *args: object, subjects: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["subject"].choices = subjects  # type: ignore[attr-defined]

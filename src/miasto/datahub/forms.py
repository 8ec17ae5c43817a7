"""Forms of the data hub's pages: a new dataset, an upload and its field mapping.

Every form treats its input as hostile: lengths are bounded, choices are closed lists and
each error is a sentence in plain Polish (through gettext), never a 500.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from miasto.datahub import permissions
from miasto.datahub.files import FORMATS, max_upload_bytes
from miasto.datahub.inspect import launder
from miasto.datahub.models import Dataset
from miasto.territory.models import OrgUnit

#: Paths under /dane/ that are pages, not datasets.
RESERVED_SLUGS = {"nowy", "nieaktualne", "import", "wersje", "roznice"}

#: CRS a data steward may declare for an upload (others are detected from the file).
DECLARED_CRS = [
    ("", _("detect from the file")),
    ("EPSG:2180", _("EPSG:2180 — PUWG 1992")),
    ("EPSG:2176", _("EPSG:2176 — PL-2000 zone 5")),
    ("EPSG:2177", _("EPSG:2177 — PL-2000 zone 6")),
    ("EPSG:2178", _("EPSG:2178 — PL-2000 zone 7")),
    ("EPSG:2179", _("EPSG:2179 — PL-2000 zone 8")),
    ("CRS84", _("CRS84 — WGS 84 longitude/latitude")),
    ("EPSG:3857", _("EPSG:3857 — Web Mercator")),
]

#: CRS offered for downloads: (value of ``crs=``, label).
DOWNLOAD_CRS = [
    ("EPSG:2180", _("EPSG:2180 — PUWG 1992")),
    ("CRS84", _("CRS84 — WGS 84 longitude/latitude")),
    ("EPSG:2176", _("EPSG:2176 — PL-2000 zone 5")),
    ("EPSG:2177", _("EPSG:2177 — PL-2000 zone 6")),
    ("EPSG:2178", _("EPSG:2178 — PL-2000 zone 7")),
    ("EPSG:2179", _("EPSG:2179 — PL-2000 zone 8")),
    ("EPSG:3857", _("EPSG:3857 — Web Mercator")),
]

_FILENAME_RE = re.compile(r"[^\w.\-]+", re.UNICODE)


def target_choices() -> list[tuple[str, str]]:
    from miasto.datahub.importers import import_targets

    labels = {
        "generic": _("any other layer (generic dataset)"),
        "parcels": _("spine: parcels"),
        "buildings": _("spine: buildings"),
        "addresses": _("spine: addresses"),
        "streets": _("spine: streets"),
        "services": _("spine: public services"),
        "constraints": _("spine: spatial constraints"),
    }
    return [(t.key, labels.get(t.key, t.label)) for t in import_targets]


def safe_filename(name: str) -> str:
    """A file name safe to store: no directories, no odd characters, bounded length."""
    base = Path(name.replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    stem = _FILENAME_RE.sub("_", stem).strip("._")[:80] or "plik"
    suffix = _FILENAME_RE.sub("", suffix)[:12]
    return stem + suffix


class DatasetForm(forms.ModelForm):
    keywords = forms.CharField(
        label=_("keywords"),
        required=False,
        max_length=600,
        help_text=_("separated by commas, e.g. trees, greenery"),
    )

    class Meta:
        model = Dataset
        fields = [
            "slug",
            "title_pl",
            "title_en",
            "description_pl",
            "description_en",
            "keywords",
            "theme",
            "owner",
            "contact_name",
            "contact_email",
            "licence",
            "frequency",
            "access",
            "target",
            "key_field",
            "temporal_start",
            "temporal_end",
        ]
        widgets = {
            "description_pl": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "temporal_start": forms.DateInput(attrs={"type": "date"}),
            "temporal_end": forms.DateInput(attrs={"type": "date"}),
            "target": forms.Select(),
        }
        help_texts = {
            "slug": _("lower-case letters, digits and hyphens; part of the address /dane/…/"),
            "key_field": _("an attribute identifying a feature (used for diffs); optional"),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        units = OrgUnit.objects.order_by("name")
        if not permissions.is_admin(user):
            units = units.filter(id__in=permissions._unit_ids(user))
        self.fields["owner"].queryset = units
        self.fields["owner"].empty_label = None
        self.fields["target"] = forms.ChoiceField(
            label=Dataset._meta.get_field("target").verbose_name,
            choices=target_choices(),
            initial="generic",
            help_text=_("spine layers update the city's parcels, buildings, …"),
        )
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.input_formats = ["%Y-%m-%d", "%d.%m.%Y"]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This identifier is reserved; choose another."))
        return slug

    def clean_keywords(self) -> list[str]:
        raw = self.cleaned_data.get("keywords") or ""
        words = [w.strip()[:60] for w in raw.split(",") if w.strip()]
        if len(words) > 30:
            raise forms.ValidationError(_("At most 30 keywords."))
        return words

    def clean_key_field(self) -> str:
        value = (self.cleaned_data.get("key_field") or "").strip()
        if value and not re.fullmatch(r"[\w ]{1,63}", value):
            raise forms.ValidationError(
                _("The key attribute may hold only letters, digits, spaces and underscores.")
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("temporal_start"), data.get("temporal_end")
        if start and end and start > end:
            self.add_error(
                "temporal_end", _("The end of the temporal coverage is before its start.")
            )
        return data


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("file"),
        help_text=_(
            "GeoPackage, GeoJSON, GeoJSONSeq, Shapefile in a ZIP, CSV (WKT or lon/lat), GML or KML."
        ),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty."),
            "invalid": _("No file was sent. Check the form's encoding."),
        },
    )
    crs = forms.ChoiceField(
        label=_("coordinate reference system of the file"),
        choices=DECLARED_CRS,
        required=False,
        help_text=_("Declare it when the file has none or a wrong one."),
    )
    target = forms.ChoiceField(label=_("target layer"), required=False, choices=[])

    def __init__(self, *args: Any, dataset: Dataset, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dataset = dataset
        if dataset.versions.exists():
            # The target of a dataset with versions is fixed: versions must be comparable.
            del self.fields["target"]
        else:
            self.fields["target"].choices = target_choices()
            self.fields["target"].initial = dataset.target

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        suffix = Path(name).suffix.lower()
        if suffix not in FORMATS or suffix == ".shp":
            allowed = ", ".join(sorted(s for s in FORMATS if s != ".shp"))
            raise forms.ValidationError(
                _("Unsupported file type “%(ext)s”. Allowed: %(allowed)s."),
                params={"ext": suffix or name[:40], "allowed": allowed},
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        return upload


class MappingForm(forms.Form):
    """Step 2: the source layer and one select per target field (auto-filled on equal names)."""

    NOT_MAPPED = ""

    def __init__(
        self,
        *args: Any,
        layers: list[Any],
        layer: Any,
        target: Any,
        saved: dict[str, str] | None = None,
        key_field: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.target = target
        self.source_fields = list(layer.fields)
        saved = saved or {}
        if len(layers) > 1:
            self.fields["layer"] = forms.ChoiceField(
                label=_("layer of the file"),
                choices=[(lyr.name, lyr.name) for lyr in layers],
                initial=layer.name,
                help_text=_("The file holds several layers; choose the one to import."),
            )
        by_lower = {f.lower(): f for f in self.source_fields}
        options = [(self.NOT_MAPPED, _("— not mapped —"))] + [(f, f) for f in self.source_fields]
        self.target_field_names: list[str] = []
        for tf in target.fields:
            name = f"map_{tf.name}"
            initial = next(
                (f for f in self.source_fields if saved.get(tf.name) in (f, launder(f))), None
            )
            if initial is None:
                initial = by_lower.get(tf.name.lower(), self.NOT_MAPPED)
            help_parts = []
            if tf.required:
                help_parts.append(str(_("required")))
            if tf.choices:
                help_parts.append(
                    str(_("allowed values: %(values)s")) % {"values": ", ".join(tf.choices)}
                )
            if tf.help:
                help_parts.append(tf.help)
            self.fields[name] = forms.ChoiceField(
                label=tf.name,
                choices=options,
                required=False,
                initial=initial,
                help_text="; ".join(help_parts),
            )
            self.fields[name].target_field = tf  # type: ignore[attr-defined]
            self.target_field_names.append(name)
        if not target.fields:
            initial_key = by_lower.get(key_field.lower(), self.NOT_MAPPED) if key_field else ""
            self.fields["key_field"] = forms.ChoiceField(
                label=_("key attribute"),
                choices=[(self.NOT_MAPPED, _("— none: compare by geometry —"))]
                + [(f, f) for f in self.source_fields],
                required=False,
                initial=initial_key,
                help_text=_("identifies a feature across versions (for the diff)"),
            )

    def mapping_fields(self) -> list[Any]:
        return [self[name] for name in self.target_field_names]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        missing = []
        for name in self.target_field_names:
            tf = self.fields[name].target_field  # type: ignore[attr-defined]
            if tf.required and not data.get(name):
                missing.append(tf.name)
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("Choose the attribute of the file holding “%(field)s” (required)."),
                        params={"field": tf.name},
                    ),
                )
        return data

    def mapping(self) -> dict[str, str]:
        """``{target_field: column}`` with the column names GDAL gives the loaded table."""
        return {
            self.fields[n].target_field.name: launder(self.cleaned_data[n])  # type: ignore[attr-defined]
            for n in self.target_field_names
            if self.cleaned_data.get(n)
        }


def upload_dir_root() -> Path:
    return Path(settings.MIASTO_WORK_DIR) / "uploads"

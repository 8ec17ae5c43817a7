"""Forms of the data hub's pages: a new dataset, its metadata, an upload and its field mapping.

Every form treats its input as hostile: lengths are bounded, choices are closed lists and
each error is a sentence in plain Polish (through gettext), never a 500.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Polygon
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from miasto.core.uploads import safe_filename as safe_filename  # re-exported
from miasto.datahub import permissions, quality, selectors
from miasto.datahub.cleanup import upload_dir_root as upload_dir_root  # re-exported
from miasto.datahub.columns import launder
from miasto.datahub.files import FORMATS, max_upload_bytes
from miasto.datahub.importers import get_target, import_targets
from miasto.datahub.models import Dataset
from miasto.territory.models import OrgUnit

#: Paths under /dane/ that are pages, not datasets.
RESERVED_SLUGS = {"nowy", "nieaktualne", "import", "wersje", "roznice", "edycja"}

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


def target_choices() -> list[tuple[str, str | Promise]]:
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
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)  # (the form field of a foreign key)
        owner.queryset = units
        owner.empty_label = None
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
        super().clean()
        data = self.cleaned_data  # (what ModelForm.clean returns)
        start, end = data.get("temporal_start"), data.get("temporal_end")
        if start and end and start > end:
            self.add_error(
                "temporal_end", _("The end of the temporal coverage is before its start.")
            )
        return data


@dataclass(frozen=True)
class RuleSpec:
    """How an override of one blocking rule (``quality.DEFAULT_RULES``) is validated."""

    kind: str  # bool | share (0–1) | count (integer ≥ 0) | area (m², ≥ 0) | limit (integer ≥ 1)
    label: Any
    nullable: bool = False  # ``null`` switches the rule off (reported only, never blocks)
    maximum: float | None = None


#: Every rule a dataset may override (a test checks this covers ``quality.DEFAULT_RULES``).
RULE_SPECS: dict[str, RuleSpec] = {
    "max_outside_city_share": RuleSpec(
        "share", _("largest share of features outside the city"), nullable=True
    ),
    "block_swapped_axes": RuleSpec("bool", _("block swapped axes")),
    "block_wrong_crs": RuleSpec("bool", _("block a wrong coordinate reference system")),
    "max_unrepairable_geometries": RuleSpec(
        "count", _("most geometries that cannot be repaired"), nullable=True
    ),
    "max_duplicate_keys": RuleSpec("count", _("most duplicate keys"), nullable=True),
    "max_empty_geometries": RuleSpec("count", _("most empty or missing geometries"), nullable=True),
    "max_parcel_overlaps": RuleSpec("count", _("most overlapping parcels"), nullable=True),
    "max_parcel_gaps": RuleSpec("count", _("most gaps between parcels"), nullable=True),
    "max_invalid_keys": RuleSpec("count", _("most invalid identifiers"), nullable=True),
    "max_removed_share": RuleSpec(
        "share", _("largest share of a spine layer a new version may remove")
    ),
    "overlap_tolerance_m2": RuleSpec("area", _("overlap tolerance (m²)"), maximum=1_000_000),
    "gap_tolerance_m2": RuleSpec("area", _("gap tolerance (m²)"), maximum=1_000_000),
    "gaps_max_features": RuleSpec(
        "count", _("largest layer checked for gaps (features)"), maximum=100_000_000
    ),
    "list_limit": RuleSpec("limit", _("problems listed per check"), maximum=10_000),
    "incremental_check": RuleSpec(
        "bool", _("check parcels against an earlier checked version (only what changed)")
    ),
}

KIND_HELP = {
    "bool": _("true or false"),
    "share": _("a share from 0 to 1 (e.g. 0.5 = 50%)"),
    "count": _("a whole number, 0 or more"),
    "area": _("a number of square metres, 0 or more"),
    "limit": _("a whole number, 1 or more"),
}

#: How the spatial coverage (``dct:spatial``) is set on the edit page.
SPATIAL_CHOICES = [
    ("keep", _("keep as it is")),
    ("city", _("the whole city")),
    ("extent", _("the extent of the current version")),
    ("custom", _("a polygon given as GeoJSON (below)")),
    ("none", _("not given")),
]


def _json_object(raw: str, what: Any) -> dict[str, Any]:
    """Parse a JSON object typed into a form; an empty field is ``{}``."""
    raw = (raw or "").strip()
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError as exc:
        line, col = getattr(exc, "lineno", "?"), getattr(exc, "colno", "?")
        raise forms.ValidationError(
            _("%(what)s: this is not valid JSON (error at line %(line)s, column %(col)s)."),
            params={"what": what, "line": line, "col": col},
        ) from None
    if not isinstance(data, dict):
        raise forms.ValidationError(
            _("%(what)s: a JSON object is expected, e.g. %(example)s."),
            params={"what": what, "example": '{"name": value}'},
        )
    return data


def rule_overrides_clean(data: dict[str, Any]) -> dict[str, Any]:
    """Check overrides of the blocking rules; every problem is one Polish sentence."""
    errors: list[forms.ValidationError] = []
    clean: dict[str, Any] = {}
    for name, value in data.items():
        spec = RULE_SPECS.get(name)
        if spec is None:
            errors.append(
                forms.ValidationError(
                    _("Unknown quality rule “%(name)s”. Known rules: %(known)s."),
                    params={"name": str(name)[:60], "known": ", ".join(RULE_SPECS)},
                )
            )
            continue
        if value is None:
            if spec.nullable:
                clean[name] = None
            else:
                errors.append(
                    forms.ValidationError(
                        _("The rule “%(name)s” cannot be switched off (null); give %(kind)s."),
                        params={"name": name, "kind": KIND_HELP[spec.kind]},
                    )
                )
            continue
        ok = False
        if spec.kind == "bool":
            ok = isinstance(value, bool)
        elif isinstance(value, bool) or not isinstance(value, int | float):
            ok = False
        elif spec.kind == "share":
            ok = 0 <= value <= 1
        elif spec.kind == "area":
            ok = 0 <= value <= (spec.maximum or float("inf"))
        elif spec.kind in ("count", "limit"):
            low = 1 if spec.kind == "limit" else 0
            ok = float(value).is_integer() and low <= value <= (spec.maximum or float("inf"))
            value = int(value) if ok else value
        if ok:
            clean[name] = value
        else:
            errors.append(
                forms.ValidationError(
                    _("The rule “%(name)s” needs %(kind)s%(null)s; “%(value)s” is not allowed."),
                    params={
                        "name": name,
                        "kind": KIND_HELP[spec.kind],
                        "null": _(" or null (switched off)") if spec.nullable else "",
                        "value": json.dumps(value, ensure_ascii=False)[:40],
                    },
                )
            )
    if errors:
        raise forms.ValidationError(errors)
    return clean


class DatasetEditForm(DatasetForm):
    """The metadata edit page: every DCAT-AP-PL field, the key, field mapping and rule overrides.

    The identifier (slug) is not editable: it is the dataset's address, the name of its map
    layer (``ds-<slug>``) and part of exported file names, all of which others may have saved.
    The target layer is editable only while the dataset has no version (versions of a dataset
    must stay comparable).
    """

    field_mapping = forms.CharField(
        label=_("field mapping"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=_(
            'JSON: {"field of the target layer": "attribute of the file"}; used by the next '
            "import (the import form fills it too)."
        ),
    )
    quality_rules = forms.CharField(
        label=_("quality rules (overrides)"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=_(
            'JSON: {"rule": value}; only the rules that differ from the defaults listed below. '
            "null switches a rule off. Empty: the defaults."
        ),
    )
    spatial_mode = forms.ChoiceField(
        label=_("spatial coverage"), choices=SPATIAL_CHOICES, initial="keep", required=False
    )
    spatial_geojson = forms.CharField(
        label=_("spatial coverage as GeoJSON"),
        required=False,
        max_length=500_000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            "A Polygon or MultiPolygon geometry in longitude/latitude (CRS84); only with "
            "“a polygon given as GeoJSON”."
        ),
    )

    class Meta(DatasetForm.Meta):
        fields = [f for f in DatasetForm.Meta.fields if f != "slug"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dataset: Dataset = self.instance

        self.target = get_target(dataset.target)
        self.has_versions = dataset.pk is not None and dataset.versions.exists()
        if self.has_versions:
            self.fields["target"].disabled = True
            self.fields["target"].help_text = _(
                "fixed once the dataset has versions (versions must stay comparable)"
            )
        self.initial["keywords"] = ", ".join(dataset.keywords or [])
        if dataset.quality_rules:
            self.initial["quality_rules"] = json.dumps(
                dataset.quality_rules, indent=2, ensure_ascii=False
            )
        if self.target.fields:
            if dataset.field_mapping:
                self.initial["field_mapping"] = json.dumps(
                    dataset.field_mapping, indent=2, ensure_ascii=False
                )
        else:
            del self.fields["field_mapping"]  # a generic layer keeps the file's attributes

    def default_rules(self) -> list[dict[str, Any]]:
        """The blocking rules with their defaults for this dataset's target and current value."""
        defaults = quality.rules_for(self.target.is_spine, None)
        overrides = self.instance.quality_rules or {}
        return [
            {
                "name": name,
                "label": spec.label,
                "kind": KIND_HELP[spec.kind],
                "default": defaults.get(name),
                "overridden": name in overrides,
                "value": overrides.get(name),
            }
            for name, spec in RULE_SPECS.items()
        ]

    def clean_quality_rules(self) -> dict[str, Any]:
        data = _json_object(self.cleaned_data.get("quality_rules") or "", _("Quality rules"))
        return rule_overrides_clean(data)

    def clean_field_mapping(self) -> dict[str, str]:
        data = _json_object(self.cleaned_data.get("field_mapping") or "", _("Field mapping"))
        names = [f.name for f in self.target.fields]
        errors: list[forms.ValidationError] = []
        clean: dict[str, str] = {}
        for field, column in data.items():
            if field not in names:
                errors.append(
                    forms.ValidationError(
                        _("Field mapping: the target layer has no field “%(field)s”. Fields: "
                          "%(fields)s."),
                        params={"field": str(field)[:60], "fields": ", ".join(names)},
                    )
                )  # fmt: skip
            elif not isinstance(column, str) or not re.fullmatch(r"[\w \-#]{1,63}", column):
                errors.append(
                    forms.ValidationError(
                        _("Field mapping: for “%(field)s” give the name of the file's attribute "
                          "(letters, digits, spaces, underscores; at most 63 characters)."),
                        params={"field": field},
                    )
                )  # fmt: skip
            else:
                clean[field] = launder(column)
        if errors:
            raise forms.ValidationError(errors)
        return clean

    def clean_spatial_geojson(self) -> MultiPolygon | None:
        raw = (self.cleaned_data.get("spatial_geojson") or "").strip()
        if not raw or self.data.get(self.add_prefix("spatial_mode")) != "custom":
            return None
        try:
            geom = GEOSGeometry(raw)
        except (GEOSException, GDALException, ValueError, TypeError):
            raise forms.ValidationError(
                _("The spatial coverage could not be read: give a GeoJSON geometry, e.g. "
                  '{"type": "Polygon", "coordinates": [[[19.0, 51.5], …]]}.')
            ) from None  # fmt: skip
        if not isinstance(geom, Polygon | MultiPolygon):
            raise forms.ValidationError(
                _("The spatial coverage must be a Polygon or a MultiPolygon, not %(type)s."),
                params={"type": geom.geom_type},
            )
        if geom.srid in (None, 4326):
            geom.srid = 4326
            lon0, lat0, lon1, lat1 = geom.extent
            if not (-180 <= lon0 <= lon1 <= 180 and -90 <= lat0 <= lat1 <= 90):
                raise forms.ValidationError(
                    _("The spatial coverage must be in longitude/latitude (CRS84) degrees.")
                )
        if not geom.valid:
            raise forms.ValidationError(
                _("The spatial coverage is not a valid polygon: %(reason)s."),
                params={"reason": geom.valid_reason},
            )
        geom.transform(settings.MIASTO_SRID)
        return MultiPolygon(geom, srid=geom.srid) if isinstance(geom, Polygon) else geom

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        mode = data.get("spatial_mode") or "keep"
        coverage: Any = None
        if mode == "city":
            coverage = selectors.city_boundary()
            if coverage is None:
                self.add_error("spatial_mode", _("The city's boundary is not loaded yet."))
        elif mode == "extent":
            current = self.instance.current_version
            if current is None or not current.has_data:
                self.add_error(
                    "spatial_mode", _("The dataset has no current version to take the extent of.")
                )
            else:
                coverage = selectors.version_extent(current)
        elif mode == "custom":
            coverage = data.get("spatial_geojson")
            if coverage is None and "spatial_geojson" not in self.errors:
                self.add_error(
                    "spatial_geojson", _("Give the polygon of the spatial coverage as GeoJSON.")
                )
        self.spatial_coverage = coverage
        return data

    def updates(self) -> dict[str, Any]:
        """The dataset's new field values, for :func:`miasto.datahub.services.dataset_update`."""
        data = self.cleaned_data
        fields = {name: data[name] for name in self._meta.fields or () if name in data}
        fields["key_field"] = launder(fields.get("key_field") or "")
        fields["quality_rules"] = data.get("quality_rules") or {}
        if "field_mapping" in self.fields:
            fields["field_mapping"] = data.get("field_mapping") or {}
        mode = data.get("spatial_mode") or "keep"
        if mode == "none":
            fields["spatial_coverage"] = None
        elif mode != "keep":
            fields["spatial_coverage"] = self.spatial_coverage
        return fields


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
            target = self.fields["target"]
            assert isinstance(target, forms.ChoiceField)
            target.choices = target_choices()
            target.initial = dataset.target

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
        super().clean()
        data = self.cleaned_data  # (what Form.clean returns)
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


# --------------------------------------------------------------------------- layers, types

#: the types a steward may give a column (:data:`miasto.datahub.gdal.COLUMN_TYPES`)
COLUMN_TYPE_CHOICES = (
    ("text", _("text")),
    ("integer", _("integer")),
    ("decimal", _("decimal number")),
    ("date", _("date")),
)


class LayersForm(forms.Form):
    """The step after uploading a file with several layers: which to import, and how."""

    ONE, SEPARATE = "one", "separate"

    def __init__(self, *args: Any, layers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["layers"] = forms.MultipleChoiceField(
            label=_("layers to import"),
            choices=[(lyr.name, lyr.name) for lyr in layers],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Choose at least one layer.")},
        )
        self.fields["mode"] = forms.ChoiceField(
            label=_("several layers become"),
            choices=[
                (self.ONE, _("one dataset, with a “layer” attribute naming each feature's layer")),
                (self.SEPARATE, _("a separate dataset for each layer")),
            ],
            widget=forms.RadioSelect,
            initial=self.ONE,
        )


class ColumnTypesForm(forms.Form):
    """A type per attribute of the file, as detected unless the steward chooses another
    (codes with leading zeros are detected as text)."""

    prefix = "typ"

    def __init__(self, *args: Any, columns: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(COLUMN_TYPE_CHOICES)
        self.columns = columns
        for i, (name, detected) in enumerate(columns):
            default = _("as detected: %(type)s") % {"type": labels[detected]}
            self.fields[f"c{i}"] = forms.ChoiceField(
                label=name, choices=[("", default), *COLUMN_TYPE_CHOICES], required=False
            )

    def rows(self) -> list[tuple[str, Any]]:
        return [(name, self[f"c{i}"]) for i, (name, _d) in enumerate(self.columns)]

    def column_types(self) -> dict[str, str]:
        """``{attribute: type}`` of the columns given a type other than the detected one."""
        chosen = {}
        for i, (name, detected) in enumerate(self.columns):
            kind = self.cleaned_data.get(f"c{i}") or ""
            if kind and kind != detected:
                chosen[name] = kind
        return chosen

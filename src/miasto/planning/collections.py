"""Plans and their zones as feature collections for the OGC API (``/ogcapi/…``): public
documents of the planning procedure (drafts are published for consultation too)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miasto.core.collections import Collection, Property, collection_registry

collection_registry.register(
    "plans",
    Collection(
        id="plans",
        title=_("Plans"),
        description=_(
            "Planning acts (general plan, local plans, …): type, status and validity dates."
        ),
        keywords=("plany", "MPZP", "POG", "planowanie przestrzenne"),
        table="planning_plan",
        tracked=("planning_plan",),
        properties=(
            Property("local_id", "t.local_id", "string", _("local identifier (lokalnyId)")),
            Property("namespace", "t.namespace", "string", _("namespace (przestrzenNazw)")),
            Property("kind", "t.kind", "string", _("plan type")),
            Property("title", "t.title", "string", _("title")),
            Property("status", "t.status", "string", _("status")),
            Property("level", "t.level", "string", _("hierarchy level")),
            Property("valid_from", "t.valid_from", "date", _("in force from")),
            Property("valid_to", "t.valid_to", "date", _("in force until")),
        ),
        temporal=("valid_from", "valid_to"),
    ),
)
collection_registry.register(
    "zones",
    Collection(
        id="zones",
        title=_("Planning zones"),
        description=_("Zones of the plans with their designations and development parameters."),
        keywords=("strefy planistyczne", "przeznaczenie terenu"),
        table="planning_zone",
        tracked=("planning_zone", "planning_plan"),
        join="JOIN planning_plan p ON p.id = t.plan_id",
        properties=(
            Property("plan", "p.local_id", "string", _("plan")),
            Property("plan_kind", "p.kind", "string", _("plan type")),
            Property("plan_status", "p.status", "string", _("status")),
            Property("category", "t.category", "string", _("category")),
            Property("designation", "t.designation", "string", _("designation")),
            Property("symbol", "t.symbol", "string", _("symbol")),
            Property("name", "t.name", "string", _("name")),
            Property("max_height", "t.max_height::float8", "number", _("max building height (m)")),
            Property("max_storeys", "t.max_storeys", "integer", _("max storeys")),
            Property(
                "max_coverage", "t.max_coverage::float8", "number", _("max building coverage (%)")
            ),
            Property(
                "min_bio_active",
                "t.min_bio_active::float8",
                "number",
                _("min biologically active share (%)"),
            ),
            Property(
                "min_intensity", "t.min_intensity::float8", "number", _("min building intensity")
            ),
            Property(
                "max_intensity", "t.max_intensity::float8", "number", _("max building intensity")
            ),
            Property("valid_from", "t.valid_from", "date", _("in force from")),
            Property("valid_to", "t.valid_to", "date", _("in force until")),
        ),
        temporal=("valid_from", "valid_to"),
    ),
)

"""The smallest distance to the edge of a road (m). The spine keeps road centrelines, so the
setting ``{"edge_offset": m}`` (half the carriageway, default 0) is subtracted from the
distance to the centreline; ``{"road_classes": [...]}`` limits the rule to some classes."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from miasto.advertising.rules.base import RuleInput, RuleKind, register, unknown_params
from miasto.territory.models import Street


def _check(rule: RuleInput) -> list[str]:
    errors = unknown_params(rule, {"edge_offset", "road_classes"})
    offset = rule.params.get("edge_offset", 0)
    if not isinstance(offset, int | float) or isinstance(offset, bool) or not 0 <= offset <= 50:
        errors.append(_("The edge offset is a number of metres between 0 and 50."))
    classes = rule.params.get("road_classes", [])
    if not isinstance(classes, list) or not set(classes) <= set(Street.RoadClass.values):
        errors.append(_("Unknown road class."))
    return errors


register(
    RuleKind(
        key="distance_road",
        label=gettext_lazy("minimum distance to road edges"),
        unit="m",
        needs="min",
        message=gettext_lazy("%1$s m from the edge of %3$s, at least %2$s m required"),
        check_params=_check,
        findings="""
SELECT cr.carrier_id, cr.rule_id, cr.zone_id, n.id, n.label, n.d, cr.min_value
  FROM cr
 CROSS JOIN LATERAL (
   SELECT s.id, coalesce(st.kind || ' ' || st.name, 'droga') AS label,
          round(greatest(ST_Distance(s.geom, cr.location)
                - coalesce((cr.params ->> 'edge_offset')::float8, 0), 0)::numeric, 2) AS d
     FROM territory_roadsegment s
     LEFT JOIN territory_street st ON st.id = s.street_id
    WHERE ST_DWithin(s.geom, cr.location,
                     cr.min_value::float8 + coalesce((cr.params ->> 'edge_offset')::float8, 0))
      AND (NOT cr.params ? 'road_classes' OR cr.params -> 'road_classes' ? s.road_class)
    ORDER BY s.geom <-> cr.location
    LIMIT 1) n
 WHERE cr.rule_kind = 'distance_road' AND n.d < cr.min_value
""",
    )
)

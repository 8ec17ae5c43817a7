"""The smallest distance to a building (m), e.g. 10 m for freestanding boards; the building
the carrier is fixed to does not count."""

from django.utils.translation import gettext_lazy

from miasto.advertising.rules.base import RuleKind, register

register(
    RuleKind(
        key="distance_building",
        label=gettext_lazy("minimum distance to buildings"),
        unit="m",
        needs="min",
        message=gettext_lazy("%1$s m from building %3$s, at least %2$s m required"),
        findings="""
SELECT cr.carrier_id, cr.rule_id, cr.zone_id, n.id, n.identifier, n.d, cr.min_value
  FROM cr
 CROSS JOIN LATERAL (
   SELECT b.id, b.identifier, round(ST_Distance(b.geom, cr.location)::numeric, 2) AS d
     FROM territory_building b
    WHERE ST_DWithin(b.geom, cr.location, cr.min_value::float8)
      AND b.id IS DISTINCT FROM cr.building_id
    ORDER BY b.geom <-> cr.location
    LIMIT 1) n
 WHERE cr.rule_kind = 'distance_building' AND n.d < cr.min_value
""",
    )
)

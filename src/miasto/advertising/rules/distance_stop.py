"""The smallest distance to a public transport stop (m), e.g. 15 m (stops are the spine's
public services of the kind ``transit_stop``)."""

from django.utils.translation import gettext_lazy

from miasto.advertising.rules.base import RuleKind, register

register(
    RuleKind(
        key="distance_stop",
        label=gettext_lazy("minimum distance to stops"),
        unit="m",
        needs="min",
        message=gettext_lazy("%1$s m from the stop %3$s, at least %2$s m required"),
        findings="""
SELECT cr.carrier_id, cr.rule_id, cr.zone_id, n.id, n.name, n.d, cr.min_value
  FROM cr
 CROSS JOIN LATERAL (
   SELECT p.id, p.name, round(ST_Distance(p.geom, cr.location)::numeric, 2) AS d
     FROM territory_publicservice p
    WHERE p.kind = 'transit_stop' AND ST_DWithin(p.geom, cr.location, cr.min_value::float8)
    ORDER BY p.geom <-> cr.location
    LIMIT 1) n
 WHERE cr.rule_kind = 'distance_stop' AND n.d < cr.min_value
""",
    )
)

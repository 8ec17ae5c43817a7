"""The smallest distance to a listed monument (m): the spine's constraints of the kind
``monument`` (their outlines)."""

from django.utils.translation import gettext_lazy

from miasto.advertising.rules.base import RuleKind, register

register(
    RuleKind(
        key="distance_monument",
        label=gettext_lazy("minimum distance to monuments"),
        unit="m",
        needs="min",
        message=gettext_lazy("%1$s m from the monument %3$s, at least %2$s m required"),
        findings="""
SELECT cr.carrier_id, cr.rule_id, cr.zone_id, n.id, n.name, n.d, cr.min_value
  FROM cr
 CROSS JOIN LATERAL (
   SELECT m.id, m.name, round(ST_Distance(m.geom, cr.location)::numeric, 2) AS d
     FROM territory_constraint m
    WHERE m.kind = 'monument' AND ST_DWithin(m.geom, cr.location, cr.min_value::float8)
    ORDER BY m.geom <-> cr.location
    LIMIT 1) n
 WHERE cr.rule_kind = 'distance_monument' AND n.d < cr.min_value
""",
    )
)

"""The smallest distance to an intersection (m), e.g. none within 100 m. An intersection is a
point where three or more road segments of the spine meet."""

from django.utils.translation import gettext_lazy

from miasto.advertising.rules.base import RuleKind, register

register(
    RuleKind(
        key="distance_intersection",
        label=gettext_lazy("minimum distance to intersections"),
        unit="m",
        needs="min",
        message=gettext_lazy("%1$s m from an intersection, at least %2$s m required"),
        findings="""
SELECT cr.carrier_id, cr.rule_id, cr.zone_id, 0::bigint, ''::text, n.d, cr.min_value
  FROM cr
 CROSS JOIN LATERAL (
   SELECT round(min(ST_Distance(p.pt, cr.location))::numeric, 2) AS d
     FROM (
       SELECT e.pt
         FROM territory_roadsegment s
        CROSS JOIN LATERAL (VALUES (ST_StartPoint(s.geom)), (ST_EndPoint(s.geom))) e(pt)
        WHERE ST_DWithin(s.geom, cr.location, cr.min_value::float8)
          AND ST_DWithin(e.pt, cr.location, cr.min_value::float8)
        GROUP BY e.pt
       HAVING count(*) >= 3
     ) p) n
 WHERE cr.rule_kind = 'distance_intersection' AND n.d < cr.min_value
""",
    )
)

"""The lowest height of a carrier's bottom edge above the ground (m), e.g. 3 m so that it does
not block the pavement; carriers whose bottom edge is not known are not judged."""

from django.utils.translation import gettext_lazy

from miasto.advertising.rules.base import RuleKind, register

register(
    RuleKind(
        key="bottom_edge",
        label=gettext_lazy("minimum height of the bottom edge"),
        unit="m",
        needs="min",
        message=gettext_lazy("bottom edge at %1$s m, at least %2$s m required"),
        findings="""
SELECT cr.carrier_id, cr.rule_id, cr.zone_id, 0::bigint, ''::text, cr.bottom_edge, cr.min_value
  FROM cr
 WHERE cr.rule_kind = 'bottom_edge' AND cr.bottom_edge < cr.min_value
""",
    )
)

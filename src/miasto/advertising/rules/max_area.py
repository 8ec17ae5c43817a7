"""The largest display area of a carrier (m², all sides together), e.g. 18 m² for a
freestanding board in Kraków; applied to signs it caps a sign's size."""

from django.utils.translation import gettext_lazy

from miasto.advertising.rules.base import RuleKind, register

register(
    RuleKind(
        key="max_area",
        label=gettext_lazy("maximum display area"),
        unit="m²",
        needs="max",
        message=gettext_lazy("display area %1$s m² exceeds the allowed %2$s m²"),
        findings="""
SELECT cr.carrier_id, cr.rule_id, cr.zone_id, 0::bigint, ''::text, cr.area, cr.max_value
  FROM cr
 WHERE cr.rule_kind = 'max_area' AND cr.area > cr.max_value
""",
    )
)

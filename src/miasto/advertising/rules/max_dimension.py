"""The largest width or height of a carrier (m)."""

from django.utils.translation import gettext_lazy

from miasto.advertising.rules.base import RuleKind, register

register(
    RuleKind(
        key="max_dimension",
        label=gettext_lazy("maximum width or height"),
        unit="m",
        needs="max",
        message=gettext_lazy("the larger dimension %1$s m exceeds the allowed %2$s m"),
        findings="""
SELECT cr.carrier_id, cr.rule_id, cr.zone_id, 0::bigint, ''::text,
       greatest(cr.width, cr.height), cr.max_value
  FROM cr
 WHERE cr.rule_kind = 'max_dimension' AND greatest(cr.width, cr.height) > cr.max_value
""",
    )
)

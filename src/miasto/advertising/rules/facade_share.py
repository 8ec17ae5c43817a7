"""The largest share of a façade a carrier may cover (%), e.g. 20 %."""

from django.utils.translation import gettext_lazy

from miasto.advertising.rules.base import RuleKind, register

register(
    RuleKind(
        key="facade_share",
        label=gettext_lazy("maximum share of the façade"),
        unit="%",
        needs="max",
        message=gettext_lazy("covers %1$s %% of the façade, at most %2$s %% allowed"),
        findings="""
SELECT cr.carrier_id, cr.rule_id, cr.zone_id, 0::bigint, ''::text, cr.facade_share, cr.max_value
  FROM cr
 WHERE cr.rule_kind = 'facade_share' AND cr.facade_share > cr.max_value
""",
    )
)

"""The largest share of a window a carrier (a sticker, a window board) may cover (%)."""

from django.utils.translation import gettext_lazy

from miasto.advertising.rules.base import RuleKind, register

register(
    RuleKind(
        key="window_share",
        label=gettext_lazy("maximum share of a window"),
        unit="%",
        needs="max",
        message=gettext_lazy("covers %1$s %% of the window, at most %2$s %% allowed"),
        findings="""
SELECT cr.carrier_id, cr.rule_id, cr.zone_id, 0::bigint, ''::text, cr.window_share, cr.max_value
  FROM cr
 WHERE cr.rule_kind = 'window_share' AND cr.window_share > cr.max_value
""",
    )
)

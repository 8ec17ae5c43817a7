"""The smallest distance to a window (m) for façade carriers, as measured on inspection (the
spine does not know windows); carriers not yet measured are not judged."""

from django.utils.translation import gettext_lazy

from miasto.advertising.rules.base import RuleKind, register

register(
    RuleKind(
        key="distance_window",
        label=gettext_lazy("minimum distance to windows"),
        unit="m",
        needs="min",
        message=gettext_lazy("%1$s m from a window, at least %2$s m required"),
        findings="""
SELECT cr.carrier_id, cr.rule_id, cr.zone_id, 0::bigint, ''::text, cr.window_distance, cr.min_value
  FROM cr
 WHERE cr.rule_kind = 'distance_window' AND cr.window_distance < cr.min_value
""",
    )
)

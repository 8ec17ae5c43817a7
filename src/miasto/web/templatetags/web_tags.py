from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def thousands(value: object) -> str:
    """Group digits as the active language does (Polish: 12 345, English: 12,345)."""
    if value is None or value == "":
        return "—"
    try:
        return number_format(value, force_grouping=True)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)

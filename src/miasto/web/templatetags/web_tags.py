from __future__ import annotations

from django import template
from django.utils.formats import number_format

from miasto.core import formats
from miasto.territory import codes

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


@register.filter
def percent(value: object, digits: int = 1) -> str:
    """A fraction (0.123) as a percentage in the active language (12,3 %); — when empty."""
    if value is None or value == "":
        return "—"
    try:
        return f"{number_format(round(float(value) * 100, digits), digits)} %"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)


@register.filter
def signed(value: object) -> str:
    """A change with its sign (+1 234, −56, 0), digits grouped as the language does."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    rounded = round(abs(number), 1)
    if rounded == int(rounded):
        rounded = int(rounded)
    text = number_format(rounded, force_grouping=True)
    if number > 0:
        return f"+{text}"
    if number < 0:
        return f"−{text}"
    return text


@register.filter
def percent_points(value: object) -> str:
    """A change of a fraction in percentage points (+2,5 p.p.)."""
    if value is None or value == "":
        return "—"
    return f"{signed(round(float(value) * 100, 1))} p.p."  # type: ignore[arg-type]


@register.filter
def plain_date(value: object) -> str:
    """A date the one way Miasto writes dates: "7 grudnia 2026" (:mod:`miasto.core.formats`);
    "" when empty (so that ``|default:"—"`` applies)."""
    return formats.plain_date(value)


@register.filter
def plain_datetime(value: object) -> str:
    """A date and time: "7 grudnia 2026, 11:32" in local time; "" when empty."""
    return formats.plain_datetime(value)


@register.filter
def absolute(value: object) -> int:
    """The whole number of a count's size (−56 → 56), for plural forms; 0 when not a number."""
    try:
        return abs(round(float(value)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


@register.filter
def land_use_label(value: object) -> str:
    """EGiB land-use classes in words ("B" → "tereny mieszkaniowe"; territory/codes.py)."""
    return codes.land_use_label(None if value is None else str(value))

"""``{% alerts_unread %}``: the signed-in person's unread notifications, for the header."""

from __future__ import annotations

from typing import Any

from django import template

from miasto.alerts.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def alerts_unread(context: Any) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_count(user) if user is not None else 0


@register.inclusion_tag("alerts/_header_link.html", takes_context=True)
def alerts_header_link(context: Any) -> dict[str, Any]:
    """The header's link to the notifications, with the unread count."""
    return {"unread": alerts_unread(context)}

"""Sign-in throttling with django-axes: whose attempts count, and what a locked-out client sees.

Settings: ``AXES_FAILURE_LIMIT`` failures for one account or from one IP address within
``AXES_COOLOFF_TIME`` lock that account or address until the cool-off has passed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def attempted_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account an attempt was for, the same whether it named the username or the e-mail.

    allauth passes ``username`` or ``email`` in the credentials; the form field is ``login``.
    """
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("email")
    if not value:
        data = getattr(request, "POST", None) or {}
        value = data.get("login") or data.get("username") or ""
    value = str(value).strip()[:254]
    if "@" in value:
        from allauth.account.models import EmailAddress

        owner = (
            EmailAddress.objects.filter(email__iexact=value).values_list("user_id", flat=True)
        ).first()
        user = get_user_model().objects.filter(pk=owner).first() if owner else None
        if user is None:
            user = get_user_model().objects.filter(email__iexact=value).order_by("pk").first()
        if user is not None:
            return user.get_username().lower()
    return value.lower()


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """A page in the site's layout, answered with 429 Too Many Requests.

    (django-axes calls this with ``request, original_response, credentials``.)
    """
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response: HttpResponse = render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response

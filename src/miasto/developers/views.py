"""The developer portal and the pages where a signed-in person manages their API keys."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from miasto.core.apikeys import api_key_create, api_key_revoke, limit_for, usage_of
from miasto.core.models import ApiKey
from miasto.developers.forms import ApplicationForm


def _signed_in(request: HttpRequest) -> Any:
    """The person signed in (these views are behind ``login_required``)."""
    return request.user


def portal(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    return render(
        request,
        "developers/portal.html",
        {
            "base": base,
            "rate_anonymous": settings.MIASTO_API_RATE_ANONYMOUS,
            "rate_key": settings.MIASTO_API_RATE_KEY,
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def applications(request: HttpRequest) -> HttpResponse:
    keys = ApiKey.objects.filter(user=_signed_in(request))
    active = keys.filter(revoked_at__isnull=True).count()
    form = ApplicationForm(request.POST or None, active_keys=active)
    if request.method == "POST" and form.is_valid():
        key, raw = api_key_create(
            request.user, form.cleaned_data["name"], form.cleaned_data["description"]
        )
        # shown once, on this answer (never_cache): the key itself is not stored
        return render(request, "developers/key_created.html", {"key": key, "raw": raw})
    return render(
        request,
        "developers/applications.html",
        {"form": form, "keys": keys},
        status=400 if form.errors else 200,
    )


def _own_key(request: HttpRequest, pk: int) -> ApiKey:
    key = get_object_or_404(ApiKey, pk=pk)
    if key.user_id != request.user.pk:
        raise Http404
    return key


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    key = _own_key(request, pk)
    return render(
        request,
        "developers/application.html",
        {"key": key, "usage": usage_of(key), "limit": limit_for(key)},
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = _own_key(request, pk)
    api_key_revoke(key)
    messages.success(request, _("The key of “%(name)s” is revoked.") % {"name": key.name})
    return redirect("developers:applications")

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
from miasto.core.events import topic_registry
from miasto.core.models import ApiKey, Webhook
from miasto.core.webhooks import WebhookRefused, webhook_subscribe
from miasto.developers.forms import ApplicationForm, WebhookForm

#: the event applications subscribe to on these pages
DATASET_TOPIC = "dataset.version_published"


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


def _subjects() -> list[tuple[str, str]]:
    topic = topic_registry.get(DATASET_TOPIC)
    return topic.subjects() if topic else []


@login_required
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, pk: int) -> HttpResponse:
    key = _own_key(request, pk)
    form = WebhookForm(request.POST or None, subjects=_subjects())
    if request.method == "POST" and form.is_valid() and key.active:
        try:
            webhook_subscribe(
                key, DATASET_TOPIC, form.cleaned_data["subject"], form.cleaned_data["url"]
            )
        except WebhookRefused as exc:
            form.add_error("url", str(exc))
        else:
            messages.success(request, _("The subscription is saved."))
            return redirect("developers:application", pk=key.pk)
    return render(
        request,
        "developers/application.html",
        {
            "key": key,
            "usage": usage_of(key),
            "limit": limit_for(key),
            "form": form,
            "webhooks": key.webhooks.all(),
            "titles": dict(_subjects()),
        },
        status=400 if form.errors else 200,
    )


def _own_webhook(request: HttpRequest, pk: int, hook: int) -> Webhook:
    key = _own_key(request, pk)
    return get_object_or_404(Webhook, pk=hook, key=key)


@login_required
def webhook(request: HttpRequest, pk: int, hook: int) -> HttpResponse:
    found = _own_webhook(request, pk, hook)
    return render(
        request,
        "developers/webhook.html",
        {"key": found.key, "webhook": found, "deliveries": found.deliveries.all()[:50]},
    )


@login_required
@require_POST
def webhook_delete(request: HttpRequest, pk: int, hook: int) -> HttpResponse:
    found = _own_webhook(request, pk, hook)
    found.delete()
    messages.success(request, _("The subscription is deleted."))
    return redirect("developers:application", pk=pk)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = _own_key(request, pk)
    api_key_revoke(key)
    messages.success(request, _("The key of “%(name)s” is revoked.") % {"name": key.name})
    return redirect("developers:applications")

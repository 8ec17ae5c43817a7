"""The pages of area alerts (``/konto/powiadomienia/``): a person's areas and the form to add
one, editing and deleting, the notifications page, the feed's secret address. Everything
here is the signed-in person's own: another person's subscription is answered as not found.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from miasto.alerts import selectors, services
from miasto.alerts.forms import SubscriptionForm
from miasto.alerts.models import Subscription
from miasto.alerts.topics import topic_title
from miasto.core.throttle import throttle_hit
from miasto.territory.models import City

THROTTLE_BUCKET = "alerts.subscribe"
PAGE_SIZE = 50


def _feed_url(request: HttpRequest) -> str:
    profile = services.profile_for(request.user)
    return request.build_absolute_uri(reverse("alerts:feed", args=[profile.feed_token]))


def _map_data(subs: list[Subscription], current: Subscription | None = None) -> str:
    """The city's outline and the person's areas in WGS 84, for the page's map."""
    city = City.objects.only("geom").first()
    areas = [
        {
            "id": s.pk,
            "name": s.name,
            "current": current is not None and s.pk == current.pk,
            "geometry": json.loads(s.geom.transform(4326, clone=True).json),
        }
        for s in subs
    ]
    outline = json.loads(city.geom.transform(4326, clone=True).json) if city else None
    return json.dumps({"city": outline, "areas": areas})


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int
) -> HttpResponse:
    subs = list(selectors.subscriptions_of(request.user))
    context = {
        "subscriptions": [(s, [topic_title(t) for t in s.topics]) for s in subs],
        "map_data": _map_data(subs, context.get("subscription")),
        "limit": settings.MIASTO_ALERTS_MAX_PER_PERSON,
        "feed_url": _feed_url(request),
        **context,
    }
    return render(request, template, context, status=status)


def _choices(form: SubscriptionForm) -> services.Choices:
    data = form.cleaned_data
    return services.Choices(
        name=data.get("name") or "",
        topics=tuple(data["topics"]),
        email=bool(data.get("email")),
        in_app=bool(data.get("in_app")),
        feed=bool(data.get("feed")),
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    message = _("You have added many areas in a short time. Wait an hour and try again.")
    return render(request, "alerts/throttled.html", {"message": message}, status=429)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def subscriptions(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, "alerts/subscriptions.html", {"form": SubscriptionForm()}, 200)
    if not throttle_hit(
        request,
        THROTTLE_BUCKET,
        limit=settings.MIASTO_ALERTS_CREATE_LIMIT,
        window=timedelta(hours=1),
    ):
        return _too_many(request)
    form = SubscriptionForm(request.POST)
    if form.is_valid() and form.area is not None:
        try:
            sub = services.subscription_create(
                user=request.user, area=form.area, choices=_choices(form)
            )
        except services.SubscriptionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("You follow “%(name)s” now.") % {"name": sub.name})
            return redirect("alerts:subscriptions")
    return _page(request, "alerts/subscriptions.html", {"form": form}, 400)


def _own(request: HttpRequest, pk: int) -> Subscription:
    sub = selectors.own_subscription(request.user, pk)
    if sub is None:
        raise Http404
    return sub


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def subscription_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _own(request, pk)
    if request.method != "POST":
        form = SubscriptionForm(initial=SubscriptionForm.initial_of(sub))
        return _page(request, "alerts/edit.html", {"form": form, "subscription": sub}, 200)
    form = SubscriptionForm(request.POST)
    if form.is_valid() and form.area is not None:
        try:
            services.subscription_update(sub=sub, area=form.area, choices=_choices(form))
        except services.SubscriptionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("“%(name)s” is saved.") % {"name": sub.name})
            return redirect("alerts:subscriptions")
    return _page(request, "alerts/edit.html", {"form": form, "subscription": sub}, 400)


@login_required
@require_POST
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _own(request, pk)
    services.subscription_delete(sub)
    messages.success(request, _("You no longer follow “%(name)s”.") % {"name": sub.name})
    return redirect("alerts:subscriptions")


@never_cache
@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    rows = selectors.notifications_of(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("strona"))
    entries = [(n, topic_title(n.topic)) for n in page.object_list]
    return render(
        request,
        "alerts/notifications.html",
        {"page": page, "entries": entries, "unread": selectors.unread_count(request.user)},
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.get("id")
    ids = None
    if raw is not None:  # one notification ("read" next to it); anything not an id: none
        ids = [int(raw)] if raw.isdigit() and len(raw) < 18 else []
    services.notifications_mark_read(request.user, ids)
    if ids is None:
        messages.success(request, _("All notifications are marked read."))
    return redirect("alerts:notifications")


@login_required
@require_POST
def feed_reset(request: HttpRequest) -> HttpResponse:
    services.feed_token_reset(request.user)
    messages.success(request, _("Your feed has a new address; the old one no longer works."))
    return redirect(reverse("alerts:subscriptions") + "#feed")

"""The profile page (``/konto/``), the personal-data export and account deletion."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from miasto.accounts import services
from miasto.accounts.adapter import activate_language
from miasto.accounts.forms import DeleteAccountForm, ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    prof = services.profile_of(user)
    form = ProfileForm(request.POST or None, instance=user, initial={"language": prof.language})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            prof.language = form.cleaned_data["language"]
            prof.save(update_fields=["language"])
        response = redirect("account_profile")
        activate_language(request, response, prof.language)
        messages.success(request, _("Your profile has been saved."))
        return response
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "may_delete": services.may_delete_itself(user)},
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def export(request: HttpRequest) -> HttpResponse:
    data = services.export_user_data(request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"miasto-{request.user.get_username()}.json"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    response["Cache-Control"] = "no-store"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not services.may_delete_itself(user):
        return render(request, "accounts/delete_staff.html", status=403)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.delete_account(user)
        logout(request)
        return render(request, "accounts/deleted.html")
    status = 400 if form.errors else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)

"""The data hub's pages that archive, restore and delete a dataset (POST only, CSRF).

Archiving and restoring: those who manage the dataset (:func:`permissions.can_archive`).
Deleting: administrators only (:func:`permissions.can_delete`), after a confirmation page that
names what goes (:func:`miasto.datahub.services.deletion_plan`). A dataset the user may not
open answers 404 (its existence stays hidden); one they may open but not change, 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from miasto.core.jobs import JobError
from miasto.datahub import permissions
from miasto.datahub.models import Dataset
from miasto.datahub.services import (
    DeletionRefused,
    dataset_archive,
    dataset_delete,
    dataset_restore,
    deletion_plan,
)
from miasto.datahub.views import _language, _login_required, _visible_dataset


def _archivable(request: HttpRequest, slug: str) -> Dataset:
    dataset = _visible_dataset(request, slug)
    if not permissions.can_archive(request.user, dataset):
        raise PermissionDenied(_("Only data stewards of the owner unit may do this."))
    return dataset


@require_POST
def archive(request: HttpRequest, slug: str) -> HttpResponse:
    if (response := _login_required(request)) is not None:
        return response
    dataset = dataset_archive(_archivable(request, slug), user=request.user)
    messages.success(
        request,
        _(
            "The dataset was archived: it is hidden from the catalogue, the API and the map, "
            "and kept with its versions. Staff find it under “Archived datasets”."
        ),
    )
    return redirect("datahub:dataset", slug=dataset.slug)


@require_POST
def restore(request: HttpRequest, slug: str) -> HttpResponse:
    if (response := _login_required(request)) is not None:
        return response
    dataset = dataset_restore(_archivable(request, slug), user=request.user)
    messages.success(request, _("The dataset was restored: it is in the catalogue again."))
    return redirect("datahub:dataset", slug=dataset.slug)


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, slug: str) -> HttpResponse:
    """The confirmation page (GET) naming what goes; the deletion itself (POST, confirmed)."""
    if (response := _login_required(request)) is not None:
        return response
    dataset = _visible_dataset(request, slug)
    if not permissions.can_delete(request.user, dataset):
        raise PermissionDenied(_("Only administrators may delete datasets."))
    plan = deletion_plan(dataset)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            error = _("Confirm that the dataset and everything listed should be deleted.")
        else:
            try:
                dataset_delete(dataset, user=request.user, spine=request.POST.get("spine") == "yes")
            except DeletionRefused:
                error = _(
                    "This dataset is the current source of a spine layer: confirm that too, "
                    "below, to delete it."
                )
            except JobError as exc:
                error = str(exc)
            else:
                messages.success(
                    request, _("The dataset “%(slug)s” was deleted.") % {"slug": dataset.slug}
                )
                return redirect(reverse("datahub:catalogue"))
    return render(
        request,
        "datahub/dataset_delete.html",
        {"dataset": dataset, "title": dataset.title(_language()), "plan": plan, "error": error},
        status=400 if error else 200,
    )

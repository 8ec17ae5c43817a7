"""Who may see and manage which dataset.

- ``public`` datasets: everyone, including anonymous visitors.
- ``internal``: city staff (users with a staff role).
- ``restricted``: members of the owner unit and administrators.
Data stewards manage the datasets of their own unit(s); administrators manage all.
Invisible datasets are invisible everywhere: catalogue, API, exports, tiles and search.

Archived datasets (``archived_at`` set) are invisible like that to everyone; only staff who
could see them otherwise find them, under the catalogue's "archived" filter and on their own
pages (:func:`can_open`), where those who manage them may restore them
(:func:`can_archive`). Deleting a dataset is for administrators only (:func:`can_delete`).

Versions: of a dataset one may see, everyone sees the *ready* (accepted) versions; versions
that were never accepted — rejected by the quality rules, failed, queued or importing — only
those who manage the dataset see (:func:`version_statuses`). For everyone else they do not
exist: every read path (the versions list, the quality report, the diff, the attribute table,
downloads) answers 404 for them, as for a version number that was never used.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from miasto.datahub.models import Dataset, DatasetVersion

Access = Dataset.Access


def _roles(user: Any) -> set[str]:
    if not user or not user.is_authenticated:
        return set()
    cached = getattr(user, "_miasto_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._miasto_roles = cached
    return cached


def is_admin(user: Any) -> bool:
    return bool(
        user and user.is_authenticated and (user.is_superuser or "administrator" in _roles(user))
    )


def is_staff_member(user: Any) -> bool:
    return bool(user and user.is_authenticated and (user.is_staff or is_admin(user)))


def _unit_ids(user: Any) -> list[int]:
    if not user or not user.is_authenticated:
        return []
    cached = getattr(user, "_miasto_units", None)
    if cached is None:
        cached = list(user.org_units.values_list("id", flat=True))
        user._miasto_units = cached
    return cached


def visible_q(user: Any) -> Q:
    """A filter for the datasets this user may see (never archived ones)."""
    return _access_q(user) & Q(archived_at__isnull=True)


def archived_q(user: Any) -> Q:
    """A filter for the archived datasets this user finds under the "archived" filter (staff
    only, of the datasets they could see otherwise)."""
    if not is_staff_member(user):
        return Q(pk__in=[])
    return _access_q(user) & Q(archived_at__isnull=False)


def _access_q(user: Any) -> Q:
    """The datasets whose access level lets this user see them."""
    if is_admin(user):
        return Q()
    q = Q(access=Access.PUBLIC)
    if is_staff_member(user):
        q |= Q(access=Access.INTERNAL)
    units = _unit_ids(user)
    if units:
        q |= Q(owner_id__in=units)
    return q


def can_view(user: Any, dataset: Dataset) -> bool:
    """May this user read the dataset (everywhere: pages, API, tiles, exports)?"""
    return dataset.archived_at is None and _may_access(user, dataset)


def can_open(user: Any, dataset: Dataset) -> bool:
    """May this user open the dataset's pages? :func:`can_view`, and staff an archived one
    they could see otherwise."""
    if dataset.archived_at is None:
        return _may_access(user, dataset)
    return is_staff_member(user) and _may_access(user, dataset)


def can_archive(user: Any, dataset: Dataset) -> bool:
    """Archive or restore: those who manage the dataset."""
    return can_manage(user, dataset)


def can_delete(user: Any, dataset: Dataset | None = None) -> bool:
    """Delete a dataset with everything it holds: administrators only."""
    return is_admin(user)


def _may_access(user: Any, dataset: Dataset) -> bool:
    if dataset.access == Access.PUBLIC or is_admin(user):
        return True
    if dataset.access == Access.INTERNAL and is_staff_member(user):
        return True
    return dataset.owner_id in _unit_ids(user)


def can_manage(user: Any, dataset: Dataset | None = None) -> bool:
    """Create datasets (``dataset=None``) or import into / edit this one."""
    if is_admin(user):
        return True
    if "data_steward" not in _roles(user):
        return False
    return dataset is None or dataset.owner_id in _unit_ids(user)


def version_statuses(user: Any, dataset: Dataset) -> set[str] | None:
    """Statuses of the versions of a (visible) dataset this user may see at all (``None``:
    every status — the dataset's managers). Rejected versions may hold data that must not be
    passed on as the dataset's (outside the city, a wrong CRS, broken keys — their keys and
    values were leaking through the diff), failed ones an error naming what was in the file."""
    if can_manage(user, dataset):
        return None
    return {DatasetVersion.Status.READY.value}


def versions_visible(user: Any, dataset: Dataset) -> Any:
    """The versions of a (visible) dataset this user may see (:func:`version_statuses`)."""
    statuses = version_statuses(user, dataset)
    versions = dataset.versions.all()
    return versions if statuses is None else versions.filter(status__in=statuses)


def can_see_version(user: Any, version: Any, dataset: Dataset | None = None) -> bool:
    dataset = dataset or version.dataset
    if not can_view(user, dataset):
        return False
    statuses = version_statuses(user, dataset)
    return statuses is None or version.status in statuses


def download_statuses(user: Any, dataset: Dataset) -> set[str]:
    """Statuses of the versions of a (visible) dataset this user may download.

    Ready versions: everyone who may see the dataset. Rejected versions (imported, but stopped
    by a blocking quality rule, so never current): only those who manage the dataset — the
    owner unit's data stewards and administrators need them to inspect what went wrong and fix
    the source, while for everyone else they are not the dataset's data (they may lie outside
    the city, in a wrong CRS, with broken keys) and must not be passed on as such. Failed or
    queued versions have no data at all.
    """
    statuses = {DatasetVersion.Status.READY.value}
    if can_manage(user, dataset):
        statuses.add(DatasetVersion.Status.REJECTED.value)
    return statuses


def can_download(user: Any, version: Any, dataset: Dataset | None = None) -> bool:
    """May this user download (export, page through) this version? See :func:`download_statuses`."""
    dataset = dataset or version.dataset
    return can_view(user, dataset) and version.status in download_statuses(user, dataset)

"""The role matrix: what each role may do with the spine and the audit log."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from miasto.core.roles import ROLES

pytestmark = pytest.mark.django_db

# role → (view parcels, change parcels, delete parcels, view audit log, admin access)
MATRIX = {
    "resident": (False, False, False, False, False),
    "planner": (True, False, False, False, True),
    "inspector": (True, False, False, False, True),
    "case_officer": (True, False, False, False, True),
    "moderator": (True, False, False, False, True),
    "data_steward": (True, True, True, False, True),
    "administrator": (True, True, True, True, True),
}


def test_every_role_is_in_the_matrix():  # type: ignore[no-untyped-def]
    assert set(MATRIX) == set(ROLES)


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_role_permissions(role, make_user):  # type: ignore[no-untyped-def]
    user = make_user(role)
    view, change, delete, audit, staff = MATRIX[role]
    assert user.has_perm("territory.view_parcel") is view
    assert user.has_perm("territory.change_parcel") is change
    assert user.has_perm("territory.delete_parcel") is delete
    assert user.has_perm("core.view_auditentry") is audit
    assert user.is_staff is staff


@pytest.mark.parametrize("role", sorted(MATRIX))
def test_role_admin_pages(role, client, make_user):  # type: ignore[no-untyped-def]
    user = make_user(role)
    client.force_login(user)
    view, change, _delete, audit, staff = MATRIX[role]
    listing = client.get("/admin/territory/parcel/")
    add = client.get("/admin/territory/parcel/add/")
    if not staff:
        assert listing.status_code == 302  # not staff: sent to the login page
        return
    assert listing.status_code == (200 if view else 403)
    assert add.status_code == (200 if change else 403)


def test_demo_users_command(db):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    call_command("demo_users", "--quiet")
    call_command("demo_users", "--quiet")  # idempotent
    User = get_user_model()
    planner = User.objects.get(username="planista")
    assert planner.check_password("miasto-demo")
    assert list(planner.groups.values_list("name", flat=True)) == ["planner"]
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="mieszkaniec").is_staff

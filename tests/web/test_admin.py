"""Every spine model has an admin whose change list and add page load, with an offline map."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.urls import reverse

from miasto.core.models import AuditEntry
from miasto.territory import models as territory

pytestmark = pytest.mark.django_db

SPINE = [
    territory.City,
    territory.District,
    territory.Precinct,
    territory.Block,
    territory.Parcel,
    territory.Building,
    territory.Street,
    territory.RoadSegment,
    territory.Address,
    territory.OrgUnit,
    territory.PublicService,
    territory.Constraint,
]


def test_every_spine_model_is_registered():
    for model in SPINE:
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", SPINE, ids=lambda m: m.__name__)
def test_changelist_and_add_load(client, superuser, small_city, model):
    client.force_login(superuser)
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == 200


@pytest.mark.parametrize("model", [territory.Parcel, territory.Building, territory.Address])
def test_change_page_loads(client, superuser, small_city, model):
    client.force_login(superuser)
    obj = model.objects.order_by("pk").first()
    opts = model._meta
    response = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    )
    assert response.status_code == 200


def test_map_widget_is_offline(client, superuser, small_city):
    client.force_login(superuser)
    html = client.get(reverse("admin:territory_parcel_add")).content.decode()
    assert "/static/web/dist/ol.js" in html
    assert "/static/web/dist/ol.css" in html
    assert "cdn.jsdelivr.net" not in html
    assert "openstreetmap" not in html.lower()
    assert "earthdata" not in html
    # the widget starts from JSON options by a static script that draws the city's tiles:
    # no inline script, which the Content-Security-Policy would block
    assert "/static/core/admin/map-widget.js" in html
    assert 'id="id_geom_map_options" type="application/json"' in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    widget_js = finders.find("core/admin/map-widget.js")
    assert "'parcels'" in Path(widget_js).read_text()
    # the tiles' URL comes from the options, not written in the script
    options = json.loads(re.search(r'id="id_geom_map_options"[^>]*>(.*?)</script>', html).group(1))
    assert options["tiles"] == "/tiles/{name}/{z}/{x}/{y}.mvt"
    assert "/tiles/" not in Path(widget_js).read_text()


def test_search_works_in_changelist(client, superuser, small_city):
    client.force_login(superuser)
    response = client.get(reverse("admin:territory_parcel_changelist"), {"q": "0003.5/1"})
    assert response.status_code == 200
    assert "106401_1.0003.5/1" in response.content.decode()


# --------------------------------------------------------------------------- escalation
# Fields and actions that grant rights are for administrators only (trust issue #12,
# finding 5; the whole role × action matrix is in tests/core/role_matrix.py).


def _orgunit_post(unit, members) -> dict:  # type: ignore[no-untyped-def]
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": "",
        "email": "",
        "address": "",
        "members": [m.pk for m in members],
    }


def test_steward_cannot_enrol_in_another_unit(client, make_user):  # type: ignore[no-untyped-def]
    """The finding: a data steward added themselves to MOPS (owner of a restricted dataset)."""
    from tests.territory.factories import OrgUnitFactory

    mops = OrgUnitFactory(code="MOPS", name="Miejski Ośrodek Pomocy Społecznej")
    steward = make_user("data_steward")
    client.force_login(steward)
    url = reverse("admin:territory_orgunit_change", args=[mops.pk])
    assert client.get(url).status_code == 200  # may read the unit (view permission)…
    response = client.post(url, _orgunit_post(mops, [steward]))
    assert response.status_code == 403  # …but not change it
    assert not mops.members.filter(pk=steward.pk).exists()
    add = client.post(
        reverse("admin:territory_orgunit_add"),
        {**_orgunit_post(mops, [steward]), "code": "NEW", "name": "Nowa"},
    )
    assert add.status_code == 403
    assert not steward.org_units.exists()


def test_steward_sees_members_read_only(client, make_user):  # type: ignore[no-untyped-def]
    from tests.territory.factories import OrgUnitFactory

    mops = OrgUnitFactory(code="MOPS", name="MOPS")
    colleague = make_user("planner", username="kowalska")
    mops.members.add(colleague)
    client.force_login(make_user("data_steward"))
    html = client.get(reverse("admin:territory_orgunit_change", args=[mops.pk])).content.decode()
    assert 'name="members"' not in html
    assert "kowalska" in html


def test_administrator_manages_membership(client, make_user):  # type: ignore[no-untyped-def]
    from tests.territory.factories import OrgUnitFactory

    mops = OrgUnitFactory(code="MOPS", name="MOPS")
    steward = make_user("data_steward")
    client.force_login(make_user("administrator"))
    url = reverse("admin:territory_orgunit_change", args=[mops.pk])
    assert 'name="members"' in client.get(url).content.decode()
    response = client.post(url, _orgunit_post(mops, [steward]))
    assert response.status_code == 302
    assert list(mops.members.all()) == [steward]
    # who let whom in is in the audit log (save signals do not see many-to-many changes)
    entry = AuditEntry.objects.filter(model="territory.orgunit", changes__has_key="members").get()
    assert entry.changes["members"] == {"before": [], "after": [steward.username]}
    assert entry.actor_name.startswith("administrator") and entry.source == "admin"


def test_viewer_cannot_run_plan_status_actions(client, make_user):  # type: ignore[no-untyped-def]
    """Admin actions without ``allowed_permissions`` run for anyone who may see the list."""
    from miasto.planning.services import plan_create
    from tests.territory.factories import city_square

    plan = plan_create(kind="mpzp", title="Plan", local_id="P1", geom=city_square(100))
    client.force_login(make_user("inspector"))
    changelist = reverse("admin:planning_plan_changelist")
    assert client.get(changelist).status_code == 200
    response = client.post(
        changelist, {"action": "to_in_preparation", "_selected_action": [plan.pk]}
    )
    plan.refresh_from_db()
    assert plan.status == "initiated"
    assert response.status_code in (200, 302, 403)
    client.force_login(make_user("planner"))
    client.post(changelist, {"action": "to_in_preparation", "_selected_action": [plan.pk]})
    plan.refresh_from_db()
    assert plan.status == "in_preparation"


def _user_post(user, **changes) -> dict:  # type: ignore[no-untyped-def]
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2024-01-01",
        "initial-date_joined_1": "00:00:00",
        "groups": list(user.groups.values_list("pk", flat=True)),
    }
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return data


def test_administrator_cannot_make_a_superuser(client, make_user):  # type: ignore[no-untyped-def]
    """Superuser status and per-user permissions bypass the roles: only superusers set them."""
    from django.contrib.auth.models import Permission

    admin_user = make_user("administrator")
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[admin_user.pk])
    html = client.get(url).content.decode()
    assert 'name="is_superuser"' not in html
    assert 'name="user_permissions"' not in html
    perm = Permission.objects.get(codename="delete_user")
    response = client.post(
        url, _user_post(admin_user, is_superuser="on", user_permissions=[perm.pk])
    )
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser
    assert not admin_user.user_permissions.exists()


def test_administrator_cannot_take_over_a_superuser(client, make_user, superuser):  # type: ignore[no-untyped-def]
    client.force_login(make_user("administrator"))
    assert client.get(reverse("admin:auth_user_change", args=[superuser.pk])).status_code == 200
    password = client.post(
        reverse("admin:auth_user_password_change", args=[superuser.pk]),
        {"password1": "Przejęte-Hasło-123", "password2": "Przejęte-Hasło-123"},
    )
    assert password.status_code == 403
    superuser.refresh_from_db()
    assert not superuser.check_password("Przejęte-Hasło-123")
    change = client.post(
        reverse("admin:auth_user_change", args=[superuser.pk]),
        _user_post(superuser, is_superuser="on", is_active=""),
    )
    assert change.status_code == 403


def test_administrator_assigns_roles(client, make_user):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Group

    resident = make_user("resident")
    client.force_login(make_user("administrator"))
    steward_group = Group.objects.get(name="data_steward")
    response = client.post(
        reverse("admin:auth_user_change", args=[resident.pk]),
        _user_post(resident, groups=[steward_group.pk], is_staff="on"),
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.is_staff and list(resident.groups.all()) == [steward_group]
    entry = AuditEntry.objects.filter(model="auth.user", object_id=str(resident.pk)).get()
    assert entry.changes == {"groups": {"before": ["resident"], "after": ["data_steward"]}}


def test_superuser_sets_superuser(client, superuser, make_user):  # type: ignore[no-untyped-def]
    other = make_user("administrator")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:auth_user_change", args=[other.pk]), _user_post(other, is_superuser="on")
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.is_superuser

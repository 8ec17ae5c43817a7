"""The audit log records who created, changed and deleted domain data, with before/after."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import MultiPolygon

from miasto.core.audit import acting_as
from miasto.core.models import AuditEntry
from miasto.territory.models import OrgUnit
from tests.territory import factories as tf

pytestmark = pytest.mark.django_db


def test_create_update_delete_recorded_with_actor(make_user):  # type: ignore[no-untyped-def]
    steward = make_user("data_steward")
    with acting_as(steward, source="cli"):
        unit = OrgUnit.objects.create(code="WGK", name="Wydział Geodezji")
        unit.name = "Wydział Geodezji i Kartografii"
        unit.save()
        unit_pk = unit.pk
        unit.delete()
    entries = list(AuditEntry.objects.filter(model="territory.orgunit").order_by("id"))
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert all(e.actor_id == steward.pk and e.source == "cli" for e in entries)
    assert entries[1].changes == {
        "name": {"before": "Wydział Geodezji", "after": "Wydział Geodezji i Kartografii"}
    }
    assert entries[2].object_id == str(unit_pk)
    assert entries[2].changes["code"] == {"before": "WGK", "after": None}


def test_unchanged_save_writes_nothing(db):  # type: ignore[no-untyped-def]
    unit = OrgUnit.objects.create(code="X1", name="X")
    count = AuditEntry.objects.count()
    unit.save()
    assert AuditEntry.objects.count() == count


def test_geometry_change_recorded(db):  # type: ignore[no-untyped-def]
    parcel = tf.ParcelFactory()
    parcel.geom = MultiPolygon(parcel.geom.buffer(-1), srid=2180)
    parcel.save()
    entry = AuditEntry.objects.filter(model="territory.parcel", action="update").get()
    assert entry.changes["geom"]["before"].startswith("SRID=2180;MULTIPOLYGON")


def test_admin_edit_is_recorded_with_admin_source(client, make_user):  # type: ignore[no-untyped-def]
    admin = make_user("administrator")
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    unit = OrgUnit.objects.create(code="MOPS", name="MOPS")
    r = client.post(
        f"/admin/territory/orgunit/{unit.pk}/change/",
        {
            "code": "MOPS",
            "name": "Miejski Ośrodek Pomocy Społecznej",
            "kind": "",
            "email": "",
            "address": "",
            "parent": "",
        },  # fmt: skip
    )
    assert r.status_code == 302, r.content[:2000]
    entry = AuditEntry.objects.filter(model="territory.orgunit", action="update").get()
    assert entry.actor_id == admin.pk and entry.source == "admin"
    assert entry.changes["name"]["after"] == "Miejski Ośrodek Pomocy Społecznej"


def test_audit_log_readable_by_administrators_only(client, make_user):  # type: ignore[no-untyped-def]
    OrgUnit.objects.create(code="A", name="A")
    for role, status in [("administrator", 200), ("planner", 403), ("data_steward", 403)]:
        client.force_login(make_user(role))
        assert client.get("/admin/core/auditentry/").status_code == status, role
    client.logout()
    assert client.get("/admin/core/auditentry/").status_code == 302  # to the login page


def test_a_geometry_with_absurd_coordinates_is_summarised_not_written() -> None:
    """GEOS's WKT writer overruns its buffer on coordinates such as 1e308 (the process dies):
    such a geometry is summarised in the log instead."""
    from django.contrib.gis.geos import Polygon

    from miasto.core.audit import _jsonable

    absurd = Polygon(((1e308, 1e308), (-1e308, 0), (0, 1e308), (1e308, 1e308)), srid=2180)
    summary = _jsonable(absurd)
    assert summary["geometry"] == "Polygon" and summary["srid"] == 2180
    assert _jsonable(Polygon(((0, 0), (1, 0), (1, 1), (0, 0)), srid=2180)).startswith("SRID=2180;")

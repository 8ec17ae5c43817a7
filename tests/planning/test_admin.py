"""The plan admin: adding a plan needs its boundary (a clear form error, never a 500)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from miasto.planning.models import Plan
from tests.i18n import compile_messages

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages():  # type: ignore[no-untyped-def]
    compile_messages("planning")


SQUARE = (
    '{"type": "MultiPolygon", "coordinates": [[[[500000, 400000], [500100, 400000], '
    "[500100, 400100], [500000, 400100], [500000, 400000]]]]}"
)


def _form(**extra: str) -> dict[str, str]:
    data = {
        "kind": "mpzp",
        "title": "Plan z panelu",
        "namespace": "PL.ZIPPZP.9/106401-MPZP",
        "local_id": "A1",
        "level": "local",
        "catalogue": "",
        "description": "",
        # the inlines' management forms
        "legal_acts-TOTAL_FORMS": "0",
        "legal_acts-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_add_plan_without_boundary_is_a_form_error(client, make_user):  # type: ignore[no-untyped-def]
    client.force_login(make_user("planner"))
    url = reverse("admin:planning_plan_add")
    response = client.post(url, _form(geom=""), HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200
    assert not Plan.objects.exists()
    assert "granicę planu" in response.context["adminform"].form.errors["geom"][0]
    # the change form of a plan saved without a boundary (by an import) says the same
    plan = Plan.objects.create(kind="mpzp", title="Z importu", local_id="B1")
    url = reverse("admin:planning_plan_change", args=[plan.pk])
    response = client.post(url, _form(local_id="B1", geom=""), HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200 and response.context["adminform"].form.errors["geom"]


def test_add_plan_with_boundary(client, make_user):  # type: ignore[no-untyped-def]
    client.force_login(make_user("planner"))
    response = client.post(reverse("admin:planning_plan_add"), _form(geom=SQUARE))
    assert response.status_code == 302
    plan = Plan.objects.get(local_id="A1")
    assert plan.geom is not None and plan.geom.area > 0  # (the widget's map CRS, transformed)

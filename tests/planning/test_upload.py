"""APP GML upload page (``/planowanie/import/``): the role matrix, CSRF, the size limit, every
valid sample imported through the form, every broken sample rejected naming its zone with
nothing written, hostile and foreign files."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from miasto.core.models import AuditEntry
from miasto.planning.models import LegalAct, Plan, PlanStatusChange, SpecialArea, Zone
from miasto.planning.services import plan_import_app
from tests.planning.conftest import sample
from tests.planning.test_app_gml import BOMB, OTHER, PLAIN_GML, XXE

URL = "/planowanie/import/"
ACT = "pog_AktPlanowaniaPrzestrzennego.gml"
MODELS = (Plan, Zone, SpecialArea, LegalAct, PlanStatusChange)

#: broken sample → fragments the page must show (the zone and the problem)
BROKEN = {
    "strefy_BLEDNE-OZNACZENIE.gml": ["1BLAD", "numer + symbol"],
    "strefy_BLEDNY-SYMBOL.gml": ["1SP", "symbol SZ nie zgadza się z oznaczeniem 1SP"],
    "strefy_DUPLIKAT-LOKALNYID.gml": ["1POG-1SU", "powtarza się"],
    "strefy_DWA-MIEJSCA-INTENSYWNOSC.gml": ["1SU", "0.95", "miejsca po przecinku"],
    "strefy_LUKA.gml": ["1SJ", "luka"],
    "strefy_NAKLADANIE.gml": ["1SJ", "1SZ", "nakładają się"],
    "strefy_SAMOPRZECIECIE-PIERSCIENIA.gml": ["1SJ", "samoprzecięcie"],
}


def counts() -> list[int]:
    return [m.objects.count() for m in MODELS]


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    content = data if data is not None else sample(name).read_bytes()
    return SimpleUploadedFile(name, content, content_type="application/gml+xml")


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


@pytest.fixture
def planner_client(client, make_user):  # type: ignore[no-untyped-def]
    client.force_login(make_user("planner"))
    return client


# --------------------------------------------------------------------------- who may


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("resident", 403), ("inspector", 403), ("planner", 200), ("administrator", 200)],
)
def test_permission_matrix(client, make_user, role, status):
    if role:
        client.force_login(make_user(role))
    response = client.get(URL)
    assert response.status_code == status
    if role is None:
        assert response["Location"].startswith("/konto/logowanie/?next=/planowanie/import/")
    if status == 200:
        assert b'type="file"' in response.content and b"csrfmiddlewaretoken" in response.content


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("resident", 403)])
def test_others_cannot_post(client, make_user, role, status):
    if role:
        client.force_login(make_user(role))
    response = client.post(URL, {"file": upload(ACT)})
    assert response.status_code == status
    assert Plan.objects.count() == 0


def test_upload_link_on_the_list_only_for_planners(client, make_user, db):
    assert URL.encode() not in client.get("/planowanie/").content
    client.force_login(make_user("planner"))
    assert URL.encode() in client.get("/planowanie/").content


def test_csrf_is_enforced(make_user, db):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(make_user("planner"))
    response = csrf_client.post(URL, {"file": upload(ACT)})
    assert response.status_code == 403
    assert Plan.objects.count() == 0


# --------------------------------------------------------------------------- valid files


def test_act_then_zones_import_through_the_form(planner_client):
    response = planner_client.post(URL, {"file": upload(ACT)})
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert response["Location"] == f"/planowanie/plany/{plan.pk}/"
    assert (plan.kind, plan.local_id) == ("pog", "1POG")
    page = planner_client.get(response["Location"])
    assert "1POG" in text_of(page) and "utworzono" in text_of(page)  # the success message

    response = planner_client.post(URL, {"file": upload("strefy_OK.gml")})
    assert response.status_code == 302 and response["Location"] == f"/planowanie/plany/{plan.pk}/"
    assert sorted(plan.zones.values_list("designation", flat=True)) == ["1SJ", "1SP", "1SU", "1SZ"]
    page = text_of(planner_client.get(response["Location"]))
    assert "strefy: 4" in page
    # written in the audit log as the planner
    assert AuditEntry.objects.filter(
        actor_name__startswith="planner", model__icontains="plan"
    ).exists()


def test_zones_into_a_chosen_plan(planner_client):
    plan = plan_import_app(path=sample(ACT)).plan
    page = planner_client.get(f"{URL}?plan={plan.pk}")
    assert f'<option value="{plan.pk}" selected>'.encode() in page.content
    response = planner_client.post(URL, {"file": upload("strefy_OK.gml"), "plan": str(plan.pk)})
    assert response.status_code == 302
    assert plan.zones.count() == 4


def test_unknown_target_plan_is_a_form_error(planner_client):
    response = planner_client.post(URL, {"file": upload(ACT), "plan": "999999"})
    assert response.status_code == 400
    assert Plan.objects.count() == 0
    assert b'class="error-summary"' in response.content


# --------------------------------------------------------------------------- broken files


@pytest.mark.parametrize(("name", "fragments"), sorted(BROKEN.items()))
def test_broken_samples_are_rejected_naming_the_zone(planner_client, name, fragments):
    plan_import_app(path=sample(ACT))
    before = counts()
    audit_before = AuditEntry.objects.count()
    response = planner_client.post(URL, {"file": upload(name)})
    assert response.status_code == 400
    text = text_of(response)
    assert 'id="import-error"' in text and "nic nie zapisano" in text
    for fragment in fragments:
        assert fragment in text, fragment
    assert counts() == before
    assert AuditEntry.objects.count() == audit_before
    # the form is shown again, ready for another file
    assert 'type="file"' in text


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("plan.gml", b"not xml at all", "nie jest poprawnym XML"),
        ("bomb.gml", BOMB, "DTD"),
        ("xxe.gml", XXE, "DTD"),
        ("plain.gml", PLAIN_GML, "nie jest dokumentem APP 2.0"),
        ("other.xml", OTHER, "nie zawiera obiektów APP 2.0"),
    ],
)
def test_hostile_or_foreign_files(planner_client, name, data, fragment):
    response = planner_client.post(URL, {"file": upload(name, data)})
    assert response.status_code == 400
    assert fragment in text_of(response)
    assert counts() == [0] * len(MODELS)


def test_wrong_extension_and_empty_file_and_no_file(planner_client):
    from tests.planning.test_pages_plans import compile_planning_messages

    compile_planning_messages()
    response = planner_client.post(URL, {"file": upload("plan.zip", b"PK\x03\x04junk")})
    assert response.status_code == 400 and "plan.zip" in text_of(response)
    assert planner_client.post(URL, {"file": upload("empty.gml", b"")}).status_code == 400
    assert planner_client.post(URL, {}).status_code == 400
    assert counts() == [0] * len(MODELS)


@override_settings(MIASTO_UPLOAD_MAX_BYTES=2000)
def test_size_limit_is_the_data_hubs(planner_client):
    from miasto.planning.pages.plans import upload_limit

    assert upload_limit() == 2000
    response = planner_client.post(URL, {"file": upload("strefy_OK.gml")})  # ≈ 14 kB
    assert response.status_code == 413
    assert b'class="error-summary"' in response.content
    assert counts() == [0] * len(MODELS)

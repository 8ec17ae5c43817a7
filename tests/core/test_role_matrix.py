"""Every cell of the role × action matrix (tests/core/role_matrix.py, shown in docs/roles.md).

One world for the whole module, built once inside a transaction that is rolled back at the
end; each cell runs in its own savepoint, so writes of one cell never reach the next. One
logged-in client per role, also made once.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlparse

import pytest
import shapely
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from miasto.core.roles import ROLES as ROLE_REGISTRY
from miasto.core.roles import role_permissions, roles_sync
from tests.core import role_matrix
from tests.core.role_matrix import ACTIONS, ADMIN_MODELS, ROLES, STAFF
from tests.territory import factories as tf

OWN_UNIT, OTHER_UNIT = "WOS", "MOPS"


def _version(dataset: Any, number: int, *, current: bool) -> Any:
    from tests.datahub.test_api_permissions import make_version

    return make_version(dataset, number, current=current)


def build_world() -> dict[str, Any]:
    """Real objects of every kind the matrix touches; returns the placeholders' values."""
    from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Point

    from miasto.accessibility.models import Run, Standard
    from miasto.core.models import AuditEntry, Job
    from miasto.datahub.models import Dataset
    from miasto.planning.models import BuildingLine, Scenario, SpecialArea
    from miasto.planning.services import plan_create, plan_set_zones
    from miasto.planning.validation import ZoneInput
    from miasto.territory import models as t
    from miasto.web.models import SitePage
    from miasto.web.site_pages import accessibility_statement, site_page

    roles_sync()
    User = get_user_model()
    own = tf.OrgUnitFactory(code=OWN_UNIT, name="Wydział Ochrony Środowiska")
    other = tf.OrgUnitFactory(code=OTHER_UNIT, name="Miejski Ośrodek Pomocy Społecznej")
    spare = tf.OrgUnitFactory(code="ZBEDNA", name="Jednostka zlikwidowana")
    users: dict[str, Any] = {}
    for role in ROLES[1:]:
        user = User.objects.create_user(
            username=f"matrix-{role}", password="pw-secret-123", is_staff=ROLE_REGISTRY[role].staff
        )
        user.groups.add(Group.objects.get(name=role))
        if user.is_staff:  # every staff user works in one unit; residents in none
            own.members.add(user)
        users[role] = user
    superuser = User.objects.create_superuser("matrix-root", "root@example.org", "pw-root-123")

    city = tf.CityFactory()
    parcel = tf.ParcelFactory()
    precinct = parcel.precinct
    district = precinct.district
    block = t.Block.objects.create(
        district=district, code="K-1", geom=tf.square(tf.CENTRE_X, tf.CENTRE_Y, 100.0)
    )
    building = tf.BuildingFactory(parcel=parcel)
    street = tf.StreetFactory()
    segment = t.RoadSegment.objects.create(
        street=street,
        road_class=street.road_class,
        geom=LineString((tf.CENTRE_X, tf.CENTRE_Y), (tf.CENTRE_X + 50, tf.CENTRE_Y), srid=2180),
    )
    address = tf.AddressFactory(parcel=parcel, street=street)
    service = tf.PublicServiceFactory(org_unit=other)
    constraint = tf.ConstraintFactory()

    # the factories' sequences run across the session: take the parcel's own corner
    x0, y0 = parcel.geom.extent[:2]
    outline = shapely.box(x0 - 100, y0 - 100, x0 + 300, y0 + 300)
    plan = plan_create(kind="mpzp", title="Plan testowy", local_id="MATRIX1", geom=outline)
    plan_set_zones(
        plan=plan,
        zones=[
            ZoneInput(
                local_id="MATRIX1-1MN", designation="1MN", category="plan_area",
                params={"max_intensity": Decimal("0.6"), "max_coverage": Decimal("35")},
                geom=outline,
            )
        ],
    )  # fmt: skip
    zone = plan.zones.get()
    area = SpecialArea.objects.create(
        plan=plan, kind=SpecialArea.Kind.choices[0][0], local_id="MATRIX1-OUZ",
        geom=MultiPolygon(tf.square(x0, y0, 50.0), srid=2180),
    )  # fmt: skip
    line = BuildingLine.objects.create(
        plan=plan, zone=zone, kind=BuildingLine.Kind.choices[0][0],
        geom=MultiLineString(LineString((x0, y0), (x0 + 50, y0)), srid=2180),
    )  # fmt: skip
    scenario = Scenario.objects.create(name="Wariant A", created_by=users["planner"])
    # one whose comparison a background job is computing (no worker runs in tests)
    computing = Scenario.objects.create(name="Wariant B", created_by=users["planner"])
    Job.objects.create(kind="planning.scenario", payload={"scenario_id": computing.pk})

    surveys = _surveys(users["planner"])

    datasets = {}
    for key, owner, access in [
        ("public_own", own, "public"),
        ("internal", own, "internal"),
        ("restricted_own", own, "restricted"),
        ("public_other", other, "public"),
        ("restricted_other", other, "restricted"),
    ]:
        ds = Dataset.objects.create(
            slug=f"matrix-{key.replace('_', '-')}", title_pl=f"Zbiór {key}", owner=owner,
            access=access, frequency="ANNUAL", theme="ENVI",
        )  # fmt: skip
        _version(ds, 1, current=True)
        datasets[key] = ds.slug
    _version(Dataset.objects.get(slug=datasets["public_own"]), 2, current=False)
    archived = Dataset.objects.create(
        slug="matrix-archived", title_pl="Zbiór zarchiwizowany", owner=own, access="public",
        frequency="ANNUAL", theme="ENVI", archived_at=timezone.now(),
    )  # fmt: skip
    _version(archived, 1, current=True)
    datasets["archived"] = archived.slug
    job = Job.objects.create(
        kind="datahub.import", created_by=users["data_steward"],
        payload={"dataset_id": Dataset.objects.get(slug=datasets["internal"]).pk},
    )  # fmt: skip

    run = Run.objects.create()
    consultations = _consultations(plan, users)
    advertising = _advertising_world(x0, y0)
    advertising |= _enforcement_world(advertising["carrier"])
    accounts = _account_records(User)
    problems = _problem_records(own)
    proposals = _proposals_world(x0 + 12, y0 + 12)
    alerts = _alert_records(User.objects.get(username="matrix-someone"), district)
    lon, lat = Point(x0 + 12, y0 + 12, srid=2180).transform(4326, clone=True).coords
    tile_x, tile_y = _tile(lon, lat, 14)
    return {
        "users": users,
        "groups": dict(Group.objects.values_list("name", "pk")),
        "superuser_obj": superuser,
        "values": {
            "city": city.pk,
            "parcel_pk": parcel.pk,
            "district": district.pk,
            "precinct": precinct.pk,
            "block": block.pk,
            "parcel": parcel.identifier,
            "building": building.pk,
            "street": street.pk,
            "roadsegment": segment.pk,
            "address": address.pk,
            "orgunit": other.pk,
            "spare_unit": spare.pk,
            "publicservice": service.pk,
            "constraint": constraint.pk,
            "plan": plan.pk,
            "zone": zone.pk,
            "specialarea": area.pk,
            "buildingline": line.pk,
            "scenario": scenario.pk,
            "scenario_computing": computing.pk,
            **advertising,
            **accounts,
            **proposals,
            **alerts,
            "auditentry": AuditEntry.objects.order_by("pk").first().pk,
            "accessibilitystatement": accessibility_statement().pk,
            "sitepage": site_page(SitePage.Key.PRIVACY).pk,
            "user": users["resident"].pk,
            "group": Group.objects.get(name="planner").pk,
            "superuser": superuser.pk,
            "standard": Standard.objects.order_by("pk").first().pk,
            "run": run.pk,
            "job": job.pk,
            "parcel_x": x0 + 12,
            "parcel_y": y0 + 12,
            "bbox": f"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}",
            "tile": f"14/{tile_x}/{tile_y}",
            "tile_z": 14,
            "tile_x": tile_x,
            "tile_y": tile_y,
            **datasets,
            **problems,
            **surveys,
            **consultations,
        },  # fmt: skip
    }


def _problem_records(unit: Any) -> dict[str, Any]:
    """A report category handled by one's own unit, a report of it, and the catalogue's rows."""
    from django.contrib.gis.geos import Point

    from miasto.core.models import AnswerTemplate
    from miasto.problems.models import RoutingRule
    from tests.problems.factories import ServiceFactory, make_report

    service = ServiceFactory(code="matrix-latarnia", name="Latarnia", unit=unit)
    report = make_report(service)
    rule = RoutingRule.objects.create(service=service, unit=unit)
    template = AnswerTemplate.objects.create(
        module="proposals", unit=unit, title="Dziękujemy", body="Dziękujemy, nr {numer}."
    )
    lon, lat = (
        Point(tf.CENTRE_X + 900, tf.CENTRE_Y + 900, srid=2180).transform(4326, clone=True).coords
    )
    return {
        "problems_service": service.pk, "problems_service_code": service.code,
        "problems_routingrule": rule.pk, "casework_template": template.pk, "own_unit": unit.pk,
        "report": report.pk, "report_token": report.token,
        "report_lat": f"{lat:.7f}", "report_lon": f"{lon:.7f}",
    }  # fmt: skip


def _surveys(planner: Any) -> dict[str, int]:
    """An open survey, one requiring an account, and a draft with a question."""
    from miasto.surveys.models import Identity, Survey
    from miasto.surveys.services import QuestionInput, question_add

    closes = timezone.now() + timedelta(days=7)
    out = {}
    for key, status, identity in [
        ("survey", "open", Identity.ANONYMOUS),
        ("survey_account", "open", Identity.ACCOUNT),
        ("survey_draft", "draft", Identity.ANONYMOUS),
    ]:
        survey = Survey.objects.create(title=f"Ankieta {key}", closes_at=closes, identity=identity)
        question = question_add(survey, QuestionInput("text", "Co sądzisz?"))
        question_add(survey, QuestionInput("scale", "Oceń"))
        Survey.objects.filter(pk=survey.pk).update(status=status)
        out[key] = survey.pk
        out[f"{key}_question"] = question.pk
    return out


def _alert_records(someone: Any, district: Any) -> dict[str, Any]:
    """Another person's area alert and the secret address of their feed."""
    from miasto.alerts.models import Subscription
    from miasto.alerts.services import profile_for

    sub = Subscription.objects.create(
        user=someone, name="Someone's area", kind="district", district=district,
        geom=district.geom, topics=["plan.status_changed"],
    )  # fmt: skip
    return {"alert": sub.pk, "alert_feed": profile_for(someone).feed_token}


def _consultations(plan: Any, users: dict[str, Any]) -> dict[str, int]:
    """An open consultation of the matrix's plan with a document, a published comment (with an
    attachment) and one waiting for moderation, and a draft that may be announced today."""
    import datetime as dt

    from django.contrib.gis.geos import Point
    from django.core.files.uploadedfile import SimpleUploadedFile

    from miasto.consultations.models import Attachment, Comment, Consultation

    today = timezone.localdate()
    common = {"act": f"plan:{plan.pk}", "area": plan.geom,
              "forms": ["comments", "meeting", "study_walk"]}  # fmt: skip
    running = Consultation.objects.create(
        title="Matrix consultation", status="open", starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=25), announced_on=today - dt.timedelta(days=5), **common,
    )  # fmt: skip
    draft = Consultation.objects.create(
        title="Matrix draft consultation", starts_on=today + dt.timedelta(days=2),
        ends_on=today + dt.timedelta(days=30), **common,
    )  # fmt: skip
    x, y = plan.geom.point_on_surface.coords
    person = {
        "author_name": "Jan Matrix", "author_address": "ul. Testowa 1", "is_owner": False,
        "received_on": today, "category": "other", "geom": Point(x, y, srid=2180),
    }  # fmt: skip
    comment = Comment.objects.create(
        consultation=running, number=1, text="Published", moderation="published", **person
    )
    pending = Comment.objects.create(consultation=running, number=2, text="Pending", **person)
    pdf = b"%PDF-1.4\n%%EOF\n"
    attachment = Attachment(comment=comment, name="a.pdf", content_type="application/pdf", size=14)
    attachment.file.save("a.pdf", SimpleUploadedFile("a.pdf", pdf), save=True)
    document = running.documents.model(
        consultation=running, title="Projekt", content_type="application/pdf", size=14
    )
    document.file.save("projekt.pdf", SimpleUploadedFile("projekt.pdf", pdf), save=True)
    return {
        "consultation": running.pk, "consultation_draft": draft.pk, "consultation_doc": document.pk,
        "consultation_comment": comment.pk, "consultation_pending": pending.pk,
        "consultation_attachment": attachment.pk,
    }  # fmt: skip


def _advertising_world(x0: float, y0: float) -> dict[str, int]:
    """A landscape resolution in force with an applied version and a draft one, a carrier
    against it (found by the engine), fee configuration and an exemption."""
    from django.contrib.gis.geos import MultiPolygon, Point

    from miasto.advertising import compliance
    from miasto.advertising import models as ad

    resolution = ad.LandscapeResolution.objects.create(
        title="Uchwała krajobrazowa", number="MATRIX/1/2024", status="in_force",
        valid_from=date(2024, 1, 1),
    )  # fmt: skip
    area = MultiPolygon(tf.square(x0 - 100, y0 - 100, 400.0), srid=2180)
    applied = ad.RuleSet.objects.create(
        resolution=resolution, label="v1", valid_from=date(2024, 1, 1),
        valid_to=date(2100, 1, 1), applied=True,
    )  # fmt: skip
    zone = ad.Zone.objects.create(ruleset=applied, code="A", name="Stare Miasto", geom=area)
    rule = ad.ZoneRule.objects.create(zone=zone, kind="max_area", max_value=Decimal("12"))
    draft = ad.RuleSet.objects.create(
        resolution=resolution, label="v2", valid_from=date(2100, 1, 1), applied=False
    )
    draft_zone = ad.Zone.objects.create(ruleset=draft, code="A", name="Stare Miasto", geom=area)
    draft_rule = ad.ZoneRule.objects.create(
        zone=draft_zone, kind="max_area", max_value=Decimal("12")
    )
    owner = ad.Owner.objects.create(name="Reklama Matrix sp. z o.o.")
    carrier = ad.Carrier.objects.create(
        reference="R/MATRIX/1", kind="board_freestanding",
        location=Point(x0 + 5, y0 + 5, srid=2180),
        width=Decimal("6"), height=Decimal("3"), area=Decimal("18"), owner=owner,
        installed_on=date(2025, 1, 1),
    )  # fmt: skip
    compliance.check(date.today())
    cap = ad.FeeCap.objects.create(
        valid_from=date(2021, 1, 1), fixed_daily=Decimal("2.70"),
        variable_daily_per_m2=Decimal("0.24"), source="M.P. 2020",
    )  # fmt: skip
    rate = ad.FeeRate.objects.create(
        valid_from=date(2021, 1, 1), fixed_daily=Decimal("2.50"),
        variable_daily_per_m2=Decimal("0.20"), resolution="Uchwała o opłacie",
    )  # fmt: skip
    exemption = ad.FeeExemption.objects.create(
        carrier=carrier, reason="akcja społeczna", valid_from=date(2026, 1, 1),
        valid_to=date(2026, 1, 10),
    )  # fmt: skip
    return {
        "landscaperesolution": resolution.pk, "ruleset": applied.pk, "ruleset_draft": draft.pk,
        "ad_zone": zone.pk, "ad_draft_zone": draft_zone.pk, "ad_draft_rule": draft_rule.pk,
        "zonerule": rule.pk,
        "owner": owner.pk, "carrier": carrier.pk,
        "violation": ad.Violation.objects.get(carrier=carrier).pk, "feecap": cap.pk,
        "feerate": rate.pk, "feeexemption": exemption.pk,
    }  # fmt: skip


def _enforcement_world(carrier_pk: int) -> dict[str, int]:
    """An enforcement case on the matrix carrier, inspected, with a stored document."""
    from django.core.files.base import ContentFile

    from miasto.advertising.enforcement import case_open
    from miasto.advertising.models import Carrier
    from miasto.advertising.models.enforcement import CaseDocument, EnforcementCase

    case = case_open(Carrier.objects.get(pk=carrier_pk))
    EnforcementCase.objects.filter(pk=case.pk).update(state="inspected")
    document = CaseDocument(case=case, kind="protocol", sha256="0" * 64)
    document.file.save("matrix.pdf", ContentFile(b"%PDF-1.7 matrix"), save=False)
    document.save()
    return {"ad_case": case.pk, "ad_document": document.pk}


def _account_records(User: Any) -> dict[str, int]:
    """Another person's account records (a resident without a client of the matrix), and
    sign-in records of django-axes: what the admin rows of the accounts models open."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from miasto.accounts.services import profile_of
    from miasto.core.apikeys import api_key_create
    from miasto.core.models import ApiUsage, Webhook

    someone = User.objects.create_user(username="matrix-someone", password="pw-secret-123")
    key, _raw = api_key_create(someone, "Someone's app")
    usage = ApiUsage.objects.create(key=key, endpoint="api-search", day=date.today(), hits=3)
    hook = Webhook.objects.create(
        key=key,
        topic="dataset.version_published",
        subject="x",
        url="https://example.org/",
        secret="s" * 64,
    )
    someone.groups.add(Group.objects.get(name="resident"))
    seen = {"username": "matrix-someone", "ip_address": "192.0.2.7", "user_agent": "Przeglądarka",
            "http_accept": "text/html", "path_info": "/konto/logowanie/"}  # fmt: skip
    return {
        "profile": profile_of(someone).pk,
        "emailaddress": EmailAddress.objects.create(
            user=someone, email="someone@example.org", primary=True, verified=False
        ).pk,
        "authenticator": Authenticator.objects.create(
            user=someone, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
        ).pk,
        "accessattempt": AccessAttempt.objects.create(
            **seen, get_data="", post_data="", failures_since_start=3
        ).pk,
        "accesslog": AccessLog.objects.create(**seen).pk,
        "accessfailurelog": AccessFailureLog.objects.create(**seen, locked_out=False).pk,
        "apikey": key.pk,
        "apiusage": usage.pk,
        "webhook": hook.pk,
    }


def _proposals_world(x: float, y: float) -> dict[str, Any]:
    """A proposal with a photo and a comment, one under review, an answer template — by a
    resident with a verified e-mail who has no client here (the matrix users have none, so
    they may not propose, support or comment: that refusal is what their cells check)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.gis.geos import Point

    from miasto.proposals import services
    from miasto.proposals.models import Proposal

    author = get_user_model().objects.create_user("matrix-proposer")
    EmailAddress.objects.create(
        user=author, email="proposer@example.org", verified=True, primary=True
    )
    place = Point(x, y, srid=2180)
    data = services.ProposalInput(
        title="Pomysł z macierzy", description="Opis", category="greenery", geom=place,
        photo=b"\xff\xd8\xff\xd9", photo_alt="zdjęcie",
    )  # fmt: skip
    proposal = services.proposal_submit(data, author=author)
    reviewed = services.proposal_submit(data, author=author)
    Proposal.objects.filter(pk=reviewed.pk).update(status="under_review")
    comment = services.comment_add(proposal, user=author, body="Komentarz")
    lon, lat = place.transform(4326, clone=True).coords
    return {
        "proposal": proposal.pk,
        "proposal_reviewed": reviewed.pk,
        "proposal_comment": comment.pk,
        "parcel_lon": lon,
        "parcel_lat": lat,
    }


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    import math

    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


#: the marker makes pytest-django set up the test database even when only these tests run
#: (without it a lone run would reach the development database)
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        data = build_world()
        clients = {"anonymous": Client()}
        for role, user in data["users"].items():
            clients[role] = Client()
            clients[role].force_login(user)
        data["clients"] = clients
        yield data
        transaction.set_rollback(True)


@pytest.fixture
def cell_savepoint(world: Any, request: pytest.FixtureRequest) -> Any:
    """Each cell in its own savepoint, rolled back after it (lighter than pytest-django's
    ``db``, whose test case machinery cost more than most requests here). The client's cookies
    are restored too: a write may cycle the session key (a password change does), and the new
    session row is gone with the savepoint."""
    params = getattr(request.node, "callspec", None)
    roles = [params.params["role"]] if params and "role" in params.params else list(ROLES)
    cookies = {role: copy.deepcopy(world["clients"][role].cookies) for role in roles}
    savepoint = transaction.savepoint()
    yield
    transaction.savepoint_rollback(savepoint)
    for role in roles:
        world["clients"][role].cookies = cookies[role]


def _fill(value: Any, values: dict[str, Any]) -> Any:
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    return value.format(**values) if isinstance(value, str) else value


def _values(world: dict[str, Any], role: str) -> dict[str, Any]:
    me = world["users"].get(role)
    return {
        **world["values"],
        "me": me.pk if me else 0,
        "me_username": me.username if me else "",
        "my_group": world["groups"].get(role, 0),
    }


#: the outcomes after which an action's ``effect`` must hold (the write was done)
DOING = {"302", "202", "done"}


def _is_reauth_redirect(response: Any) -> bool:
    return response.status_code == 302 and urlparse(response["Location"]).path == reverse(
        "account_reauthenticate"
    )


def _is_login_redirect(response: Any) -> bool:
    if response.status_code != 302:
        return False
    target = urlparse(response["Location"]).path
    return target in {resolve_url(settings.LOGIN_URL), reverse("admin:login")}


# --------------------------------------------------------------------------- effects


def _effects(world: dict[str, Any], role: str) -> dict[str, Any]:
    from allauth.account.models import EmailAddress

    from miasto.advertising.models import RuleSet, Zone, ZoneRule
    from miasto.advertising.models.enforcement import CaseDocument, EnforcementCase, Inspection
    from miasto.alerts.models import AlertProfile, Subscription
    from miasto.consultations.models import Comment as ConsultationComment
    from miasto.consultations.models import Consultation
    from miasto.core.models import AnswerTemplate, ApiKey, ContentReport, Job, Webhook
    from miasto.datahub.models import Dataset, DatasetVersion
    from miasto.planning.models import Plan
    from miasto.problems.models import Report
    from miasto.proposals.models import Comment, Proposal, Support
    from miasto.surveys.models import Survey
    from miasto.territory.models import OrgUnit

    me = world["users"].get(role)
    values = world["values"]
    superuser = world["superuser_obj"]
    return {
        **_proposal_effects(me, values, Proposal, Support, Comment, AnswerTemplate),
        "report_taken": lambda: Report.objects.filter(
            pk=values["report"], assignee=me, assigned_at__isnull=False
        ).exists(),
        "my_alert_created": lambda: Subscription.objects.filter(
            user=me, name="Matrix area"
        ).exists(),
        "someones_alert_renamed": lambda: (
            Subscription.objects.get(pk=values["alert"]).name == "Matrix renamed"
        ),
        "someones_alert_deleted": lambda: (
            not Subscription.objects.filter(pk=values["alert"]).exists()
        ),
        "my_feed_token_set": lambda: AlertProfile.objects.filter(
            user=me, feed_token_reset_at__isnull=False
        ).exists(),
        "consultation_comment_sent": lambda: ConsultationComment.objects.filter(
            text="Matrix comment"
        ).exists(),
        "consultation_comment_reported": lambda: ContentReport.objects.filter(
            kind="consultations.comment", object_id=str(values["consultation_comment"])
        ).exists(),
        "consultation_created": lambda: Consultation.objects.filter(
            title="Matrix new consultation"
        ).exists(),
        "consultation_announced": lambda: (
            Consultation.objects.get(pk=values["consultation_draft"]).status == "announced"
        ),
        "consultation_unit_set": lambda: (
            Consultation.objects.get(pk=values["consultation"]).unit_id == values["orgunit"]
        ),
        "consultation_course_saved": lambda: (
            Consultation.objects.get(pk=values["consultation"]).course == "Matrix course"
        ),
        "consultation_report_job": lambda: Job.objects.filter(kind="consultations.report").exists(),
        "consultation_comment_handled": lambda: (
            ConsultationComment.objects.get(pk=values["consultation_comment"]).handling
            == "accepted"
        ),
        "consultation_pending_published": lambda: (
            ConsultationComment.objects.get(pk=values["consultation_pending"]).moderation
            == "published"
        ),
        "member_of_other_unit": lambda: (
            bool(me) and OrgUnit.objects.filter(pk=values["orgunit"], members=me).exists()
        ),
        "spare_unit_deleted": lambda: not OrgUnit.objects.filter(pk=values["spare_unit"]).exists(),
        "plan_in_preparation": lambda: (
            Plan.objects.get(pk=values["plan"]).status == "in_preparation"
        ),
        "is_superuser": lambda: bool(me) and type(me).objects.get(pk=me.pk).is_superuser,
        "superuser_password": lambda: (
            type(superuser).objects.get(pk=superuser.pk).check_password("Przejete-Haslo-123")
        ),
        "dataset_of_other_unit_created": lambda: Dataset.objects.filter(
            slug="matrix-cudzy", owner_id=values["orgunit"]
        ).exists(),
        "email_verified": lambda: EmailAddress.objects.get(pk=values["emailaddress"]).verified,
        "capacity_job": lambda: Job.objects.filter(kind="planning.capacity").exists(),
        "ad_check_job": lambda: Job.objects.filter(kind="advertising.check").exists(),
        "ad_draft_applied": lambda: RuleSet.objects.get(pk=values["ruleset_draft"]).applied,
        "ad_draft_created": lambda: RuleSet.objects.filter(label="v-matrix").exists(),
        "ad_rule_added": lambda: ZoneRule.objects.filter(
            zone_id=values["ad_draft_zone"], kind="max_dimension"
        ).exists(),
        "ad_draft_rule_changed": lambda: (
            ZoneRule.objects.get(pk=values["ad_draft_rule"]).max_value != Decimal("12")
        ),
        "ad_draft_rule_deleted": lambda: (
            not ZoneRule.objects.filter(pk=values["ad_draft_rule"]).exists()
        ),
        "ad_draft_zone_renamed": lambda: (
            Zone.objects.get(pk=values["ad_draft_zone"]).name == "Poza miastem"
        ),
        "ad_draft_zone_deleted": lambda: (
            not Zone.objects.filter(pk=values["ad_draft_zone"]).exists()
        ),
        "ad_applied_rule_deleted": lambda: (
            not ZoneRule.objects.filter(pk=values["zonerule"]).exists()
        ),
        "ad_applied_rule_changed": lambda: (
            ZoneRule.objects.get(pk=values["zonerule"]).max_value != Decimal("12")
        ),
        "ad_case_taken": lambda: (
            bool(me) and EnforcementCase.objects.get(pk=values["ad_case"]).assigned_to_id == me.pk
        ),
        "ad_inspection": lambda: Inspection.objects.filter(
            client_id="6f1d3a52-8a8e-4b8a-9d0c-0a1b2c3d4e5f"
        ).exists(),
        "ad_case_notice": lambda: (
            EnforcementCase.objects.get(pk=values["ad_case"]).state == "notice_sent"
        ),
        "ad_case_document": lambda: CaseDocument.objects.filter(
            case_id=values["ad_case"], kind="notice"
        ).exists(),
        "scenario_job": lambda: Job.objects.filter(
            kind="planning.scenario", payload={"scenario_id": values["scenario"]}
        ).exists(),
        "job_cancelled": lambda: Job.objects.get(pk=values["job"]).status == "cancelled",
        "me_deleted": lambda: bool(me) and not type(me).objects.filter(pk=me.pk).exists(),
        "my_key_created": lambda: ApiKey.objects.filter(user=me, name="Matrix app").exists(),
        "someones_webhook_deleted": lambda: (
            not Webhook.objects.filter(pk=values["webhook"]).exists()
        ),
        "someones_key_revoked": lambda: (
            ApiKey.objects.get(pk=values["apikey"]).revoked_at is not None
        ),
        "public_own_archived": lambda: (
            Dataset.objects.get(slug=values["public_own"]).archived_at is not None
        ),
        "restricted_other_archived": lambda: (
            Dataset.objects.get(slug=values["restricted_other"]).archived_at is not None
        ),
        "archived_restored": lambda: (
            Dataset.objects.get(slug=values["archived"]).archived_at is None
        ),
        "public_other_deleted": lambda: (
            not Dataset.objects.filter(slug=values["public_other"]).exists()
        ),
        "report_sent": lambda: Report.objects.count() > 1,
        "report_flagged": lambda: ContentReport.objects.filter(kind="problems.report").exists(),
        "report_acknowledged": lambda: (
            Report.objects.get(pk=values["report"]).status == "acknowledged"
        ),
        "survey_created": lambda: Survey.objects.filter(title="Ankieta z macierzy").exists(),
        "survey_draft_renamed": lambda: (
            Survey.objects.get(pk=values["survey_draft"]).title == "Nowy tytuł"
        ),
        "survey_question_added": lambda: (
            Survey.objects.get(pk=values["survey_draft"]).questions.count() == 3
        ),
        "survey_question_removed": lambda: (
            Survey.objects.get(pk=values["survey_draft"]).questions.count() == 1
        ),
        "survey_draft_opened": lambda: (
            Survey.objects.get(pk=values["survey_draft"]).status == "open"
        ),
        "version_2_current": lambda: (
            DatasetVersion.objects.get(dataset__slug=values["public_own"], number=2).is_current
        ),
    }


def _proposal_effects(me: Any, values: dict[str, Any], *models: Any) -> dict[str, Any]:
    from miasto.core.models import ContentReport

    Proposal, Support, Comment, AnswerTemplate = models
    proposal = values["proposal"]
    return {
        "proposal_created": lambda: Proposal.objects.filter(title="Macierz", author=me).exists(),
        "proposal_supported": lambda: Support.objects.filter(proposal=proposal, user=me).exists(),
        "proposal_commented": lambda: Comment.objects.filter(
            proposal=proposal, body="Komentarz z macierzy"
        ).exists(),
        "proposal_reported": lambda: ContentReport.objects.filter(
            kind="proposal", object_id=str(proposal), reporter=me
        ).exists(),
        "template_created": lambda: AnswerTemplate.objects.filter(
            title="Szablon z macierzy", module="proposals", unit_id=values["own_unit"]
        ).exists(),
        "template_deleted": lambda: (
            not AnswerTemplate.objects.filter(pk=values["casework_template"]).exists()
        ),
        "proposal_under_review": lambda: Proposal.objects.get(pk=proposal).status == "under_review",
        "proposal_accepted": lambda: (
            Proposal.objects.get(pk=values["proposal_reviewed"]).status == "accepted"
        ),
        "proposal_assigned": lambda: Proposal.objects.get(pk=proposal).unit_id == values["orgunit"],
        "proposal_hidden": lambda: Proposal.objects.get(pk=proposal).hidden_at is not None,
        "proposal_comment_hidden": lambda: (
            Comment.objects.get(pk=values["proposal_comment"]).hidden_at is not None
        ),
    }


# --------------------------------------------------------------------------- the cells


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.key)
@pytest.mark.usefixtures("cell_savepoint")
def test_cell(world: dict[str, Any], action: role_matrix.Action, role: str) -> None:
    expected = action.expect(role)
    values = _values(world, role)
    client = world["clients"][role]
    path = _fill(action.path, values)
    if action.method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, {k: _fill(v, values) for k, v in action.data.items()})
    status = response.status_code
    where = f"{role}: {action.method} {path} → {status} (expected {expected})"
    if expected == "login":
        assert _is_login_redirect(response), where
    elif expected == "edit":
        assert status == 200 and b'name="_save"' in response.content, where
    elif expected == "ro":
        assert status == 200 and b'name="_save"' not in response.content, where
    elif expected in ("lists", "omits"):
        shown = _fill(action.shows, values) in response.content.decode()
        assert status == 200 and shown is (expected == "lists"), where
    elif expected == "noop":
        assert status in (200, 302) and not _is_login_redirect(response), where
    elif expected == "away":
        assert status == 302 and not _is_login_redirect(response), where
    elif expected == "reauth":
        assert _is_reauth_redirect(response), where
    elif expected == "done":
        assert status == 200, where
    else:
        assert status == int(expected), where
        if expected == "302":
            assert not _is_login_redirect(response), where
    if action.effect:
        happened = _effects(world, role)[action.effect]()
        assert happened is (expected in DOING), f"{where}: effect {action.effect} = {happened}"


# --------------------------------------------------------------------------- the table itself


def test_doc_is_generated_from_the_matrix() -> None:
    """docs/roles.md shows this very matrix (regenerate: python -m tests.core.role_matrix)."""
    text = role_matrix.DOC.read_text(encoding="utf-8")
    assert role_matrix.generated_part(text) == role_matrix.render()


def test_columns_are_the_roles() -> None:
    assert set(ROLES) == {"anonymous", *ROLE_REGISTRY}
    assert set(STAFF) == {r for r, role in ROLE_REGISTRY.items() if role.staff}


def test_rows_are_distinct() -> None:
    keys = [a.key for a in ACTIONS]
    assert len(keys) == len(set(keys))


def test_every_admin_model_is_in_the_matrix() -> None:
    from django.contrib import admin

    registered = {m._meta.label_lower for m in admin.site._registry}
    in_matrix = {f"{app}.{model}" for app, model, *_rest in ADMIN_MODELS}
    assert registered == in_matrix


def test_admin_rows_match_the_permissions() -> None:
    """The admin part of the matrix is the model permissions each role is granted."""
    for app, model, _label, _key, view, add, change, delete in ADMIN_MODELS:
        for role in STAFF:
            perms = role_permissions(role)
            for action, holders in (("view", view), ("add", add), ("change", change),
                                    ("delete", delete)):  # fmt: skip
                granted = f"{app}.{action}_{model}" in perms
                assert granted is (role in holders), (role, app, model, action)


def test_every_url_is_in_the_matrix() -> None:
    """A new page or endpoint must get its row (the admin is covered model by model)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns: list[Any], prefix: str = "", ns: str = "") -> set[str]:
        out: set[str] = set()
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern) != "admin/":
                    space = f"{ns}{p.namespace}:" if p.namespace else ns
                    out |= walk(p.url_patterns, prefix + str(p.pattern), space)
            elif isinstance(p, URLPattern):
                out.add(f"{ns}{p.name}" if p.name else prefix + str(p.pattern))
        return out

    resolver = get_resolver()
    covered = set()
    for action in ACTIONS:
        path = action.path.split("?")[0].replace("{parcel}", "106401_1.0001.1")
        match = resolver.resolve(path.replace("{tile}", "1/1/1").format_map(_Ones()))
        covered.add(match.view_name if match.url_name else match.route)
    missing = walk(resolver.url_patterns) - covered
    assert not missing, sorted(missing)


class _Ones(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "1"


@pytest.mark.usefixtures("cell_savepoint")
def test_tiles_of_hidden_layers_stay_out_of_shared_caches(world: dict[str, Any]) -> None:
    """A proxy must not keep a tile of a layer that not everyone may see and hand it to others
    (the matrix checks who gets it; this, that nobody else gets it from a cache)."""
    values = world["values"]
    admin = world["clients"]["administrator"]
    for key in ("internal", "restricted_own", "restricted_other"):
        response = admin.get(f"/tiles/ds-{values[key]}/{values['tile']}.mvt")
        assert response.status_code == 200
        assert "private" in response["Cache-Control"], key
        assert "public" not in response["Cache-Control"], key
    public = world["clients"]["anonymous"].get(f"/tiles/parcels/{values['tile']}.mvt")
    assert public["Cache-Control"].startswith("public")
    dataset = world["clients"]["anonymous"].get(f"/tiles/ds-{values['public_own']}/1/1/1.mvt")
    assert dataset["Cache-Control"].startswith("public")

"""Bad input refused with a clear message, nothing half-written; the adjustment period."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from miasto.advertising import compliance
from miasto.advertising.models import Carrier, CarrierPhoto, Violation, Zone, ZoneRule
from miasto.advertising.rules import RuleInput, validate_rule
from miasto.advertising.services import (
    AdvertisingError,
    CarrierInput,
    ZoneInput,
    carrier_save,
    photo_add,
    resolution_change_status,
    rule_save,
    rule_values,
    ruleset_apply,
    zone_save,
)
from tests.advertising.factories import (
    CarrierFactory,
    ResolutionFactory,
    RuleSetFactory,
    ZoneFactory,
    ZoneRuleFactory,
    pt,
    rect,
)
from tests.territory.factories import CityFactory, ParcelFactory

pytestmark = pytest.mark.django_db

D = dt.date


def carrier_input(**kw) -> CarrierInput:  # type: ignore[no-untyped-def]
    values = {"kind": "board_freestanding", "location": pt(10, 10), "width": "3", "height": "2"}
    return CarrierInput(**(values | kw))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "zeppelin"}, "Nieznany rodzaj nośnika"),
        ({"width": "-3"}, "dodatnią"),
        ({"height": "0"}, "dodatnią"),
        ({"width": "9000"}, "niewiarygodna"),
        ({"width": "abc"}, "nie jest liczbą"),
        ({"width": "NaN"}, "nie jest liczbą"),
        ({"sides": 7}, "od 1 do 4"),
        ({"area": "-1"}, "Powierzchnia ekspozycji"),
        ({"illumination": "laser"}, "oświetlenia"),
    ],
)
def test_bad_carriers_are_refused_and_nothing_is_written(changes, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AdvertisingError, match=message):
        carrier_save(carrier_input(**changes))
    assert not Carrier.objects.exists()


def test_a_carrier_outside_the_city_is_refused() -> None:
    CityFactory()
    with pytest.raises(AdvertisingError, match="poza granicami miasta"):
        carrier_save(carrier_input(location=Point(600_000, 403_700, srid=2180)))
    assert not Carrier.objects.exists()


def test_a_carrier_is_linked_to_the_spine_and_checked_on_save() -> None:
    CityFactory()
    parcel = ParcelFactory()
    x0, y0 = parcel.geom.extent[:2]
    ZoneRuleFactory(zone=ZoneFactory(geom=rect(-5000, -5000, 2000, 2000)), max_value=Decimal("4"))
    carrier = carrier_save(carrier_input(location=Point(x0 + 2, y0 + 2, srid=2180), sides=2))
    assert carrier.parcel == parcel
    assert carrier.area == Decimal("12.00")  # 3 × 2 × 2 sides
    assert carrier.reference.startswith("R/")
    [v] = Violation.objects.filter(carrier=carrier)
    assert v.measured == Decimal("12.00")


def test_photos_must_be_real_images() -> None:
    carrier = CarrierFactory()
    fake = SimpleUploadedFile("zdjecie.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg")
    with pytest.raises(AdvertisingError, match="nie jest obrazem"):
        photo_add(carrier=carrier, upload=fake)
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    with pytest.raises(AdvertisingError, match="JPEG, PNG lub WebP"):
        photo_add(carrier=carrier, upload=SimpleUploadedFile("a.gif", gif.getvalue()))
    assert not CarrierPhoto.objects.exists()
    png = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(png, "PNG")
    photo = photo_add(carrier=carrier, upload=SimpleUploadedFile("../../etc/x.jpg", png.getvalue()))
    assert (photo.content_type, photo.width_px, photo.height_px) == ("image/png", 40, 30)
    assert photo.image.name.endswith(".png") and ".." not in photo.image.name


def test_a_too_big_photo_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    big = SimpleUploadedFile("big.jpg", b"\xff" * (16 * 1024 * 1024))
    with pytest.raises(AdvertisingError, match="za duże"):
        photo_add(carrier=CarrierFactory(), upload=big)


def test_rules_are_validated_by_their_kind() -> None:
    zone = ZoneFactory()
    cases = [
        (rule_values("max_area", min_value="5", max_value="3"), "nie może przekraczać"),
        (rule_values("max_area"), "wymaga maksimum"),
        (rule_values("distance_carrier", min_value="-5"), "ujemne"),
        (rule_values("teleport", max_value="1"), "Nieznany rodzaj zasady"),
        (rule_values("allowed_kinds", params={"kinds": ["zeppelin"]}), "Nieznany rodzaj nośnika"),
        (rule_values("max_area", max_value="9", params={"x": 1}), "Nieznane ustawienie"),
        # the number of non-sign carriers per property may not be capped (NSA II OSK 1005/21)
        (rule_values("sign_count", max_value="2", carrier_kinds=["board_freestanding"]), "tylko"),
        (rule_values("sign_count", max_value="2"), "tylko"),
    ]
    for entered, message in cases:
        with pytest.raises(AdvertisingError, match=message):
            rule_save(zone=zone, entered=entered)
    assert not ZoneRule.objects.exists()
    rule_save(zone=zone, entered=rule_values("sign_count", max_value="2", carrier_kinds=["sign"]))
    assert validate_rule(RuleInput("max_area", max_value=Decimal("18"))) == []


def test_overlapping_zones_are_refused_with_a_message() -> None:
    rs = RuleSetFactory()
    zone_save(ruleset=rs, data=ZoneInput("A", "Stare Miasto", rect(0, 0, 100, 100)[0], 24))
    zone_save(ruleset=rs, data=ZoneInput("B", "Śródmieście", rect(100, 0, 200, 100), 24))
    with pytest.raises(AdvertisingError, match="nachodzi na strefę A"):
        zone_save(ruleset=rs, data=ZoneInput("C", "Reszta", rect(50, 50, 150, 150), 24))
    assert Zone.objects.count() == 2


def test_overlapping_applied_versions_are_refused() -> None:
    resolution = ResolutionFactory()
    first = RuleSetFactory(resolution=resolution, valid_from=D(2024, 3, 1))
    ZoneFactory(ruleset=first)
    second = RuleSetFactory(resolution=resolution, valid_from=D(2025, 1, 1), applied=False)
    ZoneFactory(ruleset=second)
    with pytest.raises(AdvertisingError, match="obowiązuje w części tych samych dni"):
        ruleset_apply(ruleset=second)
    first.valid_to = D(2025, 1, 1)
    first.save()
    ruleset_apply(ruleset=second, on=D(2025, 6, 1))
    second.refresh_from_db()
    assert second.applied


def test_resolution_lifecycle_refuses_a_forbidden_step() -> None:
    resolution = ResolutionFactory(status="draft", valid_from=None)
    resolution_change_status(resolution=resolution, status="consultation", effective=D(2024, 1, 1))
    with pytest.raises(AdvertisingError, match="nie może przejść"):
        resolution_change_status(resolution=resolution, status="repealed", effective=D(2024, 2, 1))
    resolution_change_status(resolution=resolution, status="adopted", effective=D(2024, 2, 1))
    resolution_change_status(resolution=resolution, status="in_force", effective=D(2024, 3, 1))
    assert [c.to_status for c in resolution.status_changes.all()] == [
        "consultation", "adopted", "in_force",
    ]  # fmt: skip
    assert resolution.valid_from == D(2024, 3, 1)


class TestAdjustmentPeriod:
    """Carriers standing before the resolution (in force 2024-03-01) are judged under the
    zone's adjustment period; without proper provisions they are never penalised."""

    def setup(self, months: int | None, provisions: bool = True) -> tuple[Carrier, Carrier]:
        resolution = ResolutionFactory(has_adjustment_provisions=provisions)
        zone = ZoneFactory(ruleset=RuleSetFactory(resolution=resolution), adjustment_months=months)
        ZoneRuleFactory(zone=zone, max_value=Decimal("12"))
        old = CarrierFactory(area=Decimal("18"), installed_on=D(2020, 5, 1))
        new = CarrierFactory(area=Decimal("18"), installed_on=D(2024, 5, 1), location=pt(1, 1))
        return old, new

    def test_within_the_period_the_old_carrier_is_not_yet_non_compliant(self) -> None:
        old, new = self.setup(months=24)
        compliance.check(D(2025, 6, 1))  # the period ends on 2026-03-01
        v_old = Violation.objects.get(carrier=old)
        assert v_old.adjustment_until == D(2026, 3, 1) and not v_old.penalisable
        assert old.compliance.under_adjustment and old.compliance.compliant
        assert Violation.objects.get(carrier=new).penalisable
        assert not Carrier.objects.get(pk=new.pk).compliance.compliant

    def test_after_the_period_the_old_carrier_may_be_penalised(self) -> None:
        old, _ = self.setup(months=24)
        compliance.check(D(2026, 3, 1))
        assert Violation.objects.get(carrier=old).penalisable
        assert not Carrier.objects.get(pk=old.pk).compliance.compliant

    @pytest.mark.parametrize(("months", "provisions"), [(None, True), (24, False)])
    def test_without_proper_provisions_never_penalised(self, months, provisions) -> None:  # type: ignore[no-untyped-def]
        old, new = self.setup(months=months, provisions=provisions)
        compliance.check(D(2030, 1, 1))
        v = Violation.objects.get(carrier=old)
        assert not v.penalisable and v.adjustment_until is None
        assert Violation.objects.get(carrier=new).penalisable


def test_a_carriers_photo_is_stored_without_its_exif() -> None:
    """The camera's GPS position and other metadata never reach the register."""
    exif = Image.Exif()
    exif[0x010F] = "Aparat"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 13.0, 0.0), 3: "E", 4: (21.0, 0.0, 0.0)}  # GPS
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(jpeg, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(jpeg.getvalue())).getexif()
    photo = photo_add(carrier=CarrierFactory(), upload=SimpleUploadedFile("z.jpg", jpeg.getvalue()))
    with photo.image.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (40, 30) and not image.getexif()

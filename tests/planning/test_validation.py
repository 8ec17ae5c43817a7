from decimal import Decimal

import pytest
import shapely

from miasto.planning.designations import DesignationError, parse_mpzp, parse_pog
from miasto.planning.validation import ZoneInput, errors_of, validate_zone, validate_zones

D = Decimal
SJ_PROFILE = ["MN", "U", "K", "ZP", "ZD", "I"]


@pytest.mark.parametrize(
    ("text", "number", "symbols", "classes"),
    [
        ("3MN", "3", ("MN",), ("MN",)),
        ("MN/U", None, ("MN", "U"), ("MN", "U")),
        ("2KD-L", "2", ("KD-L",), ("KDL",)),
        ("MN/U.2.6", "2.6", ("MN", "U"), ("MN", "U")),
        ("1 ZP", "1", ("ZP",), ("ZP",)),
        ("12ZL", "12", ("ZL",), ("L",)),
    ],
)
def test_mpzp_designations_parse_leniently(text, number, symbols, classes):
    parsed = parse_mpzp(text)
    assert (parsed.number, parsed.symbols, parsed.kpt_classes) == (number, symbols, classes)


@pytest.mark.parametrize("text", ["", "123", "M1N"])
def test_bad_mpzp_designations(text):
    with pytest.raises(DesignationError):
        parse_mpzp(text)


def test_pog_designation_strict():
    assert parse_pog("12SW") == ("12", "SW")
    with pytest.raises(DesignationError, match="1BLAD"):
        parse_pog("1BLAD")


def pog_zone(**kw):
    base = dict(
        local_id="1POG-1SJ", designation="1SJ", symbol="SJ", basic_profile=SJ_PROFILE,
        params={"max_intensity": D("0.9"), "max_coverage": D("30"), "max_height": D("12"),
                "min_bio_active": D("40")},
        geom=shapely.box(0, 0, 100, 100),
    )  # fmt: skip
    base.update(kw)
    return ZoneInput(**base)


def messages(zone):
    return [p.message for p in errors_of(validate_zone(zone))]


def test_valid_pog_zone():
    assert messages(pog_zone()) == []


def test_required_fields_per_kind():
    zone = pog_zone(params={"max_intensity": D("1")})
    found = " ".join(messages(zone))
    assert "maksymalny udział powierzchni zabudowy" in found
    assert "minimalny udział powierzchni biologicznie czynnej" in found
    # SK needs none of them
    sk = pog_zone(designation="1SK", symbol="SK", basic_profile=["KDA", "KDS", "KDR", "KDG",
                  "KK", "KKL", "KW", "KL", "KO", "ZD", "I"], params={})  # fmt: skip
    assert messages(sk) == []


def test_ranges_and_decimals():
    zone = pog_zone(params={"max_intensity": D("351"), "max_coverage": D("101"),
                            "max_height": D("12.55"), "min_bio_active": D("40")})  # fmt: skip
    found = messages(zone)
    assert any("poza zakresem 0–350" in m for m in found)
    assert any("poza zakresem 0–100" in m for m in found)
    assert any("2 miejsca po przecinku" in m for m in found)


def test_profile_must_match_catalogue():
    found = messages(pog_zone(basic_profile=["MN", "U"]))
    assert any("profil podstawowy" in m for m in found)


def test_min_le_max_in_local_plans():
    zone = ZoneInput(local_id="a", designation="1MN", category="plan_area",
                     params={"min_intensity": D("0.9"), "max_intensity": D("0.5")},
                     geom=shapely.box(0, 0, 10, 10))  # fmt: skip
    assert any("większa od maksymalnej" in m for m in messages(zone))


def test_overlap_names_both_zones_and_gap_is_flagged():
    a = pog_zone()
    b = pog_zone(local_id="1POG-2SJ", designation="2SJ", geom=shapely.box(50, 0, 150, 100))
    problems = validate_zones([a, b], plan_kind="pog")
    overlap = [p for p in problems if "nakładają się" in p.message]
    assert overlap and "1SJ" in overlap[0].message and "2SJ" in overlap[0].message
    c = pog_zone(local_id="1POG-2SJ", designation="2SJ", geom=shapely.box(100, 0, 200, 100))
    gaps = validate_zones([a, c], plan_kind="pog", plan_geom=shapely.box(0, 0, 300, 100))
    assert any("luka" in p.message for p in errors_of(gaps))
    gaps_mpzp = validate_zones(
        [ZoneInput(local_id="x", designation="1MN", category="plan_area",
                   geom=shapely.box(0, 0, 100, 100))],
        plan_kind="mpzp", plan_geom=shapely.box(0, 0, 300, 100),
    )  # fmt: skip
    assert any("luka" in p.message for p in gaps_mpzp) and not errors_of(gaps_mpzp)


def test_layout_checks_alone():
    """Each layout check on its own: the overlap of two zones, a hole between them, the part
    of the plan no zone covers, a zone reaching outside the plan."""
    from miasto.planning.validation import _holes, _outside, _overlaps, _uncovered

    a = ZoneInput("P-1", "1SJ", geom=shapely.box(0, 0, 60, 100))
    b = ZoneInput("P-2", "2SJ", geom=shapely.box(50, 0, 100, 100))
    (overlap,) = _overlaps([a, b], tolerance=1.0)
    assert "1SJ (P-1) i 2SJ (P-2)" in overlap.message and "1 000 m²" in overlap.message
    ring = shapely.box(0, 0, 100, 100).difference(shapely.box(40, 40, 60, 60))
    (hole,) = _holes(ring, tolerance=1.0)
    assert hole.area == pytest.approx(400)
    plan = shapely.box(0, 0, 120, 100)
    union = shapely.union_all([a.geom, b.geom])
    (gap,) = _uncovered(plan, union, [], tolerance=1.0)
    assert gap.area == pytest.approx(2000)
    assert _uncovered(plan, union, [gap], tolerance=1.0) == []  # already found
    (outside,) = _outside([a, b], shapely.box(0, 0, 90, 100), union, tolerance=1.0)
    assert outside.zone == b.label

"""Planning fixtures: the APP samples, a registered plan with zones."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import shapely

#: the APP 2.0 sample files (made for the official validation tool; see docs/third-party.md)
SAMPLES = Path(__file__).resolve().parent / "data" / "app"


def sample(name: str) -> Path:
    path = SAMPLES / name
    if not path.exists():  # the samples are part of the repository: a missing one is a bug
        pytest.fail(f"APP sample {name} not found under {SAMPLES}")
    return path


@pytest.fixture
def app_sample():  # type: ignore[no-untyped-def]
    return sample


def box(x0: float, y0: float, x1: float, y1: float):  # type: ignore[no-untyped-def]
    return shapely.box(x0, y0, x1, y1)


@pytest.fixture
def mpzp(db):  # type: ignore[no-untyped-def]
    """A draft local plan 200 × 100 m with two areas (3MN, 1KD-L)."""
    from miasto.planning.services import plan_create, plan_set_zones
    from miasto.planning.validation import ZoneInput

    plan = plan_create(
        kind="mpzp", title="Plan testowy", local_id="T1MPZP", namespace="PL.ZIPPZP.9/999999-MPZP",
        geom=box(500_000, 400_000, 500_200, 400_100),
    )  # fmt: skip
    plan_set_zones(
        plan=plan,
        zones=[
            ZoneInput(
                local_id="T1MPZP-3MN", designation="3MN", category="plan_area",
                params={"min_intensity": Decimal("0.1"), "max_intensity": Decimal("0.6"),
                        "max_coverage": Decimal("35"), "min_bio_active": Decimal("45"),
                        "max_height": Decimal("10"), "max_storeys": Decimal("2")},
                geom=box(500_000, 400_000, 500_150, 400_100),
            ),
            ZoneInput(
                local_id="T1MPZP-1KD-L", designation="1KD-L", category="plan_area", params={},
                geom=box(500_150, 400_000, 500_200, 400_100),
            ),
        ],
    )  # fmt: skip
    return plan

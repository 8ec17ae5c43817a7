"""CRS helpers: the area of use of a CRS (from PROJ's EPSG database) and cutting a bbox to it."""

from __future__ import annotations

import pytest

from miasto.core.geo import area_of_use, clip_to_area_of_use


def test_area_of_use_of_the_polish_grid_comes_from_proj() -> None:
    west, south, east, north = area_of_use(2180)
    # EPSG:2180 "Poland - onshore and offshore": 14.14–24.15 E, 49.0–55.93 N
    assert (west, south, east) == pytest.approx((14.14, 49.0, 24.15))
    assert 54.8 < north < 56


def test_area_of_use_of_a_world_crs_is_the_world() -> None:
    west, south, east, north = area_of_use(4326)
    assert west <= -180 and east >= 180 and south <= -90 and north >= 90


@pytest.mark.parametrize(
    ("bbox", "expected"),
    [
        ((-180.0, -90.0, 180.0, 90.0), area_of_use(2180)),
        ((18.9, 51.4, 19.1, 51.6), (18.9, 51.4, 19.1, 51.6)),  # inside: unchanged
        ((10.0, 50.0, 16.0, 52.0), (14.14, 50.0, 16.0, 52.0)),  # cut on one side
    ],
)
def test_clip_to_area_of_use(bbox, expected) -> None:  # type: ignore[no-untyped-def]
    assert clip_to_area_of_use(bbox, 2180) == pytest.approx(expected)


@pytest.mark.parametrize("bbox", [(-40.0, 10.0, -30.0, 20.0), (24.15, 50.0, 30.0, 52.0)])
def test_clip_outside_the_area_is_none(bbox) -> None:  # type: ignore[no-untyped-def]
    assert clip_to_area_of_use(bbox, 2180) is None

"""CRS parameters: digits that str.isdigit() accepts and int() refuses are a 400."""

from __future__ import annotations

import pytest

from miasto.core.errors import InvalidParameter
from miasto.core.geo import parse_crs


@pytest.mark.parametrize("value", ["EPSG:¹", "²¹⁸⁰", "EPSG:2180\u0660"])
def test_unicode_digits_are_invalid(value):
    with pytest.raises(InvalidParameter):
        parse_crs(value)


def test_ascii_codes_still_parse():
    assert parse_crs("EPSG:2180") == 2180 and parse_crs("CRS84") == 4326

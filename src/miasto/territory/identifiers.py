"""Identifiers of the Polish registers, validated.

- TERYT TERC of a municipality: ``WWPPGGR`` — voivodeship, county, municipality, kind (1 urban,
  2 rural, 3 urban-rural; 4/5 town/area of an urban-rural one; 8/9 districts and delegations).
- EGiB parcel identifier (Rozporządzenie w sprawie ewidencji gruntów i budynków):
  ``WWPPGG_R.XXXX.NDZ`` — the unit ``WWPPGG_R``, the precinct (obręb) ``XXXX``, optionally a map
  sheet ``AR_N.``, and the parcel number ``NDZ`` (digits, optionally ``/digits``), e.g.
  ``146501_1.0001.123/4`` or ``146501_1.0001.AR_2.123/4``.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from miasto.core.errors import InvalidParameter

TERC_RE = re.compile(r"^\d{6}[1-9]$")
UNIT_RE = r"\d{6}_[1-9]"
PRECINCT_CODE_RE = re.compile(r"^\d{4}$")
PARCEL_NUMBER_RE = r"[1-9]\d{0,5}(?:/[1-9]\d{0,3})?"
PARCEL_ID_RE = re.compile(
    rf"^(?P<unit>{UNIT_RE})\.(?P<precinct>\d{{4}})\.(?:(?P<sheet>AR_\d{{1,3}})\.)?(?P<number>{PARCEL_NUMBER_RE})$"
)
POSTCODE_RE = re.compile(r"^\d{2}-\d{3}$")

PARCEL_ID_FORMAT = (
    "WWPPGG_R.XXXX.NDZ, np. 146501_1.0001.123/4 (opcjonalnie arkusz: 146501_1.0001.AR_2.123/4)"
)


def is_parcel_identifier(value: str) -> bool:
    return bool(PARCEL_ID_RE.match(value))


def parcel_identifier_error(value: str) -> InvalidParameter:
    """The API's 400 for a malformed parcel identifier (Polish, with the expected format)."""
    return InvalidParameter(
        f"Nieprawidłowy identyfikator działki „{value[:60]}”. "
        f"Oczekiwany format: {PARCEL_ID_FORMAT}.",
        expected_format="WWPPGG_R.XXXX.NDZ",
    )


def parse_parcel_identifier(raw: str) -> str:
    """A parcel identifier from a URL or a query (surrounding blanks dropped); raises
    :func:`parcel_identifier_error` (400) when it is not ``WWPPGG_R.XXXX[.AR_N].NDZ``."""
    identifier = raw.strip()
    if not is_parcel_identifier(identifier):
        raise parcel_identifier_error(identifier)
    return identifier


def validate_parcel_identifier(value: str) -> None:
    if not is_parcel_identifier(value):
        raise ValidationError(
            _("Invalid parcel identifier %(value)s; expected %(format)s."),
            params={"value": value, "format": PARCEL_ID_FORMAT},
            code="invalid_parcel_identifier",
        )


def validate_terc(value: str) -> None:
    if not TERC_RE.match(value):
        raise ValidationError(
            _("Invalid TERYT code %(value)s; expected 7 digits WWPPGGR."),
            params={"value": value},
            code="invalid_terc",
        )


def validate_precinct_code(value: str) -> None:
    if not PRECINCT_CODE_RE.match(value):
        raise ValidationError(_("A precinct code has 4 digits."), code="invalid_precinct")


def validate_postcode(value: str) -> None:
    if not POSTCODE_RE.match(value):
        raise ValidationError(_("A postcode looks like 00-000."), code="invalid_postcode")


def validate_parcel_number(value: str) -> None:
    if not re.fullmatch(PARCEL_NUMBER_RE, value):
        raise ValidationError(_("A parcel number looks like 123 or 123/4."), code="invalid_number")

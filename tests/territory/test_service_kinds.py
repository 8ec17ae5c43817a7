"""Kinds of public services: built-in, or added by configuration (no migration)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from miasto.territory.service_kinds import (
    service_kind_codes,
    service_kind_label,
    service_kinds,
    service_kinds_check,
    validate_service_kind,
)
from tests.territory.factories import PublicServiceFactory

POLICE = {"police": "posterunek policji", "fire_brigade": "posterunek straży pożarnej"}


def test_builtin_kinds_only_by_default():
    assert "primary_school" in service_kind_codes() and "police" not in service_kind_codes()
    with pytest.raises(ValidationError, match="police"):
        validate_service_kind("police")
    assert service_kinds_check() == []


@override_settings(MIASTO_SERVICE_KINDS_EXTRA=POLICE)
def test_configured_kinds_are_known_with_their_labels():
    assert service_kind_codes()[-2:] == ("police", "fire_brigade")
    assert service_kinds()["fire_brigade"] == "posterunek straży pożarnej"
    assert service_kind_label("police") == "posterunek policji"
    validate_service_kind("police")
    assert service_kind_label("gone") == "gone"  # a kind no longer configured: its code


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ("nie json", "JSON object"),
        ({"Police!": "x"}, "lower-case"),
        ({"green": "zieleń"}, "built-in"),
        ({"police": " "}, "non-empty"),
    ],
)
def test_a_bad_configuration_is_reported_at_start_up_and_ignored(config, fragment):
    with override_settings(MIASTO_SERVICE_KINDS_EXTRA=config):
        errors = service_kinds_check()
        assert errors and errors[0].id == "territory.E001" and fragment in errors[0].msg
        assert "police" not in service_kind_codes()


@pytest.mark.django_db
def test_a_service_of_a_configured_kind_validates():
    service = PublicServiceFactory.build(kind="police", name="Komisariat I")
    with pytest.raises(ValidationError):
        service.full_clean(exclude=["address", "org_unit"], validate_constraints=False)
    with override_settings(MIASTO_SERVICE_KINDS_EXTRA=POLICE):
        service.full_clean(exclude=["address", "org_unit"], validate_constraints=False)
        service.save()
        assert str(service) == "posterunek policji: Komisariat I"

"""``miasto demo-users``: every demo login has its unit, a verified e-mail, and can sign in."""

from __future__ import annotations

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from miasto.accounts.management.commands.demo_users import DEMO_PASSWORD, DEMO_USERS
from tests.accounts.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_units(db):  # type: ignore[no-untyped-def]
    """The demo city's organisational units (as democity's generator makes them)."""
    from miasto.democity.names import ORG_UNITS
    from miasto.territory.models import OrgUnit

    return {
        code: OrgUnit.objects.create(code=code, name=name, kind=kind)
        for code, name, kind, _parent in ORG_UNITS
    }


def test_the_data_steward_belongs_to_the_unit_owning_most_demo_datasets():
    from miasto.democity.catalogue import demo_datasets

    owners = Counter(spec.owner for spec in demo_datasets())
    assert DEMO_USERS["opiekun"][1] == owners.most_common(1)[0][0]


def test_every_unit_named_exists_in_the_demo_city():
    from miasto.democity.names import ORG_UNITS

    codes = {code for code, *_rest in ORG_UNITS}
    assert {unit for _role, unit in DEMO_USERS.values() if unit} <= codes


def test_demo_users_get_units_and_verified_emails(demo_units):
    from allauth.account.models import EmailAddress

    from miasto.datahub import permissions
    from miasto.datahub.models import Dataset

    call_command("demo_users", "--quiet")
    call_command("demo_users", "--quiet")  # idempotent
    User = get_user_model()
    steward = User.objects.get(username="opiekun")
    assert list(steward.org_units.values_list("code", flat=True)) == ["UM-GK"]
    assert list(User.objects.get(username="planista").org_units.values_list("code", flat=True)) == [
        "UM-BPP"
    ]
    assert not User.objects.get(username="mieszkaniec").org_units.exists()
    for username in DEMO_USERS:
        address = EmailAddress.objects.get(user__username=username)
        assert address.verified and address.primary
    # the data steward may now create datasets and import into its unit's ones
    owned = Dataset(slug="drzewa", owner=demo_units["UM-GK"])
    other = Dataset(slug="mops", owner=demo_units["MOPS"])
    assert permissions.can_manage(steward)
    assert permissions.can_manage(steward, owned)
    assert not permissions.can_manage(steward, other)


def test_every_demo_login_signs_in_by_username_and_email(client, demo_units):
    call_command("demo_users", "--quiet")
    for username in DEMO_USERS:
        client.cookies.clear()
        response = sign_in(client, username, DEMO_PASSWORD)
        assert response.status_code == 302 and response["Location"] == "/", username
        client.cookies.clear()
        by_email = sign_in(client, f"{username}@miasto-przykladowe.example", DEMO_PASSWORD)
        assert by_email.status_code == 302 and by_email["Location"] == "/", username


def test_without_a_demo_city_the_logins_still_work(client, capsys):
    call_command("demo_users")
    assert "UM-GK" in capsys.readouterr().err
    assert sign_in(client, "opiekun", DEMO_PASSWORD).status_code == 302

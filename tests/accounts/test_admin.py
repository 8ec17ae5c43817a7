"""The accounts models in the admin: rights that hold whatever a role is granted.

Who sees what, role by role, is the role matrix (tests/core/role_matrix.py); these are the
guards behind it, for a permission granted by mistake (a role, or per-user).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

pytestmark = pytest.mark.django_db


def _grant(user, *codenames: str):  # type: ignore[no-untyped-def]
    for codename in codenames:
        app, code = codename.split(".")
        perm = Permission.objects.get(content_type__app_label=app, codename=code)
        user.user_permissions.add(perm)


def test_two_factor_devices_are_for_superusers_only(client, make_user):  # type: ignore[no-untyped-def]
    """The record holds the TOTP secret: even a view permission must not show it."""
    from allauth.mfa.models import Authenticator

    owner = make_user("resident")
    device = Authenticator.objects.create(
        user=owner, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    admin = make_user("administrator")
    _grant(admin, "mfa.view_authenticator", "mfa.change_authenticator", "mfa.delete_authenticator")
    client.force_login(admin)
    base = "/admin/mfa/authenticator/"
    for path in (base, f"{base}{device.pk}/change/", f"{base}{device.pk}/delete/"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert b"JBSWY3DPEHPK3PXP" not in response.content
    assert b"/admin/mfa/" not in client.get("/admin/").content


def test_viewing_e_mail_addresses_does_not_verify_them(client, make_user):  # type: ignore[no-untyped-def]
    """allauth's "mark verified" action is offered to whoever may view the list; it is a
    write (it skips the verification), so it needs the change permission."""
    from allauth.account.models import EmailAddress

    owner = make_user("resident")
    address = EmailAddress.objects.create(user=owner, email="x@example.org", verified=False)
    admin = make_user("administrator")
    client.force_login(admin)
    listing = client.get("/admin/account/emailaddress/")
    assert listing.status_code == 200 and b"make_verified" not in listing.content
    client.post(
        "/admin/account/emailaddress/",
        {"action": "make_verified", "_selected_action": [address.pk]},
    )
    address.refresh_from_db()
    assert not address.verified
    _grant(admin, "account.change_emailaddress")
    admin = type(admin).objects.get(pk=admin.pk)  # fresh permission cache
    client.force_login(admin)
    client.post(
        "/admin/account/emailaddress/",
        {"action": "make_verified", "_selected_action": [address.pk]},
    )
    address.refresh_from_db()
    assert address.verified

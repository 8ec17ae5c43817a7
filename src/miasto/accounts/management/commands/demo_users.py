"""``miasto demo-users``: one demo login per role (only the demo creates these).

Each login gets the organisational unit its role works in (the data steward ``opiekun`` the
surveying department, which owns most of the demo catalogue, so it can create datasets and
import into them) and a verified e-mail address, so that it can sign in at /konto/logowanie/
by username or by e-mail. Units that are not there (no demo city yet) are skipped.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from miasto.core.roles import ROLES, roles_sync
from miasto.territory.models import OrgUnit

DEMO_PASSWORD = "miasto-demo"
DEMO_EMAIL_DOMAIN = "miasto-przykladowe.example"
#: username → (role, code of the organisational unit, see democity.names.ORG_UNITS)
DEMO_USERS: dict[str, tuple[str, str | None]] = {
    "mieszkaniec": ("resident", None),
    "planista": ("planner", "UM-BPP"),  # Biuro Planowania Przestrzennego
    "inspektor": ("inspector", "UM-AB"),  # Wydział Architektury i Budownictwa
    "urzednik": ("case_officer", "UM-BPP"),  # issues the wypis i wyrys
    "moderator": ("moderator", "UM"),
    "opiekun": ("data_steward", "UM-GK"),  # Wydział Geodezji i Kartografii: the spine datasets
    "admin": ("administrator", "UM"),
}


class Command(BaseCommand):
    help = "Create (or reset) the demo users, one per role, and print their logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="do not print the logins")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        from allauth.account.models import EmailAddress

        roles_sync()
        User = get_user_model()
        units = {
            u.code: u
            for u in OrgUnit.objects.filter(code__in={c for _r, c in DEMO_USERS.values() if c})
        }
        missing: list[str] = []
        for username, (role, unit_code) in DEMO_USERS.items():
            user, created = User.objects.get_or_create(username=username)
            if created or not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
            user.is_staff = ROLES[role].staff
            user.is_superuser = role == "administrator"
            user.is_active = True
            user.first_name = str(ROLES[role].name)
            user.email = f"{username}@{DEMO_EMAIL_DOMAIN}"
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
            if unit_code is None:
                user.org_units.clear()
            elif unit_code in units:
                user.org_units.set([units[unit_code]])
            else:
                missing.append(unit_code)
        if missing and not options["quiet"]:
            self.stderr.write(
                "  No organisational units "
                + ", ".join(sorted(set(missing)))
                + " yet (run `miasto demo-city` first): those logins belong to no unit."
            )
        if not options["quiet"]:
            self.stdout.write(f"\n  Demo logins (password for all: {DEMO_PASSWORD}):")
            for username, (role, unit_code) in DEMO_USERS.items():
                unit = units[unit_code].name if unit_code in units else ""
                self.stdout.write(f"    {username:<12} {str(ROLES[role].name):<24} {unit}")
            self.stdout.write("")

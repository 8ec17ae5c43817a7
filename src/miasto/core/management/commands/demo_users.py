"""``miasto demo-users``: one demo login per role (only the demo creates these)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from miasto.core.roles import ROLES, roles_sync

DEMO_PASSWORD = "miasto-demo"
DEMO_USERS = {
    "mieszkaniec": "resident",
    "planista": "planner",
    "inspektor": "inspector",
    "urzednik": "case_officer",
    "moderator": "moderator",
    "opiekun": "data_steward",
    "admin": "administrator",
}


class Command(BaseCommand):
    help = "Create (or reset) the demo users, one per role, and print their logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="do not print the logins")

    def handle(self, *args: Any, **options: Any) -> None:
        roles_sync()
        User = get_user_model()
        for username, role in DEMO_USERS.items():
            user, created = User.objects.get_or_create(username=username)
            if created or not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)
            user.is_staff = ROLES[role].staff
            user.is_superuser = role == "administrator"
            user.first_name = str(ROLES[role].name)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
        if not options["quiet"]:
            self.stdout.write(f"\n  Demo logins (password for all: {DEMO_PASSWORD}):")
            for username, role in DEMO_USERS.items():
                self.stdout.write(f"    {username:<12} {ROLES[role].name}")
            self.stdout.write("")

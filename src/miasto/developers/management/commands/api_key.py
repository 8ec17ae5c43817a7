"""``miasto api-key create --user USERNAME --name APP`` prints a new key (once);
``miasto api-key list [--user USERNAME]`` and ``miasto api-key revoke PREFIX``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from miasto.core.apikeys import api_key_create, api_key_revoke
from miasto.core.models import ApiKey


class Command(BaseCommand):
    help = "Create, list and revoke API keys of third-party applications."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a key and print it (shown only once)")
        create.add_argument("--user", required=True, help="the owner's username")
        create.add_argument("--name", required=True, help="the application's name")
        create.add_argument("--description", default="")
        create.add_argument(
            "--rate", type=int, default=None, help="requests a minute (default: the keys' limit)"
        )
        listing = sub.add_parser("list", help="keys (prefix, owner, application, status)")
        listing.add_argument("--user", default=None)
        revoke = sub.add_parser("revoke", help="revoke a key by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _create(self, options: dict[str, Any]) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']!r}")
        if not options["name"].strip():
            raise CommandError("--name is empty")
        if options["rate"] is not None and options["rate"] < 0:
            raise CommandError("--rate must be 0 (no limit) or more")
        key, raw = api_key_create(user, options["name"], options["description"])
        if options["rate"] is not None:
            key.rate_per_minute = options["rate"]
            key.save(update_fields=["rate_per_minute"])
        self.stderr.write(f"key {key.prefix} for {user.get_username()}: {key.name} (shown once)")
        self.stdout.write(raw)

    def _list(self, options: dict[str, Any]) -> None:
        keys = ApiKey.objects.select_related("user")
        if options["user"]:
            keys = keys.filter(user__username=options["user"])
        for key in keys:
            status = "active" if key.active else f"revoked {key.revoked_at:%Y-%m-%d}"
            self.stdout.write(f"{key.prefix}\t{key.user.get_username()}\t{key.name}\t{status}")

    def _revoke(self, options: dict[str, Any]) -> None:
        prefix = options["prefix"].removeprefix("mst_")[:10]
        key = ApiKey.objects.filter(prefix=prefix).first()
        if key is None:
            raise CommandError(f"no key with the prefix {prefix!r}")
        api_key_revoke(key)
        self.stdout.write(f"revoked {key.prefix} ({key.name})")

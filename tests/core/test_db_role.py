"""The app's database role has only what it needs (docs/deploy.md, "Database roles").

Tests connect as the app's role (DATABASE_URL), so these are facts about the role the app runs
as: not a superuser, no CREATEROLE, no server file or program access — not even through a role
it is a member of — and the owner of its database's tables.
"""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

SERVER_ACCESS_ROLES = ("pg_read_server_files", "pg_write_server_files", "pg_execute_server_program")


def one(sql: str, params: list[object] | None = None) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


def test_app_role_is_not_a_superuser_and_cannot_create_roles() -> None:
    assert one("SELECT rolsuper FROM pg_roles WHERE rolname = current_user") is False
    assert one("SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user") is False
    assert one("SHOW is_superuser") == "off"
    # nor through a role it could SET ROLE to
    assert (
        one(
            "SELECT count(*) FROM pg_roles r WHERE (r.rolsuper OR r.rolcreaterole) "
            "AND r.rolname <> current_user AND pg_has_role(current_user, r.oid, 'MEMBER')"
        )
        == 0
    )


@pytest.mark.parametrize("role", SERVER_ACCESS_ROLES)
def test_app_role_has_no_server_file_or_program_access(role: str) -> None:
    assert one("SELECT pg_has_role(current_user, %s, 'MEMBER')", [role]) is False


def test_app_role_owns_its_tables_and_not_the_extensions() -> None:
    """It owns what the migrations made (so imports may drop and make indexes), while the
    extensions came from provisioning (made by the administrative role)."""
    assert (
        one(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname IN ('public', 'datahub_data') AND c.relkind IN ('r', 'p') "
            "AND c.relowner <> current_user::regrole "
            "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
            "AND d.objid = c.oid AND d.deptype = 'e')"
        )
        == 0
    )
    assert one("SELECT count(*) FROM pg_extension WHERE extowner = current_user::regrole") == 0

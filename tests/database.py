"""The test database's template (settings ``DATABASES["default"]["TEST"]["TEMPLATE"]``).

The app's role is no superuser: the test database is a copy of the template that
``scripts/provision.sh`` makes with the extensions. Where that template is missing (a
database of one's own, a machine not provisioned again since), a superuser role falls back to
PostgreSQL's ``template1`` and creates the extensions in the migrations, as before — and
``tests/core/test_db_role.py`` says that the role is a superuser; any other role is stopped
here with what to do.
"""

from __future__ import annotations

import warnings

import psycopg
import pytest
from django.db import connection


def template_check() -> None:
    test = connection.settings_dict.setdefault("TEST", {})
    template = test.get("TEMPLATE")
    if not template:
        return
    params = connection.get_connection_params()
    params["dbname"] = "postgres"
    with psycopg.connect(**params) as conn:
        usable = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s "
            "AND (datistemplate OR datdba = current_user::regrole)",
            [template],
        ).fetchone()
        (superuser,) = conn.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone()  # type: ignore[misc]
    if usable:
        return
    if superuser:
        warnings.warn(
            f"no template database {template!r}: the test database is made from template1 "
            "(run scripts/provision.sh to make the template)",
            stacklevel=1,
        )
        test["TEMPLATE"] = None
        return
    pytest.exit(
        f"The test database is copied from the template database {template!r}, which is "
        "missing: run scripts/provision.sh (it makes it with the extensions), or set "
        "MIASTO_DB_TEMPLATE to a database marked IS_TEMPLATE holding postgis, pgrouting, "
        "pg_trgm and unaccent.",
        returncode=1,
    )

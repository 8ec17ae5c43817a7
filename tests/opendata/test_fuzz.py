"""Fuzzing /api/v1 from its own OpenAPI document with schemathesis, against a live server
over a small city and catalogue: no answer is a 5xx, every status, content type and body is
the one documented, and input that breaks the documented rules is refused with a 4xx.

Bounded (``MAX_EXAMPLES`` per operation and mode), so that it runs in every test run. Write
operations answer anonymous callers with a 403 (documented), which is what is checked here;
their signed-in behaviour has its own tests beside each app.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from miasto.core.openapi import operation_registry
from tests.territory import factories as tf

MAX_EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 10}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# (negative cases are not checked for rejection — schemathesis's negative_data_rejection: a
# blank optional parameter means its default by design, ``?format=&as_of=``, which the
# schema cannot say)


def _fuzz(operation: Any, mode: GenerationMode, session: requests.Session | None = None) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES[mode],
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any) -> None:
        case.call_and_validate(session=session, checks=CHECKS)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_v1_answers_as_documented(
    live_server: Any, live_hub: Any, mode: GenerationMode
) -> None:
    for _ in range(3):
        tf.ParcelFactory()
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = {f"{o.method.upper()} {o.path}" for o in operations}
    # (schemathesis leaves out the document it was loaded from)
    assert labels | {"GET /api/v1/openapi.json"} == set(operation_registry.keys())
    failures = _fuzz_all(operations, mode)
    assert not failures, failures


def _fuzz_all(
    operations: list[Any], mode: GenerationMode, session: requests.Session | None = None
) -> str:
    """Every operation's failures, as text (empty: none)."""
    failures: list[str] = []
    for operation in operations:
        try:
            _fuzz(operation, mode, session)
        except Unsatisfiable:  # nothing to break: an operation without parameters
            continue
        except (AssertionError, BaseExceptionGroup) as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {exc!r}"[:2000])
    return "\n\n".join(failures)


def test_write_operations_signed_in_as_staff(
    live_server: Any, live_hub: Any, make_user: Any, client: Any
) -> None:
    """The POST operations with a planner's session and CSRF token: started jobs (202),
    stored results (200), unknown jobs and scenarios (404) — never a 5xx, always as
    documented."""
    client.force_login(make_user("planner"))
    session = requests.Session()
    session.cookies.set("sessionid", client.cookies["sessionid"].value)
    session.get(f"{live_server.url}/")  # the CSRF cookie
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    writes = [r.ok() for r in schema.get_all_operations() if r.ok().method.upper() == "POST"]
    assert len(writes) == 3
    failures = _fuzz_all(writes, GenerationMode.POSITIVE, session)
    assert not failures, failures
    statuses = {
        session.post(f"{live_server.url}/api/v1/analyses/capacity?as_of=2024-05-31").status_code,
        session.post(f"{live_server.url}/api/v1/jobs/999999/cancel").status_code,
    }
    assert statuses == {202, 404}

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
#: positive cases must also be accepted where the API promises it; negative ones are checked
#: for no 5xx and documented answers, not for rejection: a blank optional parameter means
#: its default by design (``?format=&as_of=``), which the schema cannot say
CHECKS_BY_MODE = {GenerationMode.POSITIVE: CHECKS, GenerationMode.NEGATIVE: CHECKS}


def _fuzz(operation: Any, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES[mode],
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any) -> None:
        case.call_and_validate(checks=CHECKS_BY_MODE[mode])

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_v1_answers_as_documented(
    live_server: Any, live_hub: Any, mode: GenerationMode
) -> None:
    for _ in range(3):
        tf.ParcelFactory()
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = {f"{o.method.upper()} {o.path}" for o in operations}
    # (schemathesis leaves out the document it was loaded from)
    assert labels | {"GET /api/v1/openapi.json"} == set(operation_registry.keys())
    for operation in operations:
        try:
            _fuzz(operation, mode)
        except Unsatisfiable:  # nothing to break: an operation without parameters
            continue
        except (AssertionError, BaseExceptionGroup) as exc:  # every operation's failures
            failures.append(f"{operation.method.upper()} {operation.path}: {exc!r}"[:2000])
    assert not failures, "\n\n".join(failures)

"""Fuzzing /api/v1 from its own OpenAPI document with schemathesis, against a live server
over a small city and catalogue: no answer is a 5xx, every status, content type and body is
the one documented, and input that breaks the documented rules is refused with a 4xx.

Bounded (``MAX_EXAMPLES`` per operation), so that it runs in every test run. Write
operations answer anonymous callers with a 403 (documented), which is what is checked here;
their signed-in behaviour has its own tests beside each app.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.territory import factories as tf

MAX_EXAMPLES = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def _fuzz(operation: Any, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_v1_answers_as_documented(live_server: Any, live_hub: Any, mode: GenerationMode) -> None:
    for _ in range(3):
        tf.ParcelFactory()
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 28
    for operation in operations:
        try:
            _fuzz(operation, mode)
        except Exception as exc:  # noqa: BLE001 — collect every operation's failure
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)

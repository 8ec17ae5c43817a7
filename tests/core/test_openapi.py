"""The OpenAPI declarations' building blocks (:mod:`miasto.core.openapi`)."""

from __future__ import annotations

import pytest

from miasto.core.openapi import (
    Operation,
    Param,
    integer,
    json_answer,
    obj,
)
from miasto.core.registry import Registry


def operation(**kw: object) -> Operation:
    defaults: dict[str, object] = {
        "url_name": "api-thing",
        "path": "/api/v1/things/{pk}",
        "method": "GET",
        "summary": "Rzecz",
        "tag": "Rzeczy",
        "answers": {200: json_answer("Rzecz.", obj(("id",), id=integer()))},
        "params": (Param("pk", "Numer.", integer(1), where="path"),),
    }
    return Operation(**{**defaults, **kw})  # type: ignore[arg-type]


def test_errors_share_one_schema_and_path_params_are_required():
    doc = operation(errors=(400, 404)).to_dict()
    assert doc["operationId"] == "get_api_thing"
    assert doc["parameters"][0] == {
        "name": "pk", "in": "path", "description": "Numer.", "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }  # fmt: skip
    for status in ("400", "404"):
        schema = doc["responses"][status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}
    assert doc["responses"]["200"]["content"]["application/json"]["schema"]["required"] == ["id"]
    assert "deprecated" not in doc and "security" not in doc


def test_an_answer_of_its_own_wins_over_the_shared_error():
    own = json_answer("Już zakończone.", obj(("message",), message={"type": "string"}))
    doc = operation(answers={200: own, 409: own}, errors=(409,), deprecated=True).to_dict()
    assert doc["responses"]["409"]["description"] == "Już zakończone."
    assert doc["deprecated"] is True


def test_a_key_is_registered_once():
    registry: Registry[Operation] = Registry("test", "no_such_module")
    registry.register("GET /x", operation())
    with pytest.raises(ValueError, match="already registered"):
        registry.register("GET /x", operation(summary="Inna"))

"""Schemathesis over the whole OpenAPI schema, for every role and without a token: no 5xx, and
every response conforms to the schema (content type, body)."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from conductgraph.api.tokens import ROLES
from tests import api_support

api_app, tokens = api_support.api_app, api_support.tokens
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES_PER_OPERATION = 15


def operations(app: FastAPI) -> list[schemathesis.APIOperation]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]


@pytest.mark.slow
def test_no_server_errors_for_any_role(api_app: FastAPI, tokens: dict[str, str]) -> None:
    credentials = [{"Authorization": f"Bearer {tokens[role]}"} for role in ROLES] + [{}]
    sent = 0
    ops = operations(api_app)
    assert len(ops) == 16
    for operation in ops:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def each_role(case: schemathesis.Case) -> None:
            nonlocal sent
            for headers in credentials:
                case.call_and_validate(headers=headers, checks=CHECKS)
                sent += 1

        each_role()
    assert sent >= len(ops) * len(credentials)

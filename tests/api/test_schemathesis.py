"""The whole API fuzzed by schemathesis from its own OpenAPI document, on a real server over the
demo data, writes included (with a token): never a 5xx, every answer as the schema says."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.result import Ok

from actuel.accounts.tokens import token_hash
from tests.web.admin_support import AdminSite, admin_site, copy_demo
from tests.web.demo_site import DemoSite

EXAMPLES = 25  # per operation; enough to reach every branch of our small handlers
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def served(
    demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[AdminSite, str]]:
    with admin_site(copy_demo(demo_site, tmp_path_factory.mktemp("schemathesis"))) as site:
        token = "act_" + secrets.token_urlsafe(24)
        site.store.users.add_api_token(token_hash(token), "schemathesis")
        yield site, token


def test_every_operation_answers_as_its_schema_says(served: tuple[AdminSite, str]) -> None:
    site, token = served
    document = httpx.get(site.base + "/api/v1/openapi.json").json()
    schema = schemathesis.openapi.from_dict(document)
    base_url = site.base + "/api/v1"
    headers = {"Authorization": f"Bearer {token}"}
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result.err()
        operations.append(result.ok())
    labels = {op.label for op in operations}
    assert "POST /sources" in labels and "POST /moderation/comments" in labels
    failures: list[str] = []
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,  # the same cases every run: a failure here is never luck
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case: schemathesis.Case[Any]) -> None:
            response = case.call(base_url=base_url, headers=headers)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failures, together
            failures.append(f"{operation.label}: {str(exc)[:600]}")
    assert not failures, "\n\n".join(failures)

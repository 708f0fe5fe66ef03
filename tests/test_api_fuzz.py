"""Schemathesis over the whole API, as a buyer's owner holding a token, on the test database.

Every operation of the OpenAPI schema gets at most 20 generated requests through the Django
application (WSGI, no network) against the access matrix's world: a buyer's chain, a relationship
the supplier accepted, a plan, an action, an import. Path parameters name that world's objects,
so bodies and queries reach the services instead of a 404; ids beyond it are tried by
`test_bad_input.py`. A request fails the run when the answer is a 5xx, or a status, content type
or body the OpenAPI schema does not declare. The examples are derandomised, so a run is
reproducible. `make fuzz` and `make fuzz-pg` run it (it is left out of the plain test run).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stonebridge.accounts.services import api_token_create
from stonebridge.api import api

from .accounts import test_access_matrix as matrix

# The access matrix's world: a buyer's chain, a relationship, a plan and an action.
matrix_world = matrix.world

EXAMPLES_PER_OPERATION = 20


@pytest.fixture
def connection_kept():
    """The test's database connection stays open across requests, as with Django's test client:
    the WSGI handler would close it after each one, and with it the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def buyer_token(owner):
    return api_token_create(user=owner, name="schemathesis")[1]


schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()
# Generated requests only, valid and invalid, within the examples' bound: the coverage phase would
# add its own hundreds of cases per operation.
schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.mark.api_fuzz
@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_request_without_a_server_error(
    case, matrix_world, buyer_token, connection_kept
):
    case.path_parameters = {
        name: matrix_world.get(name, value) for name, value in (case.path_parameters or {}).items()
    }
    case.call_and_validate(
        headers={"Authorization": f"Bearer {buyer_token}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )

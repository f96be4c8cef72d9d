"""The API keeps its own schema: schemathesis generates requests from
/api/openapi.json (valid and invalid parameters) and checks every answer against
it — no 5xx, documented status codes, content types, headers and bodies.

The example budget is small in `make test` and large in `make fuzz` (SADOK_FUZZ=1).
"""

import os

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test.utils import override_settings
from hypothesis import HealthCheck, settings

from tests.factories import GroupFactory
from tests.opendata.helpers import TODAY, privileged, waiting

EXAMPLES = 400 if os.environ.get("SADOK_FUZZ") else 12

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def _one_connection():
    """The application is called in-process, inside the test's transaction: as
    Django's test client does, it must not close the connection after a request."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def queue(db, privilege_categories, _one_connection):
    with time_machine.travel(TODAY, tick=False):
        group = GroupFactory(pk=1, age_from_months=24, age_to_months=36)
        children = [waiting(n, kindergarten=group.kindergarten) for n in range(1, 4)]
        privileged(children[1])
        yield group


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_keeps_the_schema(case, queue):
    # Enough allowance that the rate limit (tested in test_api.py) does not stop the run.
    with override_settings(SADOK_API_RATE="100000/min"), time_machine.travel(TODAY, tick=False):
        case.call_and_validate()

"""The offers tests' queues and groups, for the family's pages."""

from tests.offers.conftest import nursery, queue_of  # noqa: F401

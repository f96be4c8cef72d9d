"""The offers tests' queues and groups, for why a position changed."""

from tests.offers.conftest import nursery, queue_of  # noqa: F401

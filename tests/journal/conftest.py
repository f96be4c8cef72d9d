"""The offers tests' families, for the journal's tests."""

from tests.offers.conftest import nursery, queue_of  # noqa: F401  (fixtures)

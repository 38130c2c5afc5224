# The small network around Lyon of the fulfilment tests: orders go through their whole life.
from tests.fulfillment.conftest import network  # noqa: F401

"""The planned Monday of the logistics tests, for the pages built on it."""

from louise.logistics.tests.conftest import (  # noqa: F401 (fixtures)
    drafts,
    other_rider,
    running_tour,
    tour_rider,
    two_orders,
)

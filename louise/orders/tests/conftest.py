"""Fixtures the billing tests share, for the billing flows tested from the orders side
(placing orders needs this layer, so those tests live here)."""

from louise.billing.tests.conftest import creditor, operator  # noqa: F401 (fixtures)

"""The billing fixtures (a town with its SEPA creditor and operator) for the month walk."""

from louise.billing.tests.conftest import creditor, operator

__all__ = ["creditor", "operator"]

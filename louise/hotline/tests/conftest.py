"""The billing fixtures, for paying by invoice (a hotline decision) tested here."""

from louise.billing.tests.conftest import creditor, operator  # noqa: F401 (fixtures)

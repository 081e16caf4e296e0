"""Bottrop and Gladbeck with their operators, and the region's (see geo's tests)."""

import pytest
from django.test import Client

from louise.geo.tests.conftest import two_towns  # noqa: F401 (fixture)


@pytest.fixture
def as_user():
    """A test client signed in as that person."""

    def client(user) -> Client:
        signed_in = Client()
        signed_in.force_login(user)
        return signed_in

    return client

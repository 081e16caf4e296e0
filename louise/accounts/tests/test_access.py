"""The access mechanism itself: role sets, guards and the rule registry of `visible_to`.
The rules of the other apps' models are tried in `louise/api/tests/test_scope.py`."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from louise.accounts.access import DISPATCH, STAFF, require_role, scope_rule, visible_to
from louise.accounts.models import ApiToken, Role
from louise.core.errors import Forbidden

from ...conftest import make_user


def test_role_sets():
    assert {Role.DISPATCHER, Role.OPERATOR} == DISPATCH
    assert DISPATCH | {Role.HOTLINE} == STAFF


def test_a_model_without_rule_is_a_programming_error(db):
    with pytest.raises(ImproperlyConfigured, match="keine Sichtbarkeitsregel"):
        visible_to(ApiToken, make_user("someone"))


def test_a_rule_naming_an_unknown_role_is_refused():
    with pytest.raises(ImproperlyConfigured, match="Unbekannte Rollen"):
        scope_rule(ApiToken, {"janitor": lambda user: Q()})


def test_guards_refuse_anonymous_and_blocked_people(db):
    with pytest.raises(Forbidden):
        require_role(AnonymousUser(), *DISPATCH)
    dispo = make_user("dispo", Role.DISPATCHER)
    require_role(dispo, *DISPATCH)
    dispo.is_active = False
    with pytest.raises(Forbidden):
        require_role(dispo, *DISPATCH)

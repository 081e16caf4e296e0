"""What every page of the operator's console (`/betrieb/`) shares: the role check and the
town it acts in."""

from louise.accounts.models import Role
from louise.geo.models import Town
from louise.geo.selectors import town_for
from louise.web.access import AuthedRequest, scoped_page

operator_page = scoped_page(Role.OPERATOR)


def console_town(request: AuthedRequest, role: str) -> Town:
    """The town a console of `role` shows: `?stadt=<slug>` switches (and is remembered for
    the session), else the last one chosen, else the person's first town. A town they do
    not work for is a 404, like any object outside their scope."""
    key = f"{role}_town"
    slug = request.GET.get("stadt") or request.session.get(key)
    town = town_for(request.user, slug, roles=(role,))
    request.session[key] = town.slug
    return town


def operator_town(request: AuthedRequest) -> Town:
    return console_town(request, Role.OPERATOR)

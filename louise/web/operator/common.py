"""What every page of the operator's console (`/betrieb/`) shares: the role check and the
town it acts in."""

from louise.accounts.models import Role
from louise.geo.models import Town
from louise.geo.selectors import town_for
from louise.web.access import AuthedRequest, scoped_page

operator_page = scoped_page(Role.OPERATOR)

SESSION_TOWN = "operator_town"


def operator_town(request: AuthedRequest) -> Town:
    """The town the console shows: `?stadt=<slug>` switches (and is remembered for the
    session), else the last one chosen, else the operator's first town. A town the
    operator does not work for is a 404, like any object outside their scope."""
    slug = request.GET.get("stadt") or request.session.get(SESSION_TOWN)
    town = town_for(request.user, slug, roles=(Role.OPERATOR,))
    request.session[SESSION_TOWN] = town.slug
    return town

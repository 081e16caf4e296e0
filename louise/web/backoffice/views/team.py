"""The shop's team: the owner invites staff by a link (accepted on `web.invitation`'s page)
and blocks a colleague's login."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from louise.accounts.access import is_shop_owner, require_shop_owner
from louise.catalog.invitations import staff_access_set, staff_invitation_create
from louise.web.access import AuthedRequest

from ..common import attempt, merchant_page, shop_of
from ..forms import InviteForm


@merchant_page
def team_page(request: AuthedRequest) -> HttpResponse:
    is_owner = is_shop_owner(request.user)
    form = InviteForm(request.POST or None)
    link = None
    if request.method == "POST":
        require_shop_owner(request.user)
        if form.is_valid():
            email = form.cleaned_data["email"]
            link = attempt(request, lambda: staff_invitation_create(
                by=request.user, email=email, base_url=request.build_absolute_uri("/")),
                f"Einladung an {email} verschickt.")
    return render(request, "backoffice/team.html", {
        "staff": shop_of(request).staff.order_by("first_name", "username"),
        "form": form, "link": link, "is_owner": is_owner, "nav": "team"})


@merchant_page
@require_POST
def staff_access(request: AuthedRequest, user_id: int) -> HttpResponse:
    active = request.POST.get("active") == "1"
    attempt(request, lambda: staff_access_set(by=request.user, user_id=user_id, active=active),
            lambda person: f"Zugang von {person.display_name} "
                           f"{'wieder freigegeben' if active else 'gesperrt'}.")
    return redirect("web:backoffice:team")

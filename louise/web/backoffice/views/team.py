"""The shop's team: the owner invites staff by a link; the invited person signs up."""

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from louise.catalog.invitations import (
    invitation_accept,
    invitation_create,
    invitation_read,
    require_shop_owner,
    staff_access_set,
)
from louise.core.errors import DomainError
from louise.web.access import AuthedRequest

from ..common import attempt, merchant_page, shop_of
from ..forms import InviteForm, JoinForm


@merchant_page
def team_page(request: AuthedRequest) -> HttpResponse:
    is_owner = request.user.has_perm("catalog.manage_shop")
    form = InviteForm(request.POST or None)
    link = None
    if request.method == "POST":
        require_shop_owner(request.user)
        if form.is_valid():
            email = form.cleaned_data["email"]
            link = attempt(request, lambda: invitation_create(
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


def join_page(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the invited person creates their staff account from the link."""
    try:
        invitation = invitation_read(token=token)
    except DomainError as exc:
        return render(request, "backoffice/join.html", {"error": exc.message}, status=400)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = attempt(request, lambda: invitation_accept(token=token, **form.cleaned_data),
                       "Willkommen im Team!")
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("web:backoffice:inbox")
    return render(request, "backoffice/join.html", {"form": form, "invitation": invitation})

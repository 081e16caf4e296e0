"""The page behind every invitation link (`accounts.invitations`): the invited person
creates their account and lands on their role's start page."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from louise.accounts.invitations import (
    Newcomer,
    invitation_accept,
    invitation_describe,
    invitation_read,
)
from louise.core.errors import DomainError

from .access import HOME_BY_ROLE


class JoinForm(forms.Form):
    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150, required=False)
    username = forms.CharField(label=_("Benutzername"), max_length=150)
    password = forms.CharField(label=_("Passwort"), widget=forms.PasswordInput)


def join_page(request: HttpRequest, token: str) -> HttpResponse:
    """Public: reached without an account, by whoever holds the link."""
    try:
        invitation = invitation_read(token=token)
    except DomainError as exc:
        return render(request, "web/join.html", {"error": exc.message}, status=400)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, newcomer=Newcomer(**form.cleaned_data))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Willkommen bei LOUISE!"))
            return redirect(HOME_BY_ROLE.get(user.role, "/"))
    return render(request, "web/join.html", {
        "form": form, "invitation": invitation, "role_text": invitation_describe(invitation)})

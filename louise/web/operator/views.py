"""The operator's own pages (`/betrieb/`): the town's console, without the Django admin."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from louise.core.errors import DomainError
from louise.geo.selectors import towns_of
from louise.web.access import AuthedRequest
from louise.web.legal import legal_page, legal_text_save
from louise.web.models import LegalKind

from .common import operator_page, operator_town


class LegalTextForm(forms.Form):
    body = forms.CharField(label=_("Text (Absätze durch eine Leerzeile trennen)"),
                           widget=forms.Textarea(attrs={"rows": 24}),
                           error_messages={"required": _("Der Text darf nicht leer sein.")})


@operator_page
def home(request: AuthedRequest) -> HttpResponse:
    return render(request, "operator/home.html", {
        "town": operator_town(request), "towns": towns_of(request.user),
        "pages": [legal_page(kind=kind) for kind in LegalKind]})


@operator_page
def legal_edit(request: AuthedRequest, kind: str) -> HttpResponse:
    if kind not in LegalKind.values:
        raise Http404("Diesen Text gibt es nicht.")
    page = legal_page(kind=kind)
    form = LegalTextForm(request.POST or None, initial={"body": page.body})
    if request.method == "POST" and form.is_valid():
        try:
            legal_text_save(kind=kind, body=form.cleaned_data["body"], by=request.user)
        except DomainError as exc:
            form.add_error("body", exc.message)
        else:
            messages.success(request, _("„%s“ ist veröffentlicht.") % page.title)
            return redirect("web:operator_home")
    return render(request, "operator/legal_edit.html", {"page": page, "form": form})

"""The town's report in the operator's console (`/betrieb/bericht/`): a period with the one
before, the figure groups, charts with their tables, the map of drops per zone, and the
what-if panel. The panel's script asks this same view for the panel alone (`teil=waswaere`),
which works out only the economics again on the basis the page just measured
(`selectors.what_if_for`), so the page and the script share one server function
(`reports.figures.what_if`); without the script the panel's button reloads the page with
the levers. The panel is a form of its own, with
the period in hidden fields: a new period is measured afresh, without the old levers. The
downloads take the same query.
"""

from decimal import Decimal

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from louise.accounts.access import town_ids
from louise.core.calendar import BERLIN
from louise.core.errors import Invalid
from louise.core.money import euros
from louise.geo.selectors import towns_of
from louise.reports.charts import TITLES, charts_of
from louise.reports.selectors import (
    REGION,
    Period,
    Report,
    period_parse,
    report_compared,
    report_kept,
    what_if_for,
)
from louise.reports.tables import figure_groups
from louise.simulation.history import history_progress
from louise.web.access import AuthedRequest
from louise.web.downloads import download

from .common import operator_page, operator_town
from .forms import ConsoleForm

FILES = ("pdf", "xlsx", "zip")
PERIODS = [("day", _("Tag")), ("week", _("Woche")), ("month", _("Monat")),
           ("custom", _("frei"))]


class ReportForm(ConsoleForm):
    zeitraum = forms.ChoiceField(label=_("Zeitraum"), choices=PERIODS, required=False)
    ab = forms.CharField(label=_("ab (Tag; für Monat und Woche: ein Tag darin)"),
                         required=False, max_length=10,
                         widget=forms.DateInput(attrs={"type": "date"}))
    bis = forms.CharField(label=_("bis (nur frei)"), required=False, max_length=10,
                          widget=forms.DateInput(attrs={"type": "date"}))
    gebuehr = forms.DecimalField(label=_("Gebühr je Zustellung (€)"), required=False,
                                 min_value=Decimal(0), max_value=Decimal(100), decimal_places=2,
                                 widget=forms.NumberInput(attrs={"step": "0.01"}))
    anteil = forms.DecimalField(label=_("Anteil vom Warenwert der Geschäfte (%)"),
                                required=False, min_value=Decimal(0), max_value=Decimal(100),
                                decimal_places=2,
                                widget=forms.NumberInput(attrs={"step": "0.01"}))
    bestellungen = forms.DecimalField(label=_("Bestellungen je Liefertag"), required=False,
                                      min_value=Decimal(0), max_value=Decimal(100_000),
                                      decimal_places=1,
                                      widget=forms.NumberInput(attrs={"step": "0.1"}))
    rad = forms.DecimalField(label=_("Anteil mit dem Lastenrad (%)"), required=False,
                             min_value=Decimal(0), max_value=Decimal(100), decimal_places=1,
                             widget=forms.NumberInput(attrs={"step": "0.1"}))

    def hidden_period(self) -> list[forms.BoundField]:
        """The period's fields, carried by the what-if panel's own form."""
        return [self["zeitraum"], self["ab"], self["bis"]]

    def period(self) -> Period:
        data = self.cleaned_data
        return period_parse(data["zeitraum"] or "month", data["ab"], data["bis"],
                            today=timezone.now().astimezone(BERLIN).date())

    def lever(self) -> dict[str, float]:
        """The what-if's levers that were given, in the report's units."""
        data, out = self.cleaned_data, {}
        if data.get("gebuehr") is not None:
            out["fee_cents"] = round(data["gebuehr"] * 100)
        if data.get("anteil") is not None:
            out["merchant_percent"] = float(data["anteil"])
        if data.get("bestellungen") is not None:
            out["orders_per_day"] = float(data["bestellungen"])
        if data.get("rad") is not None:
            out["bike_share"] = float(data["rad"]) / 100
        return out


def _scope(request: AuthedRequest) -> str:
    """The region (its operator only, else a 404 from the selector) or a town of the person."""
    if request.GET.get("stadt") == REGION:
        return REGION
    return operator_town(request).slug


def _asked(request: AuthedRequest) -> tuple[ReportForm, Period] | ReportForm:
    """The period asked for (this month unless told); the form with its errors if the
    query is bad."""
    form = ReportForm(request.GET)
    if not form.is_valid():
        return form
    try:
        return form, form.period()
    except Invalid as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return form


def _shown(form: ReportForm, report: Report) -> ReportForm:
    """The form as the page shows it: what was asked, and the levers as the period had them
    where none was given."""
    lever = report.lever
    measured = {"zeitraum": report.period.kind, "ab": report.period.first.isoformat(),
                "gebuehr": euros(lever.fee_cents), "anteil": lever.merchant_percent,
                "bestellungen": lever.orders_per_day, "rad": round(lever.bike_share * 100, 1)}
    data = {name: form.data.get(name) or measured.get(name, "") for name in form.fields}
    shown = ReportForm(data)
    shown.is_valid()
    return shown


@operator_page
def report_page(request: AuthedRequest) -> HttpResponse:
    scope = _scope(request)
    found = _asked(request)
    context: dict[str, object] = {
        "scope": scope, "towns": towns_of(request.user),
        "region": town_ids(request.user) is None, "query": request.GET.urlencode()}
    panel = request.GET.get("teil") == "waswaere"  # the what-if panel alone, for its script
    if isinstance(found, ReportForm):
        if panel:
            return render(request, "operator/_report_whatif.html",
                          {"problems": _problems(found)}, status=400)
        return render(request, "operator/report.html", {**context, "form": found}, status=400)
    form, period = found
    if panel:
        return render(request, "operator/_report_whatif.html", {
            "outcome": what_if_for(request.user, scope, period, form.lever())})
    report, previous = report_compared(request.user, scope, period, form.lever())
    return render(request, "operator/report.html", {
        **context, "form": _shown(form, report), "report": report, "previous": previous,
        "outcome": report.outcome, "groups": figure_groups(report, previous),
        "charts": charts_of(report), "history": history_progress(report.towns)})


@operator_page
def report_chart(request: AuthedRequest, key: str) -> HttpResponse:
    """One chart of the page's report as an SVG image, drawn from the report the page just
    measured (`report_kept`): the page itself draws none, so it answers before the pictures."""
    if key not in TITLES:
        raise Http404
    scope, found = _scope(request), _asked(request)
    if isinstance(found, ReportForm):
        return _bad_query(found)
    # matplotlib only for a picture (as reportlab and openpyxl only for a download)
    from louise.reports.drawing import drawn

    report = report_kept(request.user, scope, found[1])
    response = HttpResponse(drawn(report, key, "svg"), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    return response


def _problems(form: ReportForm) -> list[str]:
    """The form's errors in words, each with the field it is about."""
    return [f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
            for name, errors in form.errors.items() for error in errors]


def _bad_query(form: ReportForm) -> HttpResponse:
    return HttpResponse(" ".join(_problems(form)), status=400,
                        content_type="text/plain; charset=utf-8")


def _file_name(report: Report, ext: str) -> str:
    place = "region" if len(report.towns) > 1 else report.towns[0].slug
    return f"bericht-{place}-{report.period.first:%Y-%m-%d}-{report.period.last:%Y-%m-%d}.{ext}"


@operator_page
def report_file(request: AuthedRequest, ext: str) -> HttpResponse:
    """The report as PDF, its tables as XLSX or as CSV files in a ZIP (`ext`: one of FILES,
    fixed by the URL)."""
    scope, found = _scope(request), _asked(request)
    if isinstance(found, ReportForm):
        return _bad_query(found)
    _form, period = found
    # reportlab and openpyxl only for a download
    from louise.reports.exports import report_csv_zip, report_pdf, report_xlsx

    report, previous = report_compared(request.user, scope, period)
    if ext == "pdf":
        return download(report_pdf(report, previous, made=timezone.now()),
                        name=_file_name(report, "pdf"), content_type="application/pdf")
    if ext == "xlsx":
        return download(report_xlsx(report, previous), name=_file_name(report, "xlsx"),
                        content_type="application/vnd.openxmlformats-officedocument."
                                     "spreadsheetml.sheet")
    return download(report_csv_zip(report, previous), name=_file_name(report, "zip"),
                    content_type="application/zip")


"""The town's money in the operator's console (`/betrieb/geld/`): fee schedules and the SEPA
creditor, collection runs (the button makes the pain.008 file), returns (camt.054 upload or
by hand), and the shops' month (statements, invoices, payout file). Each page parses, calls
one service or selector, renders; the town is the console's (`operator_town`)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from louise.billing import selectors
from louise.billing.collection import collection_run
from louise.billing.customer_invoices import customer_invoices_issue
from louise.billing.fees import Span, customer_fees_create, merchant_fees_create
from louise.billing.invoices import invoice_cancel
from louise.billing.models import BillingSettings, InvoicePayer
from louise.billing.notifications import letters_of, prenotice_letters_pdf, prenotice_letters_sent
from louise.billing.returns import blocked_in, camt_import, debit_return_by_hand, returns_clear
from louise.billing.services import creditor_save, merchant_account_save
from louise.catalog.models import Merchant
from louise.core.errors import Invalid
from louise.core.money import euro_text
from louise.geo.models import Town
from louise.geo.selectors import towns_of
from louise.hotline.selectors import customers_of_town
from louise.hotline.services import invoice_payment_allow
from louise.reports.statements import month_close
from louise.web.access import AuthedRequest
from louise.web.backoffice.common import attempt, submit
from louise.web.downloads import download, invoice_download

from .common import operator_page, operator_town
from .money_forms import (
    AccountForm,
    CamtForm,
    ClearReturnsForm,
    CreditorForm,
    CustomerFeesForm,
    MerchantFeesForm,
    MonthForm,
    ReturnForm,
    RunForm,
)

CAMT_MAX_BYTES = 5 * 1024 * 1024


def _xml(content: str, name: str) -> HttpResponse:
    return download(content, name=name, content_type="application/xml; charset=utf-8")


@operator_page
def fees_page(request: AuthedRequest) -> HttpResponse:
    town = operator_town(request)
    merchants = Merchant.objects.filter(town=town).order_by("name")
    creditor = BillingSettings.objects.filter(town=town).first()
    forms = {"customer": CustomerFeesForm(prefix="kunde"),
             "merchant": MerchantFeesForm(prefix="haendler", merchants=merchants),
             "account": AccountForm(prefix="konto", merchants=merchants),
             "creditor": CreditorForm(prefix="glaeubiger", initial=creditor and {
                 "creditor_name": creditor.creditor_name, "creditor_id": creditor.creditor_id,
                 "iban": creditor.iban, "bic": creditor.bic, "notice_days": creditor.notice_days,
                 "block_after_returns": creditor.block_after_returns})}
    if request.method == "POST":
        done: object
        which = request.POST.get("form", "")
        if which == "customer":
            form = forms["customer"] = CustomerFeesForm(request.POST, prefix="kunde")
            done = submit(request, form, lambda d: customer_fees_create(
                by=request.user, town_id=town.pk, span=Span(d["valid_from"], d["valid_until"]),
                **form.amounts()), "Kundengebühren angelegt.")
        elif which == "merchant":
            mform = forms["merchant"] = MerchantFeesForm(request.POST, prefix="haendler",
                                                         merchants=merchants)
            done = submit(request, mform, lambda d: merchant_fees_create(
                by=request.user, town_id=town.pk, span=Span(d["valid_from"], d["valid_until"]),
                **mform.amounts()), "Händlergebühren angelegt.")
        elif which == "account":
            forms["account"] = AccountForm(request.POST, prefix="konto", merchants=merchants)
            done = submit(request, forms["account"], lambda d: merchant_account_save(
                by=request.user, merchant_id=d["merchant"].pk, holder=d["holder"],
                iban=d["iban"], vat_id=d["vat_id"]), "Auszahlungskonto gespeichert.")
        else:
            forms["creditor"] = CreditorForm(request.POST, prefix="glaeubiger")
            done = submit(request, forms["creditor"], lambda d: creditor_save(
                by=request.user, town_id=town.pk, **d), "Gläubiger gespeichert.")
        if done is not None:
            return redirect("web:operator_money")
    customer_fees, merchant_fees = selectors.fees_of(town)
    return render(request, "operator/money_fees.html", {
        "town": town, "towns": towns_of(request.user), "forms": forms,
        "customer_fees": customer_fees, "merchant_fees": merchant_fees})


@operator_page
def runs_page(request: AuthedRequest) -> HttpResponse:
    town = operator_town(request)
    form = RunForm(request.POST or None)
    if request.method == "POST":
        run = submit(request, form, lambda d: collection_run(
            town_id=town.pk, due=d["due"], by=request.user),
            lambda r: f"Einzugslauf zum {r.due:%d.%m.%Y}: {r.count} Lastschriften, "
                      f"{euro_text(r.total_cents)}.")
        if run is not None:
            return redirect("web:operator_money_run", collection_id=run.pk)
    return render(request, "operator/money_runs.html", {
        "town": town, "towns": towns_of(request.user), "form": form,
        "runs": selectors.runs_of(town)})


@operator_page
def run_page(request: AuthedRequest, collection_id: int) -> HttpResponse:
    town = operator_town(request)
    run = selectors.run_of(town, collection_id)
    return render(request, "operator/money_run.html", {
        "town": town, "towns": towns_of(request.user), "run": run, "form": ReturnForm(),
        "debits": run.debits.select_related("customer", "mandate"),
        "letters": letters_of(run).count(),
        "letters_open": letters_of(run).filter(notified_at__isnull=True).count()})


@operator_page
def run_letters(request: AuthedRequest, collection_id: int) -> HttpResponse:
    run = selectors.run_of(operator_town(request), collection_id)
    return download(prenotice_letters_pdf(run=run, today=timezone.localdate()),
                    name=f"vorabankuendigungen-{run.due:%Y-%m-%d}.pdf",
                    content_type="application/pdf")


@require_POST
@operator_page
def run_letters_sent(request: AuthedRequest, collection_id: int) -> HttpResponse:
    run = selectors.run_of(operator_town(request), collection_id)
    attempt(request, lambda: prenotice_letters_sent(by=request.user, run_id=run.pk),
            lambda n: f"{n} Vorabankündigung(en) als per Brief versandt vermerkt.")
    return redirect("web:operator_money_run", collection_id=run.pk)


@operator_page
def run_file(request: AuthedRequest, collection_id: int) -> HttpResponse:
    run = selectors.run_of(operator_town(request), collection_id)
    return _xml(run.xml, f"lastschriften-{run.due:%Y-%m-%d}.xml")


@require_POST
@operator_page
def debit_return(request: AuthedRequest, collection_id: int, debit_id: int) -> HttpResponse:
    run = selectors.run_of(operator_town(request), collection_id)
    debit = run.debits.filter(pk=debit_id).first()
    if debit is None:
        messages.error(request, f"Die Lastschrift Nr. {debit_id} gehört nicht zum Einzugslauf "
                                f"vom {run.due:%d.%m.%Y}; es wurde nichts gebucht.")
    else:
        submit(request, ReturnForm(request.POST), lambda d: debit_return_by_hand(
            by=request.user, debit_id=debit.pk, reason=d["reason"]),
            f"Lastschrift {debit.end_to_end_id} als zurückgegeben gebucht.")
    return redirect("web:operator_money_run", collection_id=run.pk)


@operator_page
def returns_page(request: AuthedRequest) -> HttpResponse:
    town = operator_town(request)
    form = CamtForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > CAMT_MAX_BYTES:
            form.add_error("file", "Die Datei ist zu groß (höchstens 5 MB).")
        elif attempt(request, lambda: camt_import(town_id=town.pk, content=upload.read(),
                                                  by=request.user),
                     lambda done: f"{len(done)} Rücklastschrift(en) gebucht.") is not None:
            return redirect("web:operator_money_returns")
    return render(request, "operator/money_returns.html", {
        "town": town, "towns": towns_of(request.user), "form": form,
        "returned": selectors.returns_of(town), "blocked": blocked_in(town)})


@require_POST
@operator_page
def returns_clear_view(request: AuthedRequest, customer_id: int) -> HttpResponse:
    returns_cleared(request, operator_town(request), customer_id)
    return redirect("web:operator_money_returns")


def returns_cleared(request: AuthedRequest, town: Town, customer_id: int) -> None:
    """The hotline's and the operator's button: a blocked customer may order again."""
    submit(request, ClearReturnsForm(request.POST), lambda d: returns_clear(
        by=request.user, town_id=town.pk, customer_id=customer_id, note=d["note"]),
        "Rücklastschriften geklärt: Bestellungen sind wieder möglich.")


def _digits(text: str) -> int:
    """A posted id; anything else is no customer (0), which the service answers with 404."""
    return int(text) if text.isdigit() else 0


@operator_page
def statements_page(request: AuthedRequest) -> HttpResponse:
    town = operator_town(request)
    form = MonthForm(request.POST or None)
    if request.method == "POST":
        done = submit(request, form, lambda d: month_close(
            by=request.user, town_id=town.pk, month=d["month"]),
            lambda made: f"Monat abgerechnet: {len(made[0])} Abrechnungen, Auszahlung "
                         f"{euro_text(made[1].total_cents)}.")
        if done is not None:
            return redirect("web:operator_money_statements")
    return render(request, "operator/money_statements.html", {
        "town": town, "towns": towns_of(request.user), "form": form,
        "statements": selectors.statements_of(town), "invoices": selectors.invoices_of(town),
        "payouts": selectors.payouts_of(town)})


@operator_page
def invoice_pdf(request: AuthedRequest, invoice_id: int) -> HttpResponse:
    return invoice_download(selectors.invoice_of(operator_town(request), invoice_id))


@require_POST
@operator_page
def invoice_cancel_view(request: AuthedRequest, invoice_id: int) -> HttpResponse:
    invoice = selectors.invoice_of(operator_town(request), invoice_id)
    attempt(request, lambda: invoice_cancel(by=request.user, invoice_id=invoice.pk),
            lambda note: f"Rechnung {invoice.label} durch Gutschrift {note.label} storniert.")
    return redirect("web:operator_money_statements")


@operator_page
def payout_file(request: AuthedRequest, payout_id: int) -> HttpResponse:
    payout = selectors.payout_of(operator_town(request), payout_id)
    return _xml(payout.xml, f"auszahlungen-{payout.month:%Y-%m}.xml")


def _payer_id(request: AuthedRequest, town) -> int:
    """The customer a posted username names, among the town's customers."""
    username = request.POST.get("username", "").strip()
    found = customers_of_town(by=request.user, town=town).filter(username=username).first()
    if found is None:
        raise Invalid(f"Eine Kundin / einen Kunden „{username[:40]}“ gibt es in "
                      f"{town.name} nicht.", field="username")
    return found.pk


@operator_page
def invoice_payers_page(request: AuthedRequest) -> HttpResponse:
    """Customers who pay by invoice (allowed or taken back here, audited) and their
    invoices (issued with the button, one PDF each)."""
    town = operator_town(request)
    action = request.POST.get("action", "")
    if action == "issue":
        attempt(request, lambda: customer_invoices_issue(town_id=town.pk, by=request.user),
                lambda made: f"{len(made)} Rechnungen gestellt.")
    elif action in ("allow", "revoke"):
        attempt(request, lambda: invoice_payment_allow(
            by=request.user, town=town, allowed=action == "allow",
            customer_id=(_payer_id(request, town) if action == "allow"
                         else _digits(request.POST.get("customer", "")))),
            "Zahlung auf Rechnung erlaubt." if action == "allow"
            else "Zahlung auf Rechnung entzogen.")
    if request.method == "POST":
        return redirect("web:operator_money_payers")
    customers = customers_of_town(by=request.user, town=town)
    return render(request, "operator/money_payers.html", {
        "town": town, "towns": towns_of(request.user),
        "payers": InvoicePayer.objects.filter(customer__in=customers)
        .select_related("customer", "allowed_by").order_by("customer__last_name"),
        "invoices": selectors.customer_invoices_of(town)})


@operator_page
def customer_invoice_pdf(request: AuthedRequest, invoice_id: int) -> HttpResponse:
    return invoice_download(selectors.customer_invoice_of(operator_town(request), invoice_id))

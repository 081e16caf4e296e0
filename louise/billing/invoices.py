"""LOUISE's invoices for shop fees: numbered without gaps per town and year (the town row is
locked while a number is drawn), never changed, cancelled only by a credit note. Each is a
PDF (reportlab) carrying its EN 16931 e-invoice (Factur-X, CII XML checked against the
schema by `facturx` before it is embedded), as German B2B e-invoicing asks."""

import io
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from facturx import generate_from_binary
from lxml import etree
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from louise.accounts.access import require_role
from louise.accounts.audit import audit_record
from louise.accounts.models import Role, User
from louise.catalog.models import Merchant
from louise.core.calendar import BERLIN
from louise.core.errors import Conflict, NotFound
from louise.core.money import euro_text
from louise.geo.models import Town
from louise.geo.towns import town_managed

from .collection import billing_settings_of
from .models import BillingSettings, CustomerInvoice, Invoice, MerchantAccount

VAT_RATE = 19  # LOUISE's services are taxed at the standard rate

_NS = {"rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
       "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
       "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"}


@dataclass(frozen=True)
class InvoiceLine:
    label: str
    quantity: int
    net_cents: int


def vat_of(net_cents: int) -> int:
    return round(net_cents * VAT_RATE / 100)


def _amount(cents: int) -> str:
    return f"{cents / 100:.2f}"


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str):
    prefix, name = tag.split(":")
    node = etree.SubElement(parent, f"{{{_NS[prefix]}}}{name}", **attrs)
    if text is not None:
        node.text = text
    return node


def _party(parent: etree._Element, tag: str, name: str, vat_id: str) -> None:
    party = _el(parent, tag)
    _el(party, "ram:Name", name)
    _el(_el(party, "ram:PostalTradeAddress"), "ram:CountryID", "DE")
    if vat_id:
        _el(_el(party, "ram:SpecifiedTaxRegistration"), "ram:ID", vat_id, schemeID="VA")


def cii_xml(invoice: Invoice, creditor: BillingSettings, buyer: str, buyer_vat: str) -> bytes:
    """The invoice as Factur-X EN 16931 (CII) XML; a credit note is type 381 and names the
    invoice it cancels."""
    root = etree.Element(f"{{{_NS['rsm']}}}CrossIndustryInvoice", nsmap=_NS)
    context = _el(root, "rsm:ExchangedDocumentContext")
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID",
        "urn:cen.eu:en16931:2017")
    document = _el(root, "rsm:ExchangedDocument")
    _el(document, "ram:ID", invoice.label)
    _el(document, "ram:TypeCode", "381" if invoice.cancels_id else "380")
    _el(_el(document, "ram:IssueDateTime"), "udt:DateTimeString",
        f"{invoice.issued_on:%Y%m%d}", format="102")
    sign = -1 if invoice.cancels_id else 1  # a credit note states positive amounts
    trade = _el(root, "rsm:SupplyChainTradeTransaction")
    for n, line in enumerate(invoice.lines, start=1):
        item = _el(trade, "ram:IncludedSupplyChainTradeLineItem")
        _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", str(n))
        _el(_el(item, "ram:SpecifiedTradeProduct"), "ram:Name", line["label"])
        unit = sign * line["net_cents"] / max(line["quantity"], 1)
        _el(_el(_el(item, "ram:SpecifiedLineTradeAgreement"),
                "ram:NetPriceProductTradePrice"), "ram:ChargeAmount", f"{unit / 100:.4f}")
        _el(_el(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity",
            str(max(line["quantity"], 1)), unitCode="C62")
        settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:TypeCode", "VAT")
        _el(tax, "ram:CategoryCode", "S")
        _el(tax, "ram:RateApplicablePercent", str(VAT_RATE))
        _el(_el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation"),
            "ram:LineTotalAmount", _amount(sign * line["net_cents"]))
    agreement = _el(trade, "ram:ApplicableHeaderTradeAgreement")
    _party(agreement, "ram:SellerTradeParty", creditor.creditor_name, creditor.vat_id)
    _party(agreement, "ram:BuyerTradeParty", buyer, buyer_vat)
    delivery = _el(trade, "ram:ApplicableHeaderTradeDelivery")
    _el(_el(_el(delivery, "ram:ActualDeliverySupplyChainEvent"), "ram:OccurrenceDateTime"),
        "udt:DateTimeString", f"{invoice.period_end:%Y%m%d}", format="102")
    settlement = _el(trade, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:InvoiceCurrencyCode", "EUR")
    net, vat = sign * invoice.net_cents, sign * invoice.vat_cents
    tax = _el(settlement, "ram:ApplicableTradeTax")
    _el(tax, "ram:CalculatedAmount", _amount(vat))
    _el(tax, "ram:TypeCode", "VAT")
    _el(tax, "ram:BasisAmount", _amount(net))
    _el(tax, "ram:CategoryCode", "S")
    _el(tax, "ram:RateApplicablePercent", str(VAT_RATE))
    period = _el(settlement, "ram:BillingSpecifiedPeriod")
    _el(_el(period, "ram:StartDateTime"), "udt:DateTimeString",
        f"{invoice.period_start:%Y%m%d}", format="102")
    _el(_el(period, "ram:EndDateTime"), "udt:DateTimeString",
        f"{invoice.period_end:%Y%m%d}", format="102")
    _el(_el(settlement, "ram:SpecifiedTradePaymentTerms"), "ram:Description",
        "Mit der Auszahlung des Monats verrechnet.")
    total = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(total, "ram:LineTotalAmount", _amount(net))
    _el(total, "ram:TaxBasisTotalAmount", _amount(net))
    _el(total, "ram:TaxTotalAmount", _amount(vat), currencyID="EUR")
    _el(total, "ram:GrandTotalAmount", _amount(net + vat))
    _el(total, "ram:DuePayableAmount", _amount(net + vat))
    if invoice.cancels is not None:
        _el(_el(settlement, "ram:InvoiceReferencedDocument"), "ram:IssuerAssignedID",
            invoice.cancels.label)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _pdf(invoice: Invoice, creditor: BillingSettings, buyer: str) -> bytes:
    """The human-readable invoice; the e-invoice is embedded into it afterwards."""
    kind = "Gutschrift (Stornorechnung)" if invoice.cancels_id else "Rechnung"
    rows = [(f"{kind} {invoice.label}", 14), (creditor.creditor_name, 10),
            (creditor.address, 10), (f"USt-IdNr. {creditor.vat_id}", 10), ("", 10),
            (f"An: {buyer}", 10), (f"Rechnungsdatum: {invoice.issued_on:%d.%m.%Y}", 10),
            (f"Leistungszeitraum: {invoice.period_start:%d.%m.%Y} – "
             f"{invoice.period_end:%d.%m.%Y}", 10), ("", 10)]
    if invoice.cancels is not None:
        rows.append((f"Storniert die Rechnung {invoice.cancels.label}.", 10))
    rows += [(f"{line['quantity']} × {line['label']}: {euro_text(line['net_cents'])}", 10)
             for line in invoice.lines]
    rows += [("", 10), (f"Summe netto: {euro_text(invoice.net_cents)}", 10),
             (f"USt. {VAT_RATE} %: {euro_text(invoice.vat_cents)}", 10),
             (f"Gesamt: {euro_text(invoice.gross_cents)}", 12),
             ("Der Betrag wird mit der Auszahlung des Monats verrechnet.", 9)]
    return pdf_of_rows(invoice.label, rows)


def pdf_of_rows(title: str, rows: list[tuple[str, int]]) -> bytes:
    """An A4 document of text rows (text, font size; larger than 10 is bold)."""
    return pdf_of_documents(title, [rows])


def pdf_of_documents(title: str, documents: list[list[tuple[str, int]]]) -> bytes:
    """Several documents of text rows in one file, each from a new page (letters to print
    in one go)."""
    buffer = io.BytesIO()
    page = Canvas(buffer, pagesize=A4)
    page.setTitle(title)
    for rows in documents:
        y = 270 * mm
        for text, size in rows:
            if y < 20 * mm:  # a long list goes on over the next page
                page.showPage()
                y = 270 * mm
            page.setFont("Helvetica-Bold" if size > 10 else "Helvetica", size)
            page.drawString(20 * mm, y, text)
            y -= 7 * mm
        page.showPage()
    page.save()
    return buffer.getvalue()


def next_number(series: type[Invoice] | type[CustomerInvoice], town: Town, year: int) -> int:
    """The next number of a document series (shops' or customers' invoices) in the town's
    year, without gaps; call with the town row locked."""
    last = series.objects.filter(town=town, year=year).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _issue(*, town: Town, merchant: Merchant, lines: list[InvoiceLine], period: tuple[date, date],
           issued_on: date, number: int, creditor: BillingSettings,
           account: MerchantAccount | None, cancels: Invoice | None = None) -> Invoice:
    """Render and store one document under `number`; the caller holds the town's row lock."""
    net = sum(line.net_cents for line in lines)
    invoice = Invoice(town=town, merchant=merchant, year=issued_on.year, number=number,
                      issued_on=issued_on, period_start=period[0], period_end=period[1],
                      cancels=cancels,
                      lines=[{"label": line.label, "quantity": line.quantity,
                              "net_cents": line.net_cents} for line in lines],
                      net_cents=net, vat_cents=vat_of(net) if cancels is None
                      else -cancels.vat_cents)
    buyer, buyer_vat = merchant.name, account.vat_id if account else ""
    invoice.pdf = generate_from_binary(_pdf(invoice, creditor, buyer),
                                       cii_xml(invoice, creditor, buyer, buyer_vat),
                                       flavor="factur-x", level="en16931", check_xsd=True,
                                       lang="de-DE")
    invoice.save()
    return invoice


def invoices_issue(*, town: Town, bills: list[tuple[Merchant, list[InvoiceLine]]],
                   period: tuple[date, date], issued_on: date) -> list[Invoice]:
    """New invoices of the town, numbered on in the order given (call inside a
    transaction): the town, its creditor, the shops' accounts and the last number are read
    once, however many shops a month closes."""
    Town.objects.select_for_update().get(pk=town.pk)
    creditor = billing_settings_of(town)
    accounts = {a.merchant_id: a for a in MerchantAccount.objects.filter(
        merchant__in=[merchant for merchant, _lines in bills])}
    first = next_number(Invoice, town, issued_on.year)
    return [_issue(town=town, merchant=merchant, lines=lines, period=period,
                   issued_on=issued_on, number=first + n, creditor=creditor,
                   account=accounts.get(merchant.pk))
            for n, (merchant, lines) in enumerate(bills)]


def invoice_issue(*, town: Town, merchant: Merchant, lines: list[InvoiceLine],
                  period: tuple[date, date], issued_on: date) -> Invoice:
    """A new invoice of the town (call inside a transaction)."""
    return invoices_issue(town=town, bills=[(merchant, lines)], period=period,
                          issued_on=issued_on)[0]


@transaction.atomic
def invoice_cancel(*, by: User, invoice_id: int, issued_on: date | None = None) -> Invoice:
    """Cancel an invoice by a credit note with the next number; the invoice stays as it was."""
    require_role(by, Role.OPERATOR)
    invoice = Invoice.objects.select_related("merchant").filter(pk=invoice_id).first()
    if invoice is None or invoice.cancels_id is not None:
        raise NotFound("Diese Rechnung gibt es nicht.")
    town = town_managed(by=by, pk=invoice.town_id)
    if Invoice.objects.filter(cancels=invoice).exists():
        raise Conflict(f"Die Rechnung {invoice.label} ist schon storniert.")
    issued_on = issued_on or timezone.now().astimezone(BERLIN).date()
    note = _issue(town=town, merchant=invoice.merchant,
                  lines=[InvoiceLine(f"Storno: {line['label']}", line["quantity"],
                                     -line["net_cents"]) for line in invoice.lines],
                  period=(invoice.period_start, invoice.period_end), issued_on=issued_on,
                  number=next_number(Invoice, town, issued_on.year),
                  creditor=billing_settings_of(town),
                  account=MerchantAccount.objects.filter(merchant=invoice.merchant).first(),
                  cancels=invoice)
    audit_record(by=by, action="storniert", obj=invoice, town_id=town.pk, note=note.label)
    return note

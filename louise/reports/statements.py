"""A town's month for its shops: each shop's statement (goods LOUISE collected for it by
direct debit, its fees under the schedules its orders were placed with, the payout), the
invoice for the fees, and the payout file. Made once per town and month; the town row is
locked meanwhile, so invoice numbers have no gaps.

Goods count in the month whose collection run (due date) took them; a return takes them
out again until a later run collects them. Fees by kind: a share of those goods, per order
and per parcel of the orders they belong to, per counter delivery placed in the month, and
the monthly flat fee of the schedule in force on the month's last day.

A month whose fees exceed the shop's goods pays out nothing (a credit transfer cannot be
negative): its balance is carried into the shop's next statement, as a line of its own,
until goods cover it. So months are closed in order: a month before one already closed is
refused, its balance would never be carried.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from louise.accounts.models import User
from louise.billing.fees import merchant_schedules_on
from louise.billing.invoices import InvoiceLine, invoices_issue, vat_of
from louise.billing.models import LedgerEntry, MerchantFees, PayoutRun, Statement
from louise.billing.payouts import payout_run
from louise.catalog.models import Merchant
from louise.core.calendar import BERLIN
from louise.core.errors import Invalid
from louise.geo.models import Town
from louise.geo.towns import town_managed
from louise.orders.models import CALLED_OFF, Channel, Order


def month_span(month: date) -> tuple[date, date]:
    """First and last day of the month `month` lies in."""
    first = month.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _fee_lines(entries: list[LedgerEntry], counter: list[Order], flat: MerchantFees | None,
               first: date) -> list[InvoiceLine]:
    share = per_order = per_parcel = 0
    orders: dict[int, Order] = {}
    goods: dict[int, int] = defaultdict(int)
    for entry in entries:
        order = entry.order
        assert order is not None  # goods entries always name their order
        schedule: MerchantFees | None = order.merchant_fees
        if schedule is not None:
            share += entry.amount_cents * schedule.percent_bp
        orders[order.pk] = order
        goods[order.pk] += entry.amount_cents
    # An order counts if goods were collected for it: not one cancelled or refused whole.
    orders = {pk: order for pk, order in orders.items() if goods[pk] > 0}
    for order in orders.values():
        if order.merchant_fees is not None:
            per_order += order.merchant_fees.per_order_cents
            per_parcel += order.merchant_fees.per_parcel_cents * order.parcels
    lines = [
        InvoiceLine("Anteil am eingezogenen Warenumsatz", 1, round(share / 10_000)),
        InvoiceLine("Gebühr je Bestellung", len(orders), per_order),
        InvoiceLine("Gebühr je abgeholtem Paket",
                    sum(o.parcels for o in orders.values()), per_parcel),
        InvoiceLine("Thekenlieferungen", len(counter),
                    sum(o.merchant_fees.per_counter_cents for o in counter
                        if o.merchant_fees is not None)),
        InvoiceLine(f"Monatspauschale {first:%m/%Y}", 1, flat.monthly_cents if flat else 0),
    ]
    return [line for line in lines if line.net_cents]


def month_close(*, by: User | None, town_id: int, month: date,
                today: date | None = None) -> tuple[list[Statement], PayoutRun]:
    """Statements, invoices and the payout file of a finished month (see the module's note);
    a second call answers with what the first made."""
    first, last = month_span(month)
    today = today or timezone.now().astimezone(BERLIN).date()
    if today <= last:
        raise Invalid(f"Der Monat {first:%m/%Y} ist noch nicht zu Ende.", field="month")
    with transaction.atomic():
        town = (town_managed(by=by, pk=town_id) if by is not None
                else Town.objects.select_for_update().get(pk=town_id))
        made = list(Statement.objects.filter(town=town, month=first))
        if not made:
            if (later := Statement.objects.filter(town=town, month__gt=first)
                    .order_by("month").first()) is not None:
                raise Invalid(f"{later.month:%m/%Y} ist schon abgerechnet: {first:%m/%Y} kann "
                              "nicht mehr nachträglich abgerechnet werden (ein negativer "
                              "Saldo ginge verloren).", field="month", code="month_order")
            made = _statements(town, first, last, today)
        return made, payout_run(town=town, month=first, execute_on=today + timedelta(days=1))


def _carried(town: Town, first: date) -> dict[int, int]:
    """Per shop, the negative payout of its last statement before `first`."""
    last_payout: dict[int, int] = {}
    for merchant_id, payout in (Statement.objects.filter(town=town, month__lt=first)
                                .order_by("month").values_list("merchant_id", "payout_cents")):
        last_payout[merchant_id] = payout
    return {pk: payout for pk, payout in last_payout.items() if payout < 0}


def _statements(town: Town, first: date, last: date, today: date) -> list[Statement]:
    carried = _carried(town, first)
    schedules = merchant_schedules_on(town, last)
    counter: dict[int, list[Order]] = defaultdict(list)
    for order in (Order.objects.select_related("merchant_fees")
                  .filter(merchant__town=town, checkout__channel=Channel.COUNTER,
                          placed_at__date__gte=first, placed_at__date__lte=last)
                  .exclude(status__in=CALLED_OFF)):
        counter[order.merchant_id].append(order)
    collected: dict[int, list[LedgerEntry]] = defaultdict(list)
    for entry in (LedgerEntry.objects.select_related("order__merchant_fees")
                  .filter(town=town, merchant__isnull=False, debit_lines__standing=True,
                          debit_lines__debit__run__due__gte=first,
                          debit_lines__debit__run__due__lte=last).order_by("id")):
        assert entry.merchant_id is not None
        collected[entry.merchant_id].append(entry)
    months = []
    for merchant in Merchant.objects.filter(town=town).order_by("name"):
        entries = collected.get(merchant.pk, [])
        lines = _fee_lines(entries, counter[merchant.pk],
                           schedules.get(merchant.pk) or schedules.get(None), first)
        carry = carried.get(merchant.pk, 0)
        if entries or lines or carry:
            months.append((merchant, entries, lines, carry))
    billed = [(merchant, lines) for merchant, _entries, lines, _carry in months
              if sum(line.net_cents for line in lines) > 0]
    invoices = {invoice.merchant_id: invoice for invoice in invoices_issue(
        town=town, bills=billed, period=(first, last), issued_on=today)} if billed else {}
    statements = []
    for merchant, entries, lines, carry in months:
        goods = sum(e.amount_cents for e in entries)
        net = sum(line.net_cents for line in lines)
        gross = net + vat_of(net) if net > 0 else 0
        statements.append(Statement(
            town=town, merchant=merchant, month=first, goods_cents=goods,
            fees=[{"label": x.label, "quantity": x.quantity, "net_cents": x.net_cents}
                  for x in lines], fees_gross_cents=gross, carried_cents=carry,
            payout_cents=goods - gross + carry, invoice=invoices.get(merchant.pk)))
    return Statement.objects.bulk_create(statements)

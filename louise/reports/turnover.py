"""A shop's turnover and fees per day or month, for its bookkeeping (CSV for the tax advisor).

An order counts once the shop has taken it on (accepted or later, not declined or
cancelled), on the Berlin date it was placed. Amounts are gross EUR cents; the VAT in
them is worked out per order and rate, as on each order's invoice, and then added up.
Counter deliveries count as deliveries with no goods turnover (the shop sold at its till).
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from louise.accounts.access import require_shop_owner, visible_to
from louise.accounts.models import User
from louise.core.calendar import BERLIN
from louise.core.money import euro_text
from louise.orders.models import NO_SALE, Order, OrderLine


@dataclass
class TurnoverRow:
    period: date
    orders: int = 0
    gross_cents: int = 0
    vat_cents: dict[int, int] = field(default_factory=lambda: {7: 0, 19: 0})
    delivery_fee_cents: int = 0
    merchant_fee_cents: int = 0

    @property
    def payout_cents(self) -> int:
        return self.gross_cents - self.merchant_fee_cents


def _vat_in(gross_cents: int, rate: int) -> int:
    return round(gross_cents * rate / (100 + rate))


def turnover(*, user: User, year: int, month: int | None = None) -> list[TurnoverRow]:
    """Rows per day of `month`, or per month of `year` when no month is given; the shop's
    owner only (staff at the counter do not see the money)."""
    require_shop_owner(user)
    start = date(year, month or 1, 1)
    end = (date(year + (month or 12) // 12, (month or 12) % 12 + 1, 1))
    orders = (visible_to(Order, user)
              .exclude(status__in=NO_SALE)
              .filter(placed_at__date__gte=start, placed_at__date__lt=end)
              .select_related("merchant_fees")
              .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.all())))
    rows: dict[date, TurnoverRow] = defaultdict(lambda: TurnoverRow(date.min))
    for order in orders:
        local = order.placed_at.astimezone(BERLIN).date()
        key = local if month else local.replace(day=1)
        row = rows[key]
        row.period = key
        row.orders += 1
        row.delivery_fee_cents += order.fee_cents
        # The per-order fee of the schedule the order was placed under, never today's;
        # the other fees are on the month's statement (`reports.statements`).
        row.merchant_fee_cents += (order.merchant_fees.per_order_cents
                                   if order.merchant_fees else 0)
        by_rate: dict[int, int] = defaultdict(int)
        for line in order.lines.all():
            by_rate[line.vat_rate] += line.total_cents
        for rate, gross in by_rate.items():
            row.gross_cents += gross
            row.vat_cents[rate] = row.vat_cents.get(rate, 0) + _vat_in(gross, rate)
    return sorted(rows.values(), key=lambda r: r.period)


def total(rows: list[TurnoverRow]) -> TurnoverRow:
    summed = TurnoverRow(date.min)
    for row in rows:
        summed.orders += row.orders
        summed.gross_cents += row.gross_cents
        summed.delivery_fee_cents += row.delivery_fee_cents
        summed.merchant_fee_cents += row.merchant_fee_cents
        for rate, cents in row.vat_cents.items():
            summed.vat_cents[rate] = summed.vat_cents.get(rate, 0) + cents
    return summed


def turnover_csv(rows: list[TurnoverRow], *, by_day: bool) -> str:
    """Semicolon-separated with decimal commas and a BOM, as German spreadsheets expect."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Tag" if by_day else "Monat", "Bestellungen", "Umsatz brutto (EUR)",
                     "darin MwSt. 7 % (EUR)", "darin MwSt. 19 % (EUR)",
                     "Liefergebühren Kunden (EUR)", "LOUISE-Gebühr (EUR)", "Auszahlung (EUR)"])
    for row in [*rows, total(rows)]:
        label = ("Summe" if row.period == date.min
                 else row.period.strftime("%d.%m.%Y" if by_day else "%m.%Y"))
        amounts = [row.gross_cents, row.vat_cents.get(7, 0), row.vat_cents.get(19, 0),
                   row.delivery_fee_cents, row.merchant_fee_cents, row.payout_cents]
        writer.writerow([label, row.orders, *(euro_text(a, symbol=False) for a in amounts)])
    return "\ufeff" + out.getvalue()

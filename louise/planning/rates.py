"""A vehicle's money costs in the solver's integer units, shared by PyVRP's objective and
the insertion pass, so both weigh a metre and a second alike."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Vehicle

COST_UNITS_PER_CENT = 360_000  # cost unit: cents per hour, per km, CO2 per g exact per s, m
# CO2 at 250 €/t: within the Umweltbundesamt's climate cost rates (Methodenkonvention 3.1,
# 2020: 195 €/t valuing future damage slightly less, 680 €/t valuing it equally).
CO2_CENTS_PER_KG = 25


@dataclass(frozen=True, slots=True)
class Rates:
    """A vehicle's costs in integer cost units."""

    fixed: int
    per_metre: int
    per_second: int
    span: int  # its shift's length: the most time a route can be paid for


def rates_of(v: Vehicle) -> Rates:
    """Money in units of 1/360,000 cent, so cents per hour and per km and the price of CO2
    are whole numbers per second and per metre; CO2 counts at ``CO2_CENTS_PER_KG``, which
    also makes the lower-emission vehicle win when money is equal."""
    per_metre = v.cost_per_km * COST_UNITS_PER_CENT // 1000
    per_metre += v.co2_g_per_km * CO2_CENTS_PER_KG * COST_UNITS_PER_CENT // 1_000_000
    per_second = v.cost_per_hour * COST_UNITS_PER_CENT // 3600
    span = max(v.shift.end - v.shift.start, 0)
    return Rates(v.fixed_cost * COST_UNITS_PER_CENT, per_metre, per_second, span)

"""Events written before kinds existed are classified from their notes by migration 0005."""

from importlib import import_module

import pytest

migration = import_module("louise.orders.migrations.0005_orderevent_kind")

OLD = [  # (from_status, to_status, note) as written before → (kind, note) after
    (("", "placed", "bestellt"), ("placed", "")),
    (("", "placed", "gebucht"), ("booked", "")),
    (("", "placed", "im Geschäft aufgegeben"), ("counter", "")),
    (("placed", "accepted", ""), ("status", "")),
    (("placed", "declined", "Leider ausverkauft"), ("status", "Leider ausverkauft")),
    (("failed", "out_for_delivery", "Ersatzweg: Paketstation"), ("fallback", "Paketstation")),
    (("accepted", "accepted", "umgeplant auf 01.12.2026, 17:30–20:30 Uhr"),
     ("rescheduled", "01.12.2026, 17:30–20:30 Uhr")),
    (("in_service", "in_service", "Rückgabe gewählt: 01.12.2026, 17:30–20:30 Uhr, an die "
      "Haustür"), ("return_chosen", "01.12.2026, 17:30–20:30 Uhr, an die Haustür")),
    (("in_service", "in_service", "Befund: Sohle lose"), ("inspected", "Sohle lose")),
    (("in_service", "in_service", "Befund: Sohle lose · Kostenvoranschlag 24,50 €"),
     ("quote_sent", "Sohle lose · 24,50 €")),
    (("in_service", "in_service", "Kostenvoranschlag angenommen"), ("quote_accepted", "")),
    (("in_service", "in_service", "Kostenvoranschlag abgelehnt"), ("quote_declined", "")),
    (("in_service", "in_service", "Kostenvoranschlag abgelehnt: zu teuer"),
     ("quote_declined", "zu teuer")),
    (("delivered", "delivered", "aus der Paketstation abgeholt"), ("locker_opened", "")),
]


@pytest.mark.parametrize(("old", "new"), OLD, ids=[new[0] + str(i) for i, (_, new)
                                                   in enumerate(OLD)])
def test_old_notes_are_classified_and_restored(old, new) -> None:
    # when the migration classifies an old event / then it has its kind and only the detail
    assert migration.classify(*old) == new
    # and migrating back writes the old note again
    assert migration.unclassify(*new) == old[2]

"""Events get a typed `kind`; the free-text notes of existing rows are classified and keep
only their detail (the kind's label now says what happened)."""

from django.db import migrations, models

# kind → the words that used to begin the note (the detail follows them)
PREFIXES = {
    "fallback": "Ersatzweg: ",
    "rescheduled": "umgeplant auf ",
    "return_chosen": "Rückgabe gewählt: ",
    "quote_declined": "Kostenvoranschlag abgelehnt: ",
    "inspected": "Befund: ",
}
# kind → the whole note it used to be written with
WHOLE = {
    "placed": "bestellt", "booked": "gebucht", "counter": "im Geschäft aufgegeben",
    "quote_accepted": "Kostenvoranschlag angenommen",
    "quote_declined": "Kostenvoranschlag abgelehnt",
    "locker_opened": "aus der Paketstation abgeholt",
}
QUOTE = " · Kostenvoranschlag "


def classify(from_status: str, to_status: str, note: str) -> tuple[str, str]:
    """(kind, note) of an event written before kinds existed. Only the fallback's note came
    with a status change; the other happenings left the status as it was."""
    if not from_status:
        kind = next((k for k in ("booked", "counter") if note == WHOLE[k]), "placed")
        return kind, "" if note == WHOLE[kind] else note
    if note.startswith(PREFIXES["fallback"]):
        return "fallback", note.removeprefix(PREFIXES["fallback"])
    if from_status != to_status:
        return "status", note
    for kind, whole in WHOLE.items():
        if note == whole:
            return kind, ""
    if note.startswith("Befund: ") and QUOTE in note:
        findings, _sep, price = note.removeprefix("Befund: ").rpartition(QUOTE)
        return "quote_sent", f"{findings} · {price}"
    for kind, prefix in PREFIXES.items():
        if note.startswith(prefix):
            return kind, note.removeprefix(prefix)
    return "status", note


def unclassify(kind: str, note: str) -> str:
    """The note as it was written before kinds existed."""
    if kind == "quote_sent":
        findings, _sep, price = note.rpartition(" · ")
        return f"Befund: {findings}{QUOTE}{price}"
    if kind in PREFIXES and note:
        return PREFIXES[kind] + note
    return WHOLE.get(kind, note) if not note else note


def forwards(apps, schema_editor) -> None:
    OrderEvent = apps.get_model("orders", "OrderEvent")
    changed = []
    for event in (OrderEvent.objects.only("from_status", "to_status", "note")
                  .iterator(chunk_size=2000)):
        event.kind, event.note = classify(event.from_status, event.to_status, event.note)
        changed.append(event)
    OrderEvent.objects.bulk_update(changed, ["kind", "note"], batch_size=1000)


def backwards(apps, schema_editor) -> None:
    OrderEvent = apps.get_model("orders", "OrderEvent")
    changed = []
    for event in OrderEvent.objects.only("kind", "note").iterator(chunk_size=2000):
        event.note = unclassify(event.kind, event.note)[:300]
        changed.append(event)
    OrderEvent.objects.bulk_update(changed, ["note"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("orders", "0004_service_return"),
    ]

    operations = [
        migrations.AddField(
            model_name="orderevent",
            name="kind",
            field=models.CharField(choices=[("placed", "bestellt"), ("booked", "gebucht"), ("counter", "im Geschäft aufgegeben"), ("status", "Statuswechsel"), ("fallback", "Ersatzweg"), ("rescheduled", "umgeplant"), ("return_chosen", "Rückgabe gewählt"), ("inspected", "Befund"), ("quote_sent", "Kostenvoranschlag"), ("quote_accepted", "Kostenvoranschlag angenommen"), ("quote_declined", "Kostenvoranschlag abgelehnt"), ("locker_opened", "aus der Paketstation abgeholt")], default="status", max_length=20),
        ),
        migrations.RunPython(forwards, backwards),
    ]

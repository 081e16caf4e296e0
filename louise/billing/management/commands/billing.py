"""`louise billing collect --town T --due YYYY-MM-DD --out FILE.xml`: the town's SEPA
direct-debit file for a due date (made once; run again, it writes the same run's file).
`louise billing returns --town T --file CAMT.xml`: book the bank's returned debits.
`louise billing prenotify [--town T] [--days N]`: the nightly timer mailing each debit's
pre-notification once its day has come (N days before the due date, default the town's
notice period); it names the notices still to be posted to customers without e-mail.
`louise billing invoices --town T --out DIR`: invoice the customers who pay by invoice (one
PDF each into DIR)."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from louise.billing.collection import collection_run
from louise.billing.customer_invoices import customer_invoices_issue
from louise.billing.notifications import letters_waiting, prenotify
from louise.billing.returns import camt_import
from louise.core.calendar import BERLIN
from louise.core.errors import DomainError
from louise.core.money import euro_text
from louise.geo.models import Town


class Command(BaseCommand):
    help = "SEPA-Lastschrifteinzug und Rücklastschriften einer Stadt."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        collect = sub.add_parser("collect", help="Lastschriftdatei (pain.008) erstellen")
        collect.add_argument("--town", required=True, help="Kurzname der Stadt")
        collect.add_argument("--due", required=True, help="Fälligkeit YYYY-MM-DD")
        collect.add_argument("--out", required=True, help="Zieldatei (.xml)")
        returns = sub.add_parser("returns", help="Rücklastschriften (camt.054) buchen")
        returns.add_argument("--town", required=True, help="Kurzname der Stadt")
        returns.add_argument("--file", required=True, help="camt.054-Datei der Bank")
        notify = sub.add_parser("prenotify", help="fällige Vorabankündigungen mailen")
        notify.add_argument("--town", help="Kurzname der Stadt (ohne: alle Städte)")
        notify.add_argument("--days", type=int, choices=range(15), metavar="0..14",
                            help="Tage vor der Fälligkeit (ohne: die der Stadt)")
        invoices = sub.add_parser("invoices", help="Rechnungen an Kunden, die auf Rechnung "
                                                   "zahlen")
        invoices.add_argument("--town", required=True, help="Kurzname der Stadt")
        invoices.add_argument("--out", required=True, help="Ordner für die PDFs")

    def handle(self, *args, **options) -> None:
        town = None
        if options["town"] is not None:
            town = Town.objects.filter(slug=options["town"]).first()
            if town is None:
                raise CommandError(f"Keine Stadt mit dem Kurznamen „{options['town']}“.")
        try:
            if options["action"] == "prenotify":
                today = timezone.now().astimezone(BERLIN).date()
                sent = prenotify(today=today, days=options["days"], town=town)
                self.stdout.write(f"{sent} Vorabankündigung(en) verschickt.")
                if letters := letters_waiting(today=today, town=town):
                    self.stdout.write(f"{letters} Vorabankündigung(en) an Kunden ohne E-Mail "
                                      "per Brief: im Betrieb unter Einzugsläufe beim "
                                      "Einzugslauf drucken und als versandt vermerken.")
                return
            assert town is not None  # the other actions require --town
            if options["action"] == "collect":
                self._collect(town, options)
            elif options["action"] == "invoices":
                self._invoices(town, options)
            else:
                self._returns(town, options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _collect(self, town: Town, options: dict) -> None:
        try:
            due = date.fromisoformat(options["due"])
        except ValueError as exc:
            raise CommandError("--due erwartet ein Datum wie 2026-12-15.") from exc
        run = collection_run(town_id=town.pk, due=due)
        Path(options["out"]).write_text(run.xml, encoding="utf-8")
        self.stdout.write(f"{town.name}: Einzugslauf zum {run.due:%d.%m.%Y}: {run.count} "
                          f"Lastschriften, {euro_text(run.total_cents)} → {options['out']}")

    def _returns(self, town: Town, options: dict) -> None:
        try:
            content = Path(options["file"]).read_bytes()
        except OSError as exc:
            raise CommandError(f"Datei nicht lesbar: {exc}") from exc
        done = camt_import(town_id=town.pk, content=content)
        self.stdout.write(f"{town.name}: {len(done)} Rücklastschriften gebucht.")

    def _invoices(self, town: Town, options: dict) -> None:
        folder = Path(options["out"])
        folder.mkdir(parents=True, exist_ok=True)
        issued = customer_invoices_issue(town_id=town.pk)
        for invoice in issued:
            (folder / f"{invoice.label}.pdf").write_bytes(bytes(invoice.pdf))
        self.stdout.write(f"{town.name}: {len(issued)} Rechnungen, "
                          f"{euro_text(sum(i.total_cents for i in issued))} → {folder}")

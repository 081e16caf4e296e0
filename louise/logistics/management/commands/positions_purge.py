"""`louise positions_purge`: delete riders' positions from before today (run nightly by cron;
recording a position purges too, so a busy day never keeps yesterday's tracks)."""

from django.core.management.base import BaseCommand

from louise.logistics.positions import positions_purge


class Command(BaseCommand):
    help = "Löscht Fahrerpositionen der Vortage (Datenschutz: nur der laufende Tag bleibt)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{positions_purge()} Positionen gelöscht.")

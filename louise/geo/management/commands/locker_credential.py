"""`louise locker_credential LOCKER`: a new secret for a parcel locker's controller."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from louise.geo.models import Locker
from louise.geo.services import locker_credential_issue


class Command(BaseCommand):
    help = ("Neuen Zugang für die Steuerung einer Paketstation ausgeben (nur einmal angezeigt); "
            "frühere Zugänge dieser Station werden ungültig.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("locker", help="Nummer (id) oder Name der Paketstation")

    def handle(self, *args, locker: str, **options) -> None:
        found = Locker.objects.filter(pk=int(locker)) if locker.isdigit() else \
            Locker.objects.filter(name=locker)
        station = found.first()
        if station is None:
            raise CommandError(f"Paketstation „{locker}“ gibt es nicht.")
        _credential, key = locker_credential_issue(locker=station)
        self.stdout.write(f"Zugang für {station} (#{station.pk}), nur dieses eine Mal "
                          f"angezeigt:\n{key}\nDie Steuerung sendet ihn als "
                          f"„Authorization: Bearer …“ an POST /api/v1/lockers/{station.pk}/open.")

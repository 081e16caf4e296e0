"""`louise shifts [--weeks N] [--town SLUG]`: make the shifts of the coming weeks from every
active town's shift patterns (run nightly by a timer, so the planner always finds riders;
see docs/operations.md). Running it again changes nothing."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from louise.geo.models import Town
from louise.logistics.fleet import shifts_ahead, weeks_ahead


class Command(BaseCommand):
    help = "Legt die Schichten der kommenden Wochen aus den Schichtmustern an."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--weeks", type=int, default=None,
                            help="Wochen im Voraus (Vorgabe: LOUISE_SHIFT_WEEKS_AHEAD)")
        parser.add_argument("--town", help="Kurzname der Stadt (Vorgabe: alle aktiven)")

    def handle(self, *args, **options) -> None:
        weeks = options["weeks"] if options["weeks"] is not None else weeks_ahead()
        if weeks < 1:
            raise CommandError("--weeks muss mindestens 1 sein.")
        towns = Town.objects.filter(active=True).order_by("name")
        if options["town"]:
            towns = towns.filter(slug=options["town"])
            if not towns:
                raise CommandError(f"Keine aktive Stadt mit dem Kurznamen „{options['town']}“.")
        for town in towns:
            made = shifts_ahead(town=town, weeks=weeks)
            self.stdout.write(f"{town.name}: {made.created} Schichten angelegt, "
                              f"{made.removed} entfernt ({weeks} Wochen).")
            for reason in made.skipped:
                self.stdout.write(f"  übersprungen: {reason}")
            for shift in made.kept:
                self.stdout.write(f"  mit Tour behalten: {shift}")

"""`louise import_osm PATH [--city NAME]`: load a town's streets and houses from OSM."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from louise.geo.osm_import import import_osm


class Command(BaseCommand):
    help = ("Straßen und Hausnummern aus einem OpenStreetMap-Auszug (.osm.pbf) ins "
            "Straßenverzeichnis laden; ein erneuter Import ersetzt das Gebiet.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--city", default="",
                            help="Ortsname für Straßen ohne addr:city; benennt auch das Gebiet.")

    def handle(self, *args, path: Path, city: str, **options) -> None:
        if not path.is_file():
            raise CommandError(f"Datei nicht gefunden: {path}")
        area, streets, houses = import_osm(path, city=city)
        self.stdout.write(f"{area}: {streets} Straßen, {houses} Hausnummern importiert.")

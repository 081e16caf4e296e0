"""`louise standing`: book the coming dates of every active standing order (run nightly by
a timer, see docs/operations.md). Running it again books nothing twice; a date that could
not be booked is printed and tried again the next night."""

from django.core.management.base import BaseCommand

from louise.hotline.models import StandingOrder
from louise.hotline.standing import standing_generate_all


class Command(BaseCommand):
    help = "Bucht die kommenden Termine aller Daueraufträge."

    def handle(self, *args, **options) -> None:
        names = dict(StandingOrder.objects.values_list("pk", "name"))
        for pk, results in standing_generate_all().items():
            booked = [r for r in results if r.checkout is not None]
            self.stdout.write(f"{names[pk]}: {len(booked)} Termine gebucht oder schon gebucht.")
            for result in results:
                if result.error:
                    self.stdout.write(f"  {result.day:%d.%m.%Y}: {result.error}")

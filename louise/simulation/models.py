"""What `louise simulate` keeps between runs: the days it has simulated, with their figures."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from louise.geo.models import town_field


class SimulatedDay(models.Model):
    """One working day of one town that the simulation has lived through. The next run goes
    on after a town's last one, and the town report and the planning benchmarks read the
    figures (the JSON entry described in `louise.simulation.figures`) from here."""

    town = town_field(related_name="simulated_days")
    day = models.DateField(_("Tag"))
    seed = models.BigIntegerField(_("Startwert"))
    figures = models.JSONField(_("Kennzahlen"), default=dict)

    class Meta:
        verbose_name = _("simulierter Tag")
        verbose_name_plural = _("simulierte Tage")
        ordering = ["day", "town"]
        constraints = [models.UniqueConstraint(fields=["town", "day"],
                                               name="one_simulated_day_per_town")]

    def __str__(self) -> str:
        return f"{self.town} {self.day:%d.%m.%Y}"

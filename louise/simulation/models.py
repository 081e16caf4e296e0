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


class History(models.Model):
    """The past a demo is given (`louise simulate --history N`): a town's `days` working
    days before `until`, the day the run began and left alone. The simulated days in that
    span are its progress; the town report shows it until `finished` is set."""

    town = town_field(related_name="simulated_histories")
    days = models.PositiveIntegerField(_("Werktage"))
    first_day = models.DateField(_("erster Tag"))
    until = models.DateField(_("bis vor"))
    finished = models.DateTimeField(_("fertig"), null=True, blank=True)

    class Meta:
        verbose_name = _("simulierter Verlauf")
        verbose_name_plural = _("simulierte Verläufe")
        constraints = [models.UniqueConstraint(fields=["town"],
                                               name="one_simulated_history_per_town")]

    def __str__(self) -> str:
        return f"{self.town}: {self.days} Werktage vor {self.until:%d.%m.%Y}"

"""Forms of the fleet pages (operator and dispatch). They parse the input and offer only the
town's hubs, riders and vehicles; the rules (capacities, overlaps, midnight, town) live in
`louise.logistics.fleet`, whose refusals are shown at the field they concern."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.db.models import Field
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from louise.accounts.models import User
from louise.core.calendar import WEEKDAY_NAMES
from louise.core.errors import DomainError, Forbidden, NotFound
from louise.geo.models import Hub, Town, VehicleKind
from louise.logistics.models import ShiftExceptionKind, Vehicle
from louise.logistics.selectors import riders_of

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SMALL = 32767  # the largest value of a small integer column
LARGE = 2_147_483_647


def attempt[T](target: forms.Form | HttpRequest, action: Callable[[], T]) -> T | None:
    """Run one service call; its refusal becomes an error on the form's field it names (or
    above the form), or a message on the page without a form, and None. Objects outside
    the person's scope stay 404s."""
    try:
        return action()
    except (NotFound, Forbidden):
        raise
    except DomainError as exc:
        if isinstance(target, forms.Form):
            target.add_error(exc.field if exc.field in target.fields else None, exc.message)
        else:
            messages.error(target, exc.message)
        return None


class RiderChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


def _label(name: str) -> str:
    """The model's own German name of a vehicle's field."""
    field = Vehicle._meta.get_field(name)
    assert isinstance(field, Field)
    return str(field.verbose_name)


class VehicleForm(forms.Form):
    name = forms.CharField(label=_label("name"), max_length=60)
    kind = forms.ChoiceField(label=_label("kind"), choices=VehicleKind.choices)
    hub = forms.ModelChoiceField(label=_("Hub"), queryset=Hub.objects.none(), empty_label=None)
    capacity_g = forms.IntegerField(label=_label("capacity_g"), max_value=LARGE)
    capacity_ml = forms.IntegerField(label=_label("capacity_ml"), max_value=LARGE)
    capacity_parcels = forms.IntegerField(label=_label("capacity_parcels"), max_value=SMALL)
    range_km = forms.IntegerField(label=_label("range_km"), max_value=SMALL)
    charge_minutes = forms.IntegerField(label=_label("charge_minutes"), max_value=SMALL,
                                        initial=240)
    speed_kmh = forms.FloatField(label=_label("speed_kmh"), max_value=200, initial=12,
                                 localize=True,
                                 widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    cooled = forms.BooleanField(label=_label("cooled"), required=False)
    bulky = forms.BooleanField(label=_label("bulky"), required=False)
    active = forms.BooleanField(label=_("in Betrieb"), required=False, initial=True)

    def __init__(self, *args, town: Town, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = town.hubs.order_by("name")  # type: ignore[attr-defined]


class RiderAndVehicle(forms.Form):
    """Who rides with what: the town's active riders and vehicles in service only."""

    rider = RiderChoice(label=_("Fahrer/in"), queryset=User.objects.none())
    vehicle = forms.ModelChoiceField(label=_("Fahrzeug"), queryset=Vehicle.objects.none())
    start_time = forms.TimeField(label=_("Beginn"), widget=TIME)
    end_time = forms.TimeField(label=_("Ende"), widget=TIME)

    def __init__(self, *args, town: Town, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rider"].queryset = riders_of(town)  # type: ignore[attr-defined]
        self.fields["vehicle"].queryset = town.vehicles.filter(  # type: ignore[attr-defined]
            active=True)


class PatternForm(RiderAndVehicle):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Wochentage"), choices=list(enumerate(WEEKDAY_NAMES)), coerce=int,
        required=False, widget=forms.CheckboxSelectMultiple)
    valid_from = forms.DateField(label=_("gilt ab"), widget=DATE)
    valid_until = forms.DateField(label=_("gilt bis (leer: unbefristet)"), required=False,
                                  widget=DATE)


class ShiftForm(RiderAndVehicle):
    """A shift of one day, as the dispatcher adds or changes it."""


class ExceptionForm(forms.Form):
    day = forms.DateField(label=_("Tag"), widget=DATE)
    kind = forms.ChoiceField(label=_("Art"), choices=ShiftExceptionKind.choices)
    substitute = RiderChoice(label=_("Vertretung (nur beim Tausch)"),
                             queryset=User.objects.none(), required=False, empty_label="–")
    note = forms.CharField(label=_("Notiz"), max_length=200, required=False)

    def __init__(self, *args, town: Town, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = riders_of(town)  # type: ignore[attr-defined]

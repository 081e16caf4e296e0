"""Forms of the operator's console for towns and places: euros on screen, cents stored;
opening hours as one line per weekday; a zone's area as GeoJSON text, drawn or imported.

The forms only read what was typed; the services (`geo.towns`, `geo.places`) decide what
is valid, and `form_error` puts their German message next to the field it concerns."""

import json
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy as _

from louise.accounts.models import User
from louise.core.errors import DomainError, Invalid
from louise.core.hours import hours_from_lines, hours_to_lines
from louise.core.money import euros
from louise.geo import stop_times
from louise.geo.areas import MAX_TEXT, area_from_text
from louise.geo.models import (
    FALLBACK_RULES,
    CompartmentSize,
    HolidayRegion,
    Hub,
    Locker,
    PickupPoint,
    Town,
    VehicleKind,
    Zone,
)
from louise.geo.report_costs import FACTORS as REPORT_FACTORS
from louise.geo.vehicle_costs import MOST, PARK_MOST
from louise.web.backoffice.forms import EURO

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

WEEKDAYS = [(day, name) for day, name in enumerate(
    ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"))]
FALLBACK_NAMES = {"locker": _("Paketstation"), "point": _("Abholstelle"),
                  "next_wave": _("nächste Lieferwelle")}
TOWN_FIELDS = ("name", "holiday_region", "order_cutoff", "wave_start", "wave_end",
               "working_days", "slot_capacity", "bookable_waves", "hub_collection_start",
               "hub_sorting_deadline", "shopping_tolerance_pct", "map_tiles",
               "map_attribution")
# How long a rider spends at a stop (`Town.stop_times`), whole seconds as stored.
STOP_FIELDS = ("stop_pickup_s", "stop_drop_s", "stop_shared_s", "stop_hub_s", "stop_shopping_s",
               "stop_depot_s")
# A vehicle kind's costs (`Town.vehicle_costs`): euro fields (cents stored), CO2 in grams;
# a form field is named `<kind>_<cost>`, e.g. `bike_cents_per_hour`.
VEHICLE_EUROS = {"cents_per_hour": _("€ je Stunde"), "cents_per_km": _("€ je km"),
                 "cents_per_day": _("€ fix je Einsatztag")}
VEHICLE_CO2 = "co2_g_per_km"
VEHICLE_PARK = "park_seconds"
POSTCODE_LIST = re.compile(r"[\s,;]+")


def form_error(form: forms.Form, exc: DomainError, fields: dict[str, str] | None = None) -> None:
    """A service's refusal shown at the form field it names (`fields` maps a model field to
    the form's where they differ), else above the form; `save_validated` prefixes messages
    with the model field's name, which a person need not read."""
    name = (fields or {}).get(exc.field or "", exc.field or "")
    message = exc.message.removeprefix(f"{exc.field}: ")
    form.add_error(name if name in form.fields else None, message)


class ConsoleRenderer(DjangoTemplates):
    """Each field in its own block (label, errors, input), so the page can lay them out."""

    field_template_name = "operator/_field.html"


class ConsoleForm(forms.Form):
    default_renderer = ConsoleRenderer()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _euro(label: "StrOrPromise", most_cents: int | None = None) -> forms.DecimalField:
    """A euro amount; `most_cents` is the service's upper limit, said at the field in euros
    (the service says it in cents and at no particular field)."""
    most = None if most_cents is None else Decimal(most_cents) / 100
    return forms.DecimalField(label=label, max_value=most, **EURO)


def _time(label: "StrOrPromise") -> forms.TimeField:
    return forms.TimeField(label=label, widget=forms.TimeInput(attrs={"type": "time"},
                                                               format="%H:%M"))


def _stop_seconds(name: str) -> forms.IntegerField:
    """A stop time of the town, labelled as its model field (one wording for form and
    admin); the model's `clean` checks the shared part against the others."""
    field = cast("models.Field", Town._meta.get_field(name))  # a column, not a relation
    return forms.IntegerField(label=field.verbose_name, min_value=0,
                              max_value=stop_times.STOP_MOST_S)


class TownForm(ConsoleForm):
    """A town's settings, as its operator sets them."""

    name = forms.CharField(label=_("Name"), max_length=80)
    holiday_region = forms.ChoiceField(label=_("Feiertage nach"), choices=HolidayRegion.choices)
    order_cutoff = _time(_("Bestellschluss für dieselbe Welle"))
    wave_start = _time(_("Lieferwelle ab"))
    wave_end = _time(_("Lieferwelle bis"))
    working_days = forms.TypedMultipleChoiceField(
        label=_("Liefertage"), choices=WEEKDAYS, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple)
    slot_capacity = forms.IntegerField(label=_("Stopps je Lieferwelle"), min_value=0)
    bookable_waves = forms.IntegerField(label=_("buchbare Lieferwellen im Voraus"), min_value=0)
    hub_collection_start = _time(_("Sammelrunden zum City-Depot ab"))
    hub_sorting_deadline = _time(_("Sortierschluss im City-Depot"))
    shopping_tolerance_pct = forms.IntegerField(
        label=_("Einkaufszettel: erlaubte Überschreitung des Budgets (%)"), min_value=0,
        max_value=100)
    map_tiles = forms.CharField(label=_("Kartenkacheln (URL-Vorlage mit {z}, {x}, {y})"),
                                max_length=200, required=False)
    map_attribution = forms.CharField(label=_("Kartennachweis"), max_length=200, required=False)
    stop_pickup_s = _stop_seconds("stop_pickup_s")
    stop_drop_s = _stop_seconds("stop_drop_s")
    stop_shared_s = _stop_seconds("stop_shared_s")
    stop_hub_s = _stop_seconds("stop_hub_s")
    stop_shopping_s = _stop_seconds("stop_shopping_s")
    stop_depot_s = _stop_seconds("stop_depot_s")

    def __init__(self, *args, town: Town, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("– keiner –")), *((rule, FALLBACK_NAMES[rule])
                                            for rule in FALLBACK_RULES)]
        for n in range(1, len(FALLBACK_RULES) + 1):
            self.fields[f"fallback_{n}"] = forms.ChoiceField(
                label=_("%(n)d. Ersatzweg nach gescheiterter Zustellung") % {"n": n},
                choices=choices, required=False)
            self.initial[f"fallback_{n}"] = (town.fallback_order[n - 1]
                                             if n <= len(town.fallback_order) else "")
        for name in (*TOWN_FIELDS, *STOP_FIELDS):
            self.initial[name] = getattr(town, name)
        for kind, kind_label in VehicleKind.choices:
            costs = town.costs_of(kind)
            for cost, label in VEHICLE_EUROS.items():
                self.fields[f"{kind}_{cost}"] = _euro(f"{kind_label}: {label}", MOST)
                self.initial[f"{kind}_{cost}"] = euros(getattr(costs, cost))
            self.fields[f"{kind}_{VEHICLE_CO2}"] = forms.IntegerField(
                label=_("%(kind)s: CO₂ je km (g)") % {"kind": kind_label}, min_value=0,
                max_value=MOST)
            self.initial[f"{kind}_{VEHICLE_CO2}"] = costs.co2_g_per_km
            self.fields[f"{kind}_{VEHICLE_PARK}"] = forms.IntegerField(
                label=_("%(kind)s: Parken und Weg zur Tür je Stopp (s)") % {"kind": kind_label},
                min_value=0, max_value=PARK_MOST)
            self.initial[f"{kind}_{VEHICLE_PARK}"] = costs.park_seconds
        # The report's costs and factors: euros for money, whole numbers else; the limits
        # are the model's, so its message names the figure that is wrong.
        for factor in REPORT_FACTORS:
            value = town.report_factor(factor.key)
            if factor.unit == "Cent":
                self.fields[f"report_{factor.key}"] = _euro(f"{factor.label} (€)")
                self.initial[f"report_{factor.key}"] = euros(value)
            else:
                self.fields[f"report_{factor.key}"] = forms.IntegerField(
                    label=f"{factor.label} ({factor.unit})")
                self.initial[f"report_{factor.key}"] = value

    def report_fields(self) -> list[forms.BoundField]:
        return [self[f"report_{factor.key}"] for factor in REPORT_FACTORS]

    def vehicle_fields(self) -> list[list[forms.BoundField]]:
        """Per vehicle kind its cost fields, one row each on the page."""
        return [[self[f"{kind}_{cost}"] for cost in (*VEHICLE_EUROS, VEHICLE_CO2, VEHICLE_PARK)]
                for kind in VehicleKind.values]

    def stop_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in STOP_FIELDS]

    def stop_defaults(self) -> dict[str, int]:
        """A new town's stop times, for the note under the fields (seconds; the purchase in
        minutes)."""
        return {"pickup": stop_times.PICKUP_S, "drop": stop_times.DROP_S,
                "shared": stop_times.SHARED_S, "hub": stop_times.HUB_S,
                "shopping": stop_times.SHOPPING_S // 60, "depot": stop_times.DEPOT_S}

    def fallback_fields(self) -> list[forms.BoundField]:
        return [self[f"fallback_{n}"] for n in range(1, len(FALLBACK_RULES) + 1)]

    def settings(self) -> dict[str, Any]:
        """The cleaned form as `town_update` takes it (cents, the fallbacks in order)."""
        data = self.cleaned_data
        return {**{name: data[name] for name in (*TOWN_FIELDS, *STOP_FIELDS)},
                "vehicle_costs": {
                    kind: {**{cost: int(data[f"{kind}_{cost}"] * 100) for cost in VEHICLE_EUROS},
                           **{name: data[f"{kind}_{name}"]
                              for name in (VEHICLE_CO2, VEHICLE_PARK)}}
                    for kind in VehicleKind.values},
                "report_costs": {
                    f.key: (int(data[f"report_{f.key}"] * 100) if f.unit == "Cent"
                            else data[f"report_{f.key}"]) for f in REPORT_FACTORS},
                "fallback_order": [rule for field in self.fallback_fields()
                                   if (rule := data[field.name])]}


# Where a refusal of `Town.clean` belongs on the form.
TOWN_ERRORS = {"fallback_order": "fallback_1", "vehicle_costs": f"bike_{VEHICLE_CO2}",
               "report_costs": f"report_{REPORT_FACTORS[0].key}"}


class TownCreateForm(ConsoleForm):
    name = forms.CharField(label=_("Name der neuen Stadt"), max_length=80)


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.get_role_display()})"


class TeamForm(ConsoleForm):
    """People of LOUISE to add to the town's team (taking someone off is on the team page)."""

    staff = PeopleChoice(label=_("Zum Team hinzufügen"), queryset=User.objects.none(),
                         widget=forms.CheckboxSelectMultiple,
                         error_messages={"required": _("Bitte mindestens eine Person wählen.")})

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        cast(PeopleChoice, self.fields["staff"]).queryset = people


class PlaceForm(ConsoleForm):
    """Name and address with its position: the address suggestions fill the position, and
    a click on the small map corrects it."""

    name = forms.CharField(label=_("Name"), max_length=80)
    street = forms.CharField(label=_("Straße und Hausnummer"), max_length=120)
    postcode = forms.RegexField(label=_("PLZ"), regex=r"^\d{5}$", error_messages={
        "invalid": _("Die Postleitzahl hat fünf Ziffern.")})
    city = forms.CharField(label=_("Ort"), max_length=80)
    district = forms.CharField(label=_("Stadtteil"), max_length=80, required=False)
    lat = forms.FloatField(label=_("Breite"), min_value=-90, max_value=90,
                           widget=forms.NumberInput(attrs={"step": "any"}))
    lon = forms.FloatField(label=_("Länge"), min_value=-180, max_value=180,
                           widget=forms.NumberInput(attrs={"step": "any"}))

    PLACE = ("street", "postcode", "city", "district", "lat", "lon")

    def __init__(self, *args, instance: Hub | PickupPoint | Locker | None = None,
                 town: Town, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:
            for name in ("name", *self.PLACE):
                self.initial[name] = getattr(instance, name)
        else:
            self.initial["city"] = town.name

    def place(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.PLACE}


class HubForm(PlaceForm):
    pass


class PointForm(PlaceForm):
    """A pickup point: its hours as seven lines, "08:00-12:00, 14:00-18:00"."""

    active = forms.BooleanField(label=_("geöffnet (wird Kunden angeboten)"), required=False,
                                initial=True)

    def __init__(self, *args, instance: PickupPoint | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        lines = hours_to_lines(instance.opening_hours if instance else {})
        for day, name in WEEKDAYS:
            self.fields[f"hours_{day}"] = forms.CharField(
                label=name, required=False, max_length=80,
                widget=forms.TextInput(attrs={"placeholder": "08:00-12:00, 14:00-18:00"}))
            self.initial[f"hours_{day}"] = lines[day]
        if instance is not None:
            self.initial["active"] = instance.active

    def hour_fields(self) -> list[forms.BoundField]:
        return [self[f"hours_{day}"] for day, _name in WEEKDAYS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["opening_hours"] = hours_from_lines(
                [data.get(f"hours_{day}", "") for day, _name in WEEKDAYS])
        except ValidationError as exc:
            self.add_error(f"hours_{(exc.params or {}).get('day', 0)}", exc.message)
        return data


class LockerForm(PlaceForm):
    active = forms.BooleanField(label=_("in Betrieb (wird Kunden angeboten)"), required=False,
                                initial=True)

    def __init__(self, *args, instance: Locker | None = None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        if instance is not None:
            self.initial["active"] = instance.active
            return
        for size in CompartmentSize:
            self.fields[f"count_{size.value}"] = forms.IntegerField(
                label=_("Fächer %(size)s (%(label)s)") % {"size": size.value,
                                                          "label": size.label},
                min_value=0, max_value=200, initial=0)

    def compartments(self) -> dict[str, int]:
        return {size: self.cleaned_data[f"count_{size}"] for size in CompartmentSize.values}


class CompartmentAddForm(ConsoleForm):
    size = forms.ChoiceField(label=_("Größe"), choices=CompartmentSize.choices)
    count = forms.IntegerField(label=_("Anzahl"), min_value=1, max_value=50, initial=1)


class ZoneForm(ConsoleForm):
    """A zone: its area drawn on the map (the page's script writes it into `area` as
    GeoJSON), pasted there, or imported from a file; postcodes for zones without one."""

    name = forms.CharField(label=_("Name"), max_length=80)
    active = forms.BooleanField(label=_("eingeschaltet"), required=False, initial=True)
    vehicle_kinds = forms.MultipleChoiceField(
        label=_("Erlaubte Fahrzeugarten"), choices=VehicleKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    postcodes = forms.CharField(
        label=_("Postleitzahlen"), required=False, max_length=400,
        help_text=_("Ohne Fläche entscheiden sie, welche Adressen in der Zone liegen; mit "
                    "Fläche beschreiben sie die Zone nur (z. B. für die Adressvorschläge an der "
                    "Ladentheke der Geschäfte)."))
    area = forms.CharField(
        label=_("Fläche als GeoJSON (Polygon oder MultiPolygon, [Länge, Breite]) – auf der "
                "Karte zeichnen oder hier einfügen; leer = keine Fläche"),
        required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5}))
    area_file = forms.FileField(label=_("oder GeoJSON-Datei importieren"), required=False,
                                widget=forms.ClearableFileInput(
                                    attrs={"accept": ".geojson,.json,application/geo+json"}))

    def __init__(self, *args, instance: Zone | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.initial.update(name=instance.name, active=instance.active,
                                vehicle_kinds=instance.vehicle_kinds,
                                postcodes=", ".join(instance.postcodes),
                                area=json_text(instance.area))

    def clean_postcodes(self) -> list[str]:
        codes = [c for c in POSTCODE_LIST.split(self.cleaned_data["postcodes"]) if c]
        if wrong := [c for c in codes if not re.fullmatch(r"\d{5}", c)]:
            raise ValidationError(_("„%(code)s“ ist keine Postleitzahl (fünf Ziffern).")
                                  % {"code": wrong[0]})
        return codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("area_file")
        text = data.get("area", "")
        if upload:
            if upload.size > MAX_TEXT:
                self.add_error("area_file", _("Die Datei ist zu groß (höchstens 2 MB)."))
                return data
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("area_file", _("Die Datei ist kein GeoJSON-Text (UTF-8)."))
                return data
        try:
            data["geometry"] = area_from_text(text) if text.strip() else None
        except Invalid as exc:
            self.add_error("area_file" if upload else "area", exc.message)
        return data


def json_text(area: dict | None) -> str:
    return json.dumps(area) if area is not None else ""

"""The report's charts drawn with matplotlib on the server: SVG for the dashboard (each an
image of its own request), PNG for the PDF. Nothing is loaded from the network and no
JavaScript draws them, so the page, the PDF and an offline laptop show the same pictures.
Only the chart requests and the PDF import this module (matplotlib takes a while to load).
"""

import io
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from louise.geo.areas import polygons_of

from .charts import day_label
from .selectors import Report, ZoneRow
from .tables import KINDS, METHODS

matplotlib.use("Agg")
# Matplotlib is not thread-safe: its settings (`rc_context`) are global, and its fonts keep
# state between calls. A web process with threads (gunicorn's gthread, the test server)
# draws one chart at a time; two at once hung a chart request in the font's text layout.
DRAWING = threading.Lock()
COLOURS = {"door": "#1b6b4f", "point": "#e0a526", "locker": "#4f7fc1",
           "bike": "#1b6b4f", "car": "#9a9a9a"}


@contextmanager
def styled() -> Iterator[None]:
    """The house style, for drawing and saving alike (matplotlib reads it at both)."""
    with matplotlib.rc_context({"svg.hashsalt": "louise", "svg.fonttype": "none",
                                "font.size": 9, "axes.spines.top": False,
                                "axes.spines.right": False}):
        yield


def drawn(report: Report, key: str, fmt: str) -> bytes:
    """Chart `key` (one of `charts.TITLES`) of `report` as an SVG or PNG file."""
    with DRAWING, styled():
        if key == "orders":
            figure = orders_figure(report)
        elif key == "zones":
            figure = zone_figure(report.zones)
        else:
            figure = stacked_figure(report, key)
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, dpi=150,
                       metadata={"Date": None} if fmt == "svg" else {})
    return buffer.getvalue()


def _figure() -> tuple[Figure, Axes]:
    figure = Figure(figsize=(6.4, 2.6), layout="constrained")
    return figure, figure.add_subplot()


def _days(report: Report) -> list[str]:
    return [day_label(d) for d in report.days]


def orders_figure(report: Report) -> Figure:
    figure, axes = _figure()
    axes.plot(_days(report), [d.orders for d in report.days], marker="o", color="#1b6b4f")
    axes.set_ylabel("Bestellungen")
    _ticks(axes, report)
    return figure


def _ticks(axes: Axes, report: Report) -> None:
    every = max(1, len(report.days) // 10)
    axes.set_xticks(range(0, len(report.days), every), _days(report)[::every])
    axes.set_ylim(bottom=0)


def stacked_figure(report: Report, what: str) -> Figure:
    """Drops by method (`what="drops"`) or km by vehicle kind (`"km"`) per day."""
    names = METHODS if what == "drops" else KINDS
    figure, axes = _figure()
    bottom = [0.0] * len(report.days)
    for key, name in names.items():
        values = [float(getattr(d, what).get(key, 0)) for d in report.days]
        axes.bar(_days(report), values, bottom=bottom, label=name, color=COLOURS[key])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_ylabel("Zustellungen" if what == "drops" else "km")
    axes.legend(frameon=False, fontsize=8)
    _ticks(axes, report)
    return figure


def zone_figure(zones: list[ZoneRow]) -> Figure:
    """The zones (lon/lat, the latitude's scale corrected), darker with more drops; a zone
    of postcodes only as the area around its streets, dashed; one with nothing to draw it
    by is only in the table."""
    figure = Figure(figsize=(5, 4), layout="constrained")
    axes = figure.add_subplot()
    most = max((z.drops for z in zones), default=0) or 1
    drawn = [zone for zone in zones if zone.area is not None]
    patches, shades, dashes = [], [], []
    for zone in drawn:
        assert zone.area is not None
        for polygon in polygons_of(zone.area):
            patches.append(Polygon(polygon[0], closed=True))
            shades.append(zone.drops / most)
            dashes.append("--" if zone.postcodes else "-")
        lon, lat = _centre(zone.area)
        axes.annotate(f"{zone.label}\n{zone.drops}", (lon, lat), ha="center", va="center",
                      fontsize=7)
    if patches:
        collection = PatchCollection(patches, cmap="Greens", edgecolor="#333333",
                                     linewidth=0.6, linestyles=dashes)
        collection.set_array(shades)
        collection.set_clim(0, 1.2)
        axes.add_collection(collection)
        axes.autoscale_view()
        mid = sum(_centre(z.area)[1] for z in drawn if z.area) / len(drawn)
        axes.set_aspect(1 / max(0.2, math.cos(math.radians(mid))))
    axes.set_axis_off()
    return figure


def _centre(area: dict) -> tuple[float, float]:
    ring = polygons_of(area)[0][0]
    return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))

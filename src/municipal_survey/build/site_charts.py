"""The numbers a chart carries: every point drawn with an interval, in data units, read from the SVG.

The book's charts are SVG files with their text kept as text, and every point a chart draws with
an interval has a gid (`report.figures`: "means:<question>:<group>", "or:<question>:<term>"), which
matplotlib writes as the id of the point's groups: the interval's line, its two caps and the marker.
A reader with a text editor reads the coordinates (six decimals of a pixel) and turns them into data
units with the axis' ticks: far more digits than the table beside the chart shows.
"""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass

from ..report.text import parse_number

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_PATH_X = re.compile(r"[ML]\s*(-?[\d.]+)\s+-?[\d.]+")
_TICK = re.compile(r"^xtick_\d+$")


@dataclass(frozen=True)
class DrawnPoint:
    """One point of a chart: its gid, value and interval in data units (low/high None without one)."""

    gid: str
    value: float
    low: float | None
    high: float | None


def _tick_number(text: str) -> float | None:
    parsed = parse_number(text, plain=True)
    return None if parsed is None else parsed[0]


def x_axis(root: ET.Element):
    """The function from an x coordinate to data units, from the labelled ticks of the chart's x axis
    (a linear or a logarithmic axis, whichever the ticks fit); None without two numeric ticks."""
    ticks = []
    for tick in root.iter(f"{SVG}g"):
        if not _TICK.match(tick.get("id", "")):
            continue
        texts = [t.text or "" for t in tick.iter(f"{SVG}text")]
        paths = [p.get("d", "") for p in tick.iter(f"{SVG}path")]
        uses = [u.get("x") for u in tick.iter(f"{SVG}use") if u.get("x")]
        xs = [float(x) for d in paths for x in _PATH_X.findall(d)] or [float(x) for x in uses]
        value = _tick_number(texts[0]) if texts else None
        if xs and value is not None:
            ticks.append((xs[0], value))
    if len(ticks) < 2:
        return None
    (x0, v0), (x1, v1) = ticks[0], ticks[-1]

    def linear(x: float) -> float:
        return v0 + (x - x0) * (v1 - v0) / (x1 - x0)

    if all(abs(linear(x) - v) <= 1e-6 * max(1.0, abs(v)) for x, v in ticks):
        return linear
    if v0 > 0 and v1 > 0:
        l0, l1 = math.log(v0), math.log(v1)

        def logarithmic(x: float) -> float:
            return math.exp(l0 + (x - x0) * (l1 - l0) / (x1 - x0))

        if all(v > 0 and abs(logarithmic(x) / v - 1) <= 1e-6 for x, v in ticks):
            return logarithmic
    return None


def drawn_points(svg_text: str) -> list[DrawnPoint]:
    """Every point with a gid that a chart draws with (or without) an interval, in data units."""
    root = ET.fromstring(svg_text)
    to_data = x_axis(root)
    if to_data is None:
        return []
    lines: dict[str, list[float]] = defaultdict(list)
    markers: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for group in root.iter(f"{SVG}g"):
        gid = group.get("id", "")
        if ":" not in gid:
            continue
        for path in group.iter(f"{SVG}path"):
            if path.get("id") is None:  # a path with an id defines a marker (in <defs>), drawn by <use>
                lines[gid] += [float(x) for x in _PATH_X.findall(path.get("d", ""))]
        for use in group.iter(f"{SVG}use"):
            markers[gid].append((use.get(XLINK_HREF) or use.get("href") or "", float(use.get("x"))))
    points = []
    for gid in dict.fromkeys([*lines, *markers]):
        xs = lines.get(gid, [])
        low, high = (min(xs), max(xs)) if xs else (None, None)
        # The caps share one marker drawn at both ends; the point's own marker is the other one.
        ends = {href for href, x in markers[gid] if xs and (math.isclose(x, low) or math.isclose(x, high))}
        own = [x for href, x in markers[gid] if href not in ends] or [x for _, x in markers[gid]]
        if not own:
            continue
        value = own[0]
        points.append(DrawnPoint(gid, to_data(value), None if low is None else to_data(low),
                                 None if high is None else to_data(high)))
    return points

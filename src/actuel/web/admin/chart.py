"""Bar charts as plain geometry for a server-rendered SVG (the template escapes every label)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    peak: int


def columns(points: list[tuple[str, int]], width: int = 640, height: int = 200) -> Chart:
    """Vertical bars, one per point, left to right (articles per day); room left for labels."""
    plot = height - 30
    peak = max((v for _, v in points), default=0)
    step = width / max(1, len(points))
    bars = []
    for i, (label, value) in enumerate(points):
        tall = plot * value / peak if peak else 0.0
        bars.append(Bar(label, value, i * step + 2, 10 + plot - tall, max(1.0, step - 4), tall))
    return Chart(width, height, bars, peak)


def rows(points: list[tuple[str, int]], width: int = 640, row: int = 22) -> Chart:
    """Horizontal bars, one per point, top to bottom (articles per outlet); labels at the left."""
    label_room = 200
    peak = max((v for _, v in points), default=0)
    room = width - label_room - 50
    bars = [
        Bar(label, value, label_room, i * row + 4, room * value / peak if peak else 0.0, row - 6)
        for i, (label, value) in enumerate(points)
    ]
    return Chart(width, max(row, row * len(points) + 8), bars, peak)

"""Server-rendered SVG charts: geometry here, markup in ``templates/charts/``. No JavaScript, no CDN.

Each chart also carries its numbers (``rows``) for the table that screen readers get in place of the picture.
"""

import math
from dataclasses import dataclass, field

PALETTE = ["#0b5cad", "#e8590c", "#2b8a3e", "#862e9c", "#c92a2a", "#1098ad", "#5c940d", "#d6336c", "#495057"]
HIGHLIGHT = "#e8590c"
PLAIN = "#0b5cad"


@dataclass
class Row:
    label: str
    value: int
    share: float  # of the chart's total, 0..1
    colour: str = PLAIN
    # geometry, filled per chart kind
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    path: str = ""
    text_x: float = 0
    text_y: float = 0

    @property
    def percent(self) -> str:
        return f"{self.share * 100:.1f}%"


@dataclass
class Chart:
    kind: str
    title: str
    rows: list[Row]
    width: int
    height: int
    total: int
    value_label: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.total == 0


def _rows(items, highlight=()) -> tuple[list[Row], int]:
    total = sum(value for _, value in items)
    rows = [Row(label=str(label), value=value, share=(value / total if total else 0.0)) for label, value in items]
    for row, (key, _) in zip(rows, items, strict=True):
        row.colour = HIGHLIGHT if key in highlight else PLAIN
    return rows, total


def hbar(
    title: str, items: list[tuple[str, int]], *, highlight=(), value_label: str = "", note: str = "", keys=None
) -> Chart:
    """Horizontal bars, one row per item, values and shares printed at the bar's end."""
    rows, total = _rows(items, highlight=set(highlight) if keys is None else set())
    if keys is not None:
        for row, key in zip(rows, keys, strict=True):
            row.colour = HIGHLIGHT if key in highlight else PLAIN
    label_width, bar_space, row_height, top = 170, 330, 30, 6
    biggest = max((row.value for row in rows), default=0) or 1
    for index, row in enumerate(rows):
        row.x, row.y = label_width, top + index * row_height
        row.height = row_height - 10
        row.width = round(max(row.value / biggest * bar_space, 1 if row.value else 0), 1)
        row.text_x, row.text_y = round(row.x + row.width + 6, 1), row.y + 15
    return Chart(
        "hbar",
        title,
        rows,
        width=label_width + bar_space + 140,
        height=top * 2 + len(rows) * row_height,
        total=total,
        value_label=value_label,
        note=note,
    )


def donut(title: str, items: list[tuple[str, int]], *, value_label: str = "", note: str = "") -> Chart:
    """A ring of shares with a legend; each segment an SVG arc path."""
    rows, total = _rows(items)
    cx = cy = 90
    outer, inner = 80, 48
    angle = -math.pi / 2
    for index, row in enumerate(rows):
        row.colour = PALETTE[index % len(PALETTE)]
        if not row.value:
            continue
        sweep = row.share * 2 * math.pi
        if sweep >= 2 * math.pi - 1e-9:  # one full ring: two halves (an arc cannot start and end at one point)
            row.path = _ring(cx, cy, outer, inner)
        else:
            row.path = _segment(cx, cy, outer, inner, angle, angle + sweep)
        angle += sweep
    for index, row in enumerate(rows):
        row.x, row.y = 200, 24 + index * 26
        row.text_x, row.text_y = row.x + 22, row.y
    return Chart(
        "donut",
        title,
        rows,
        width=460,
        height=max(180, 24 + len(rows) * 26),
        total=total,
        value_label=value_label,
        note=note,
    )


def _point(cx, cy, radius, angle):
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _segment(cx, cy, outer, inner, start, end) -> str:
    large = 1 if end - start > math.pi else 0
    x1, y1 = _point(cx, cy, outer, start)
    x2, y2 = _point(cx, cy, outer, end)
    x3, y3 = _point(cx, cy, inner, end)
    x4, y4 = _point(cx, cy, inner, start)
    return (
        f"M{x1:.2f},{y1:.2f} A{outer},{outer} 0 {large} 1 {x2:.2f},{y2:.2f} "
        f"L{x3:.2f},{y3:.2f} A{inner},{inner} 0 {large} 0 {x4:.2f},{y4:.2f} Z"
    )


def _ring(cx, cy, outer, inner) -> str:
    return (
        f"M{cx - outer},{cy} A{outer},{outer} 0 1 1 {cx + outer},{cy} A{outer},{outer} 0 1 1 {cx - outer},{cy} "
        f"M{cx - inner},{cy} A{inner},{inner} 0 1 0 {cx + inner},{cy} A{inner},{inner} 0 1 0 {cx - inner},{cy} Z"
    )


def columns(title: str, items: list[tuple[str, int]], *, value_label: str = "", note: str = "") -> Chart:
    """Vertical columns over time (e.g. applications per day); every n-th label so they never overlap."""
    rows, total = _rows(items)
    left, bottom, plot_height, plot_width = 40, 30, 160, 600
    slot = plot_width / max(len(rows), 1)
    biggest = max((row.value for row in rows), default=0) or 1
    every = max(1, math.ceil(len(rows) / 10))
    for index, row in enumerate(rows):
        row.height = round(row.value / biggest * plot_height, 1)
        row.width = round(max(slot - 2, 1), 1)
        row.x = round(left + index * slot + 1, 1)
        row.y = round(10 + plot_height - row.height, 1)
        row.text_x, row.text_y = row.x, 10 + plot_height + 18
    chart = Chart(
        "columns",
        title,
        rows,
        width=left + plot_width + 10,
        height=10 + plot_height + bottom,
        total=total,
        value_label=value_label,
        note=note,
    )
    chart.extra = {
        "baseline": 10 + plot_height,
        "label_y": 10 + plot_height + 18,
        "labelled": {index for index in range(len(rows)) if index % every == 0 or index == len(rows) - 1},
        "max": biggest,
        "left": left,
    }
    for index, row in enumerate(rows):
        row.path = "label" if index in chart.extra["labelled"] else ""
    return chart

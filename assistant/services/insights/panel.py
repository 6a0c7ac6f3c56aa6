"""One insights panel: its numbers, how to draw them, and the table (and CSV) of exactly
those numbers.  The shape is the API's (assistant/api/schemas/rep_insights.py documents it);
`make_panel` derives `table` from `series`, so the data table, the CSV and the chart cannot
disagree."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Unit = Literal["count", "percent", "minutes"]
Chart = Literal["stacked_bar", "bar", "line", "heatmap"]
Group = Literal["owner", "queue_health"]
Cell = str | float | None


@dataclass(frozen=True)
class Headline:
    value: float | None
    unit: Unit
    label: str


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: float | None
    unit: Unit


@dataclass(frozen=True)
class Point:
    x: str
    y: float | None


@dataclass(frozen=True)
class Series:
    key: str
    name: str
    points: list[Point]


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class Link:
    label: str
    href: str


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    definition: str
    group: Group
    status: Literal["ok", "not_yet_used"]
    chart: Chart
    unit: Unit
    headline: Headline
    figures: list[Figure]
    x_label: str
    series: list[Series]
    table: Table
    links: list[Link] = field(default_factory=list)


@dataclass(frozen=True)
class PanelText:
    """What a panel says about itself (its title and one-line definition live with its metric)."""

    key: str
    title: str
    definition: str
    group: Group
    chart: Chart
    unit: Unit


def make_series(
    key: str, name: str, xs: Sequence[str], values: Mapping[str, float | None], default: float | None = 0.0
) -> Series:
    return Series(key, name, [Point(x, values.get(x, default)) for x in xs])


def make_panel(
    text: PanelText,
    *,
    x_label: str,
    series: list[Series],
    headline: Headline,
    has_data: bool,
    figures: list[Figure] | None = None,
    links: list[Link] | None = None,
) -> Panel:
    """A panel whose table is its series, one row per x (every series shares the x values)."""
    xs = [point.x for point in series[0].points] if series else []
    rows: list[list[Cell]] = []
    for index, x in enumerate(xs):
        rows.append([x, *(_rounded(item.points[index].y) for item in series)])
    table = Table(caption=f"{text.title}: {text.definition}", columns=[x_label, *(s.name for s in series)], rows=rows)
    rounded = [Series(s.key, s.name, [Point(p.x, _rounded(p.y)) for p in s.points]) for s in series]
    return Panel(
        key=text.key,
        title=text.title,
        definition=text.definition,
        group=text.group,
        status="ok" if has_data else "not_yet_used",
        chart=text.chart,
        unit=text.unit,
        headline=Headline(_rounded(headline.value), headline.unit, headline.label),
        figures=[Figure(f.key, f.label, _rounded(f.value), f.unit) for f in figures or []],
        x_label=x_label,
        series=rounded,
        table=table,
        links=links or [],
    )


def _rounded(value: float | None) -> float | None:
    # One decimal is what a chart shows; rounding once here keeps chart, table and CSV equal.
    return None if value is None else round(float(value), 1)


def share(part: float, whole: float) -> float | None:
    """A percentage, or None when there is nothing to divide by."""
    return None if not whole else 100.0 * part / whole


def table_csv(table: Table) -> str:
    """The panel's table as CSV (the stdlib writer: quoting and line endings done right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue()

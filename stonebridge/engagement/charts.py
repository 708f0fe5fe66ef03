"""An outcome's readings over time against its baseline and target, laid out for an SVG the
server draws (templates/engagement/_outcome_chart.html). A supplier's phone gets the chart with
the page, a few hundred bytes, instead of a charting library of a megabyte that blocks the page
on a slow link. Pure: readings in, coordinates out."""

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

# The SVG's own units; it scales to the width of its card. Room on the left for the value
# labels, on the right for the baseline and target labels, below for the dates.
WIDTH, HEIGHT = 320, 160
LEFT, RIGHT, TOP, BOTTOM = 36, 246, 10, 136


@dataclass(frozen=True)
class Sample:
    measured_on: date
    value: Decimal
    confirmed: bool


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    measured_on: date
    value: Decimal
    confirmed: bool
    # Above the legal limit: marked so even when it improves on the baseline.
    above_limit: bool = False


@dataclass(frozen=True)
class Level:
    """A horizontal line across the chart at a value: a gridline, the baseline or the target,
    with where its label's baseline goes."""

    y: float
    value: Decimal
    label_y: float = 0


# Labels of the baseline and the target closer than a line of text apart are moved apart.
LABEL_HEIGHT = 12


@dataclass(frozen=True)
class OutcomeChart:
    title: str
    unit: str
    points: tuple[Point, ...]
    baseline: Level | None
    target: Level | None
    ticks: tuple[Level, ...]
    limit: Level | None = None
    limit_source: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = RIGHT
    bottom: int = BOTTOM
    # The title as the page shows it, both languages of a buyer's own outcome (HTML).
    caption: str = ""

    @property
    def drawn(self) -> bool:
        return bool(self.points or self.baseline or self.target)

    @property
    def line(self) -> str:
        """The readings joined in time order, as an SVG polyline's points."""
        return " ".join(f"{point.x},{point.y}" for point in self.points)

    @property
    def above_limit(self) -> bool:
        """Some reading breaks the legal limit, whatever the baseline was."""
        return any(point.above_limit for point in self.points)

    @property
    def reported(self) -> bool:
        """Some readings wait for the buyer's confirmation (drawn hollow)."""
        return any(not point.confirmed for point in self.points)


def outcome_chart(
    *,
    title: str,
    unit: str,
    samples: Sequence[Sample],
    baseline: Decimal | None,
    target: Decimal | None,
    caption: str = "",
    limit: Decimal | None = None,
    limit_source: str = "",
) -> OutcomeChart:
    """`limit` is the legal maximum of the outcome, if the law sets one: drawn as a line, and
    every reading above it marked."""
    samples = sorted(samples, key=lambda sample: sample.measured_on)
    lines = [value for value in (baseline, target, limit) if value is not None]
    values = [float(sample.value) for sample in samples] + [float(value) for value in lines]
    if not values:
        return OutcomeChart(title, unit, (), None, None, (), caption=caption)
    low, high = _value_range(values)

    def level(value: Decimal) -> Level:
        y = _y(float(value), low, high)
        return Level(y, value, y + LABEL_HEIGHT / 3)

    points: tuple[Point, ...] = ()
    if samples:
        first, last = samples[0].measured_on, samples[-1].measured_on
        points = tuple(
            Point(
                _x(sample.measured_on, first, last),
                level(sample.value).y,
                sample.measured_on,
                sample.value,
                sample.confirmed,
                limit is not None and sample.value > limit,
            )
            for sample in samples
        )
    ticks = tuple(level(Decimal(value)) for value in (low, (low + high) // 2, high))
    before = level(baseline) if baseline is not None else None
    goal = level(target) if target is not None else None
    if before and goal:
        before, goal = _apart(before, goal)
    cap = level(limit) if limit is not None else None
    return OutcomeChart(
        title, unit, points, before, goal, ticks, cap, limit_source, caption=caption
    )


def _value_range(values: list[float]) -> tuple[int, int]:
    """Whole numbers spanning the readings, the baseline and the target with a tenth to spare,
    so that both lines stay in view; one to spare either side of a flat line."""
    spare = (max(values) - min(values)) * 0.1 or 1
    return math.floor(min(values) - spare), math.ceil(max(values) + spare)


def _apart(first: Level, second: Level) -> tuple[Level, Level]:
    """The two labels moved away from each other until a line of text fits between them."""
    gap = abs(first.label_y - second.label_y)
    if gap >= LABEL_HEIGHT:
        return first, second
    shift = (LABEL_HEIGHT - gap) / 2
    up, down = (-shift, shift) if first.y <= second.y else (shift, -shift)
    return (
        replace(first, label_y=round(first.label_y + up, 1)),
        replace(second, label_y=round(second.label_y + down, 1)),
    )


def _y(value: float, low: int, high: int) -> float:
    """Higher values higher up: SVG's y runs down the page."""
    return round(BOTTOM - (value - low) / (high - low) * (BOTTOM - TOP), 1)


def _x(measured_on: date, first: date, last: date) -> float:
    """Placed by date, so a long gap between readings shows as one; a single day's readings in
    the middle."""
    if first == last:
        return (LEFT + RIGHT) / 2
    return round(LEFT + (measured_on - first).days / (last - first).days * (RIGHT - LEFT), 1)

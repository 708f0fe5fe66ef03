"""Outcome charts laid out on the server (no database, no clock)."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stonebridge.engagement.charts import BOTTOM, LEFT, RIGHT, TOP, Sample, outcome_chart

START = date(2026, 1, 5)


def chart(samples, baseline=None, target=None):
    return outcome_chart(
        title="Average weekly working hours",
        unit="h",
        samples=samples,
        baseline=baseline,
        target=target,
    )


def test_readings_run_left_to_right_by_date_and_higher_values_stand_higher():
    late = Sample(START + timedelta(days=90), Decimal(58), confirmed=False)
    early = Sample(START, Decimal(66), confirmed=True)
    middle = Sample(START + timedelta(days=30), Decimal(62), confirmed=True)
    drawn = chart([late, early, middle], baseline=Decimal(68), target=Decimal(49))
    assert [point.value for point in drawn.points] == [66, 62, 58]
    first, second, last = drawn.points
    assert (first.x, last.x) == (LEFT, RIGHT)
    # A month after the first of three months sits a third of the way along.
    assert second.x == round(LEFT + (RIGHT - LEFT) / 3, 1)
    assert first.y < second.y < last.y
    assert drawn.baseline.y < first.y
    assert drawn.target.y > last.y
    # The supplier's own reading waits for the buyer and is drawn hollow.
    assert drawn.reported
    assert not last.confirmed


@given(
    values=st.lists(st.decimals(-1000, 1000, places=2), max_size=8),
    baseline=st.none() | st.decimals(-1000, 1000, places=2),
    target=st.none() | st.decimals(-1000, 1000, places=2),
)
def test_every_reading_and_both_lines_stay_inside_the_chart(values, baseline, target):
    samples = [Sample(START + timedelta(days=7 * i), v, True) for i, v in enumerate(values)]
    drawn = chart(samples, baseline, target)
    levels = [drawn.baseline, drawn.target, *drawn.ticks, *drawn.points]
    for level in filter(None, levels):
        assert TOP <= level.y <= BOTTOM
    for point in drawn.points:
        assert LEFT <= point.x <= RIGHT


def test_a_single_reading_stands_in_the_middle_of_a_span_around_it():
    drawn = chart([Sample(START, Decimal(40), confirmed=True)])
    (point,) = drawn.points
    assert point.x == (LEFT + RIGHT) / 2
    assert drawn.ticks[0].value < 40 < drawn.ticks[-1].value


def test_labels_of_a_baseline_and_target_close_together_are_moved_apart():
    drawn = chart(
        [Sample(START, Decimal(0), True), Sample(START + timedelta(days=7), Decimal(100), True)],
        baseline=Decimal(50),
        target=Decimal(49),
    )
    assert drawn.target.label_y - drawn.baseline.label_y >= 12


def test_an_outcome_with_no_reading_baseline_or_target_draws_nothing():
    assert not chart([]).drawn
    assert chart([], target=Decimal(2)).drawn


def test_a_reading_above_the_legal_limit_is_marked_even_when_it_improves_on_the_baseline():
    drawn = outcome_chart(
        title="Average weekly working hours",
        unit="h",
        samples=[Sample(START, Decimal(55), confirmed=True)],
        baseline=Decimal(66),
        target=Decimal(48),
        limit=Decimal("48.3"),
        limit_source="Labour Law Art. 41",
    )
    (point,) = drawn.points
    assert point.above_limit
    assert drawn.above_limit
    assert drawn.limit is not None
    assert drawn.limit.value == Decimal("48.3")
    under = outcome_chart(
        title="Average weekly working hours",
        unit="h",
        samples=[Sample(START, Decimal(46), confirmed=True)],
        baseline=Decimal(66),
        target=Decimal(44),
        limit=Decimal("48.3"),
    )
    assert not under.above_limit

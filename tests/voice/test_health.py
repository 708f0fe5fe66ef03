"""The procedure's health, computed from facts alone: no database, no clock."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from stonebridge.voice.health import MIN_ANSWERS, CaseFacts, health, is_overdue

START, END, TODAY = date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 10)


def case(received=date(2026, 2, 1), ack=None, resolved=None, satisfied=None, topic="pay"):
    return CaseFacts(
        topic=topic,
        received_on=received,
        acknowledge_by=received + timedelta(days=7),
        respond_by=received + timedelta(days=30),
        acknowledged_on=ack,
        resolved_on=resolved,
        satisfied=satisfied,
    )


def run(cases, meetings=(), **kw):
    return health(list(cases), list(meetings), start=START, end=END, today=TODAY, **kw)


def test_nothing_gives_zeros_and_no_medians():
    figures = run([])
    assert figures.cases == 0
    assert figures.by_topic == ()
    assert figures.median_days_to_acknowledge is None
    assert figures.median_days_to_resolve is None
    assert figures.satisfied_share is None
    assert figures.overdue == 0
    assert figures.meetings == 0


def test_cases_are_counted_by_topic_most_first():
    figures = run([case(topic="hours"), case(topic="pay"), case(topic="pay")])
    assert figures.by_topic == (("pay", 2), ("hours", 1))


def test_only_cases_received_in_the_period_count_both_ends_included():
    figures = run([case(received=START), case(received=END), case(received=date(2025, 12, 31))])
    assert figures.cases == 2


def test_median_days_to_acknowledge_of_an_even_count_is_the_middle_pair_average():
    received = date(2026, 2, 1)
    figures = run(
        [case(received, ack=date(2026, 2, d)) for d in (2, 3, 5, 10)]  # 1, 2, 4, 9 days
    )
    assert figures.median_days_to_acknowledge == 3.0


def test_median_days_to_resolve_skips_unresolved_cases():
    figures = run([case(resolved=date(2026, 2, 11)), case()])
    assert figures.median_days_to_resolve == 10.0


def test_satisfied_share_is_withheld_below_five_answers():
    figures = run([case(satisfied=True)] * (MIN_ANSWERS - 1))
    assert figures.satisfied_share is None
    assert figures.answered == MIN_ANSWERS - 1
    assert figures.withheld


def test_satisfied_share_is_of_those_who_answered():
    answers = [True, True, True, False, False, None, None]
    figures = run([case(satisfied=s) for s in answers])
    assert figures.answered == 5
    assert figures.satisfied_share == Decimal("0.60")


def test_a_case_not_acknowledged_in_time_is_overdue():
    assert is_overdue(case(), TODAY)


def test_a_case_answered_is_not_overdue_on_its_answer():
    late_ack = date(2026, 2, 20)
    assert not is_overdue(case(ack=late_ack, resolved=date(2026, 2, 25)), TODAY)


def test_the_deadline_day_itself_is_not_yet_overdue():
    received = date(2026, 2, 1)
    facts = case(received, ack=date(2026, 2, 2))
    assert not is_overdue(facts, facts.respond_by)
    assert is_overdue(facts, facts.respond_by + timedelta(days=1))


def test_overdue_counts_cases_of_the_period():
    figures = run([case(), case(ack=date(2026, 2, 2), resolved=date(2026, 2, 3))])
    assert figures.overdue == 1


def test_meetings_in_the_period_are_counted():
    figures = run([], meetings=[date(2025, 12, 1), START, date(2026, 2, 14), END])
    assert figures.meetings == 3


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends before"):
        health([], [], start=END, end=START, today=TODAY)


def test_the_answer_does_not_depend_on_the_order_of_the_cases():
    cases = [case(topic="hours"), case(topic="pay"), case(topic="safety", satisfied=True)]
    assert run(cases) == run(list(reversed(cases)))

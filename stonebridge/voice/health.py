"""The health of a factory's own grievance procedure, as its buyers see it: counts and medians,
never a case. Pure: the facts come in (`services.health` gathers them), the figures go out;
no database, no clock.

A case counts in the period it was received. It is overdue when, on `today`, it was not
acknowledged by its acknowledgement day, or not answered by its response day. The share of
workers satisfied is of those who gave their view, and is withheld below `MIN_ANSWERS`
answers: with fewer, a share says more about a few people than about the procedure.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

# StoneBridge default: below five answers the satisfied share is not shown.
MIN_ANSWERS = 5


@dataclass(frozen=True)
class CaseFacts:
    topic: str
    received_on: date
    acknowledge_by: date
    respond_by: date
    acknowledged_on: date | None = None
    resolved_on: date | None = None
    satisfied: bool | None = None


@dataclass(frozen=True)
class Health:
    start: date
    end: date
    cases: int
    by_topic: tuple[tuple[str, int], ...]
    median_days_to_acknowledge: float | None
    median_days_to_resolve: float | None
    answered: int
    # None when fewer than MIN_ANSWERS workers gave their view.
    satisfied_share: Decimal | None
    overdue: int
    meetings: int

    @property
    def withheld(self) -> bool:
        return 0 < self.answered < MIN_ANSWERS


def is_overdue(case: CaseFacts, today: date) -> bool:
    late_acknowledgement = case.acknowledged_on is None and case.acknowledge_by < today
    late_answer = case.resolved_on is None and case.respond_by < today
    return late_acknowledgement or late_answer


def _median_days(pairs: list[tuple[date, date]]) -> float | None:
    if not pairs:
        return None
    return float(median((done - received).days for received, done in pairs))


def health(
    cases: list[CaseFacts],
    meetings_held: list[date],
    *,
    start: date,
    end: date,
    today: date,
    min_answers: int = MIN_ANSWERS,
) -> Health:
    """The procedure's figures for cases received and meetings held from `start` to `end`,
    both days included."""
    if end < start:
        raise ValueError("The period ends before it starts.")
    within = [c for c in cases if start <= c.received_on <= end]
    topics = Counter(c.topic for c in within)
    answers = [c.satisfied for c in within if c.satisfied is not None]
    share = None
    if answers and len(answers) >= min_answers:
        share = (Decimal(sum(answers)) / Decimal(len(answers))).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    return Health(
        start=start,
        end=end,
        cases=len(within),
        # Most cases first, then by name, so the order does not depend on the input's.
        by_topic=tuple(sorted(topics.items(), key=lambda item: (-item[1], item[0]))),
        median_days_to_acknowledge=_median_days(
            [(c.received_on, c.acknowledged_on) for c in within if c.acknowledged_on]
        ),
        median_days_to_resolve=_median_days(
            [(c.received_on, c.resolved_on) for c in within if c.resolved_on]
        ),
        answered=len(answers),
        satisfied_share=share,
        overdue=sum(1 for c in within if is_overdue(c, today)),
        meetings=sum(1 for held in meetings_held if start <= held <= end),
    )

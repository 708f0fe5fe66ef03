"""The demo's before/after worker surveys at the Shuitou sawing plant: a first survey before a
family-friendly programme (a child-friendly space in the summer, a worker-management dialogue)
and a follow-up after it, each with about fifty answers, measuring the plan's outcomes the way
the guidance's child-friendly-space pilot did: workers planning to stay two years, and trust in
management."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from stonebridge.accounts.models import Organisation
from stonebridge.engagement.models import Measure, Relationship
from stonebridge.engagement.services import measures, plans
from stonebridge.voice.models import Survey, SurveyResponse
from stonebridge.voice.services import surveys

from .voice import PLANT

TARGETS = {"stay_share": Decimal(50), "trust_share": Decimal(40)}

# How many workers picked each answer, before and after.
BEFORE = {
    "stay_two_years": {"yes": 18, "unsure": 12, "no": 20},
    "trust_management": {"yes": 14, "somewhat": 16, "no": 20},
    "written_contract": {"yes": 22, "signed_no_copy": 16, "no": 12},
    "seven_days": {"no": 14, "sometimes": 20, "yes": 16},
    "dust_mask": {"yes": 21, "not_fitting": 17, "no": 12},
    "job_type": {"cutting": 24, "finishing": 18, "other": 8},
    "years_worked": {"under_1": 14, "1_to_3": 20, "over_3": 16},
}
AFTER = {
    "stay_two_years": {"yes": 30, "unsure": 12, "no": 12},
    "trust_management": {"yes": 24, "somewhat": 18, "no": 12},
    "written_contract": {"yes": 40, "signed_no_copy": 9, "no": 5},
    "seven_days": {"no": 32, "sometimes": 16, "yes": 6},
    "dust_mask": {"yes": 41, "not_fitting": 8, "no": 5},
    "job_type": {"cutting": 25, "finishing": 20, "other": 9},
    "years_worked": {"under_1": 12, "1_to_3": 22, "over_3": 20},
}


def _answers(counts: dict[str, dict[str, int]], rng: random.Random) -> list[dict[str, str]]:
    """Per-question totals dealt out to workers at random: each answer's count is exact."""
    columns = {}
    for question, choices in counts.items():
        column = [choice for choice, n in choices.items() for _ in range(n)]
        rng.shuffle(column)
        columns[question] = column
    size = len(next(iter(columns.values())))
    return [{q: column[i] for q, column in columns.items()} for i in range(size)]


def _survey(
    buyer: Organisation, relationship: Relationship, title: str, days_ago: int, counts: dict
) -> Survey:
    by = buyer.memberships.owners().get().user
    today = timezone.localdate()
    opens_on = today - timedelta(days=days_ago)
    survey = surveys.survey_create(
        organisation=buyer,
        by=by,
        facility=relationship.facility,
        title=title,
        opens_on=opens_on,
        closes_on=opens_on + timedelta(days=20),
    )
    rng = random.Random(days_ago)  # the same answers on every run
    SurveyResponse.objects.bulk_create(
        SurveyResponse(survey=survey, period=opens_on.replace(day=1), answers=answers)
        for answers in _answers(counts, rng)
    )
    return surveys.survey_close(survey=survey, by=by)


def build(buyer: Organisation) -> tuple[Survey, Survey]:
    """The before and after surveys, and the plan whose outcomes they measure."""
    by = buyer.memberships.owners().get().user
    today = timezone.localdate()
    relationship = Relationship.objects.select_related("facility").get(
        organisation=buyer, facility__name_en=PLANT
    )
    # The guidance's child-friendly-space programme: its action measures workers planning to
    # stay two years and trust in management.
    plan = plans.plan_create(
        relationship=relationship,
        by=by,
        programme="child_friendly",
        starts_on=today - timedelta(days=100),
    )
    outcomes = {
        m.indicator: m for m in Measure.objects.filter(action__plan=plan, indicator__in=TARGETS)
    }
    for code, target in TARGETS.items():
        measures.measure_set_targets(measure=outcomes[code], by=by, baseline=None, target=target)
    before = _survey(buyer, relationship, "改进前（首次问卷）", 270, BEFORE)
    after = _survey(buyer, relationship, "改进后（跟进问卷）", 30, AFTER)
    for code, question in (("stay_share", "stay_two_years"), ("trust_share", "trust_management")):
        surveys.measure_from_surveys(
            measure=outcomes[code],
            by=by,
            before=before,
            after=after,
            question=question,
            choice="yes",
        )
    return before, after

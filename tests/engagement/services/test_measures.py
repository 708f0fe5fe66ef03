"""Evidence back to risk: verified actions and confirmed measurements."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from stonebridge.engagement.services import measures, plans
from stonebridge.risk import services as risk
from stonebridge.risk.models import Evidence, Score

from .helpers import TODAY, finding, new_action, outcome

# --- evidence back to risk --------------------------------------------------------------------


def priority(buyer, facility, issue) -> float:
    risk.recompute_facility(facility_id=facility.pk, organisation_id=buyer.pk)
    return Score.objects.get(organisation=buyer, facility=facility, issue_id=issue).priority


def test_a_verified_action_is_recorded_as_remediation_of_its_finding(buyer, owner, chain, plan):
    silica = finding(buyer, owner, chain["exporter"])
    action = new_action(plan, owner, finding=silica)
    plans.action_verify(action=action, by=owner, note="Wet saws seen on a visit.")
    evidence = Evidence.objects.get(origin=f"engagement.action:{action.pk}")
    assert evidence.kind == "remediation"
    assert evidence.indicator.code == "OHS_SILICA"
    assert evidence.facility == chain["exporter"]
    assert evidence.summary == "Wet saws seen on a visit."


def test_a_verified_action_lowers_the_priority_of_the_risk_it_answered(buyer, owner, chain, plan):
    silica = finding(buyer, owner, chain["exporter"])
    action = new_action(plan, owner, finding=silica)
    before = priority(buyer, chain["exporter"], "OHS")
    plans.action_verify(action=action, by=owner)
    assert priority(buyer, chain["exporter"], "OHS") < before


def test_a_verified_action_without_a_finding_does_not_raise_the_priority(
    buyer, owner, chain, action
):
    before = priority(buyer, chain["exporter"], "OHS")
    plans.action_verify(action=action, by=owner)
    assert priority(buyer, chain["exporter"], "OHS") <= before


def test_a_supplier_reported_measurement_is_no_evidence_until_the_buyer_confirms_it(
    owner, supplier_user, action
):
    hours = outcome(action, owner)
    reading = measures.reading_record(
        measure=hours, by=supplier_user, by_supplier=True, measured_on=TODAY, value=Decimal(60)
    )
    assert not Evidence.objects.filter(origin=f"engagement.reading:{reading.pk}").exists()
    assert reading.confirmed_at is None


@pytest.mark.parametrize(
    ("indicator", "value", "improved"),
    [
        ("weekly_hours", "60", True),  # fewer hours: better
        ("weekly_hours", "70", False),
        ("contract_share", "70", True),  # more workers with a contract: better
        ("contract_share", "60", False),
    ],
)
def test_a_confirmed_measurement_is_outcome_evidence_judged_by_its_direction(
    owner, supplier_user, action, indicator, value, improved
):
    measure = outcome(action, owner, indicator=indicator)
    reading = measures.reading_record(
        measure=measure, by=supplier_user, by_supplier=True, measured_on=TODAY, value=Decimal(value)
    )
    measures.reading_confirm(reading=reading, by=owner)
    evidence = Evidence.objects.get(origin=f"engagement.reading:{reading.pk}")
    assert evidence.kind == "outcome"
    assert evidence.improved is improved


def test_outcome_evidence_counts_for_the_issue_its_indicator_shows(owner, supplier_user, action):
    # The action is about dust (OHS); weekly hours show progress on hours and wages.
    hours = outcome(action, owner, indicator="weekly_hours")
    measures.reading_record(
        measure=hours, by=owner, by_supplier=False, measured_on=TODAY, value=Decimal(58)
    )
    evidence = Evidence.objects.get(origin__startswith="engagement.reading:")
    assert evidence.issue_id == "HOURS_WAGES"


def test_a_measurement_cannot_be_confirmed_twice(owner, action):
    hours = outcome(action, owner)
    reading = measures.reading_record(
        measure=hours, by=owner, by_supplier=False, measured_on=TODAY, value=Decimal(58)
    )
    with pytest.raises(ValidationError):
        measures.reading_confirm(reading=reading, by=owner)

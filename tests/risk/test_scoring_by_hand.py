"""The scoring rules on a small made-up taxonomy, each expected value worked by hand from the
weights in risk/scoring.py (StoneBridge defaults) rather than computed by the code under test.

With no baseline row for a facility's country the likelihood starts at the default level 3: 0.2.
One piece of evidence of weight w then raises it by (1 - 0.2) * w.
"""

from datetime import date, timedelta

import pytest

from stonebridge.risk import scoring
from stonebridge.risk.scoring import (
    BaselineRow,
    Evidence,
    FacilityFacts,
    Factor,
    Gap,
    IndicatorSpec,
    IssueSpec,
    Severity,
)

AS_OF = date(2026, 11, 26)

ISSUES = (
    IssueSpec(
        "OHS",
        scale=3,
        irremediability=3,
        indicators=(
            IndicatorSpec("OHS_SILICA", "OHS", 4, 5, frozenset({"dry_finishing"})),
            IndicatorSpec("OHS_CRUSH", "OHS", 5, 4),
            IndicatorSpec("OHS_NOISE", "OHS", 3, 3),
        ),
    ),
    IssueSpec("HOURS_WAGES", 2, 2),
    IssueSpec("YOUTH", 4, 3, (IndicatorSpec("YOUTH_NIGHT", "YOUTH", 5, 3),)),
    IssueSpec("CONTRACTS", 2, 2),
    IssueSpec("SOCIAL_SECURITY", 2, 2),
    IssueSpec("FORCED_LABOUR", 5, 5),
    IssueSpec("TRANSPARENCY", 2, 2),
)
CODES = [spec.code for spec in ISSUES]


def score(facts: FacilityFacts, *rows: BaselineRow) -> dict[str, scoring.IssueScore]:
    # The taxonomy is built inside each test, so that building it is tested too.
    taxonomy = scoring.Taxonomy(ISSUES, rows)
    return {s.issue: s for s in scoring.score_facility(facts, taxonomy, AS_OF)}


def likelihoods(facts: FacilityFacts, *rows: BaselineRow) -> dict[str, float]:
    return {issue: s.likelihood for issue, s in score(facts, *rows).items()}


def every_issue_at(likelihood: float, **others: float) -> dict[str, float]:
    return {code: pytest.approx(others.get(code, likelihood)) for code in CODES}


def lines(s: scoring.IssueScore) -> list[tuple[str, float]]:
    return [(c.kind, pytest.approx(c.likelihood)) for c in s.contributions]


def finding(id=1, issue="OHS", days_ago=0, confidence="high", **fields) -> Evidence:
    return Evidence(id, issue, "finding", AS_OF - timedelta(days=days_ago), confidence, **fields)


# --- severity: scale, scope and irremediability (UNGP 14) ------------------------------------


@pytest.mark.parametrize(
    ("people", "scope"),
    [(1, 1), (9, 1), (10, 2), (49, 2), (50, 3), (249, 3), (250, 4), (999, 4), (1000, 5)],
)
def test_scope_bands_are_10_50_250_and_1000_workers(people, scope):
    assert scoring.scope_of(people) == scope


@pytest.mark.parametrize(
    ("workers", "people_affected", "scope"),
    [
        (None, None, Factor(3, "unknown")),
        (40, None, Factor(2, "workers", "40")),
        (40, 45, Factor(2, "workers", "40")),  # the same band: the workforce stays the reason
        (40, 300, Factor(4, "people", "300")),
        (300, 40, Factor(4, "workers", "300")),
    ],
)
def test_the_scope_is_the_workforce_or_more_people_affected(workers, people_affected, scope):
    facts = FacilityFacts(
        "CN", workers=workers, evidence=(finding(people_affected=people_affected),)
    )
    assert score(facts)["OHS"].severity.scope == scope


def test_a_kind_of_work_presumes_only_its_own_indicators():
    sawing = score(FacilityFacts("CN", contexts=frozenset({"sawing"}), workers=40))["OHS"]
    assert sawing.severity == Severity(
        Factor(3, "issue"), Factor(2, "workers", "40"), Factor(3, "issue")
    )
    dry = score(FacilityFacts("CN", contexts=frozenset({"dry_finishing"}), workers=40))["OHS"]
    assert dry.severity == Severity(
        Factor(4, "context", "OHS_SILICA"),
        Factor(2, "workers", "40"),
        Factor(5, "context", "OHS_SILICA"),
    )


def test_a_finding_of_a_graver_indicator_raises_scale_and_irremediability():
    facts = FacilityFacts("CN", workers=40, evidence=(finding(indicator="OHS_CRUSH"),))
    assert score(facts)["OHS"].severity == Severity(
        Factor(5, "indicator", "OHS_CRUSH"),
        Factor(2, "workers", "40"),
        Factor(4, "indicator", "OHS_CRUSH"),
    )


def test_an_indicator_no_graver_than_the_issue_leaves_the_issue_as_the_reason():
    facts = FacilityFacts("CN", workers=40, evidence=(finding(indicator="OHS_NOISE"),))
    severity = score(facts)["OHS"].severity
    assert (severity.scale, severity.irremediability) == (Factor(3, "issue"), Factor(3, "issue"))


def test_unknown_and_other_issues_indicators_are_passed_over_not_stopped_at():
    mislabelled = (finding(1, indicator="OHS_GONE"), finding(2, indicator="YOUTH_NIGHT"))
    facts = FacilityFacts("CN", workers=40, evidence=mislabelled)
    assert score(facts)["OHS"].severity.scale == Factor(3, "issue")
    facts = FacilityFacts(
        "CN", workers=40, evidence=(*mislabelled, finding(3, indicator="OHS_CRUSH"))
    )
    assert score(facts)["OHS"].severity.scale == Factor(5, "indicator", "OHS_CRUSH")


@pytest.mark.parametrize(
    ("scale", "scope", "irremediability", "value"),
    [
        (1, 1, 1, 0.1),
        (3, 2, 3, 0.1 + 0.45 * 5 / 11),
        (5, 5, 4, 0.55),
        (1, 1, 5, 0.6),
        (5, 3, 5, 0.9),  # 0.6 + 0.4 * 6 / 8
        (5, 5, 5, 1.0),
    ],
)
def test_severity_values_worked_by_hand(scale, scope, irremediability, value):
    severity = Severity(
        Factor(scale, "issue"), Factor(scope, "workers"), Factor(irremediability, "issue")
    )
    assert severity.value == pytest.approx(value)
    assert severity.irremediable is (irremediability == 5)


# --- the baseline: the facility's own country, province and kind of work ---------------------

HOURS_ROWS = (
    BaselineRow(1, "HOURS_WAGES", "IN", "", "", 5),
    BaselineRow(2, "HOURS_WAGES", "CN", "", "", 2),
    BaselineRow(3, "HOURS_WAGES", "CN", "福建省", "", 4),
    BaselineRow(4, "HOURS_WAGES", "", "", "quarrying", 3),
)


@pytest.mark.parametrize(
    ("country", "province", "contexts", "expected"),
    [
        ("CN", "广东省", (), 2),  # not India's level 5, nor Fujian's 4
        ("CN", "", (), 2),
        ("CN", "福建省", (), 3),
        ("IN", "", (), 1),
        ("CN", "广东省", ("quarrying",), 4),  # quarrying anywhere (3) is above China's 2
        ("BR", "", ("quarrying",), 4),
        ("BR", "", ("sawing",), None),
    ],
)
def test_the_baseline_comes_from_rows_for_the_facilitys_own_country_and_province(
    country, province, contexts, expected
):
    taxonomy = scoring.Taxonomy(ISSUES, HOURS_ROWS)
    row = scoring.baseline(taxonomy, "HOURS_WAGES", country, province, contexts)
    assert (None if row is None else row.id) == expected


def test_the_baseline_line_names_its_row_and_the_default_names_none():
    cited = score(FacilityFacts("CN", province="广东省"), *HOURS_ROWS)["HOURS_WAGES"]
    (line,) = cited.contributions
    assert (line.kind, line.likelihood, line.baseline_id) == ("baseline", 0.10, 2)
    fujian = score(FacilityFacts("CN", province="福建省"), *HOURS_ROWS)["HOURS_WAGES"]
    (line,) = fujian.contributions
    assert (line.kind, line.likelihood, line.baseline_id) == ("baseline", 0.35, 3)
    uncited = score(FacilityFacts("DE"), *HOURS_ROWS)["HOURS_WAGES"]
    (line,) = uncited.contributions
    assert (line.kind, line.likelihood, line.baseline_id) == ("default", 0.20, None)
    # An issue without any baseline row starts at the default too.
    assert score(FacilityFacts("CN"), *HOURS_ROWS)["OHS"].contributions[0].kind == "default"


OHS_ROWS = (
    BaselineRow(11, "OHS", "", "", "", 3),
    BaselineRow(12, "OHS", "CN", "", "", 3),
    BaselineRow(13, "OHS", "CN", "", "sawing", 3),
    BaselineRow(14, "OHS", "CN", "福建省", "", 3),
)


@pytest.mark.parametrize(
    ("country", "province", "contexts", "expected"),
    [
        ("VN", "", (), 11),
        ("CN", "", (), 12),  # a country's own row before the one for every country
        ("CN", "", ("sawing",), 13),  # the kind of work counts
        ("CN", "福建省", (), 14),  # the province counts
        ("CN", "福建省", ("sawing",), 13),  # as specific as 14: the first row
    ],
)
def test_of_equal_levels_the_most_specific_row_then_the_first_is_cited(
    country, province, contexts, expected
):
    taxonomy = scoring.Taxonomy(ISSUES, OHS_ROWS)
    assert scoring.baseline(taxonomy, "OHS", country, province, contexts).id == expected


# --- what raises likelihood, and for which issue ----------------------------------------------


def test_dispatched_workers_above_the_legal_share_raise_worker_contracts_only():
    facts = FacilityFacts("CN", dispatched_share=0.25)
    assert likelihoods(facts) == every_issue_at(0.2, CONTRACTS=0.2 + 0.8 * 0.4)
    dispatched = score(facts)["CONTRACTS"].contributions[1]
    assert (dispatched.kind, dispatched.note) == ("dispatched", "25%")


def test_dispatched_workers_at_the_legal_share_raise_nothing():
    assert likelihoods(FacilityFacts("CN", dispatched_share=0.10)) == every_issue_at(0.2)


@pytest.mark.parametrize(
    ("share", "youth", "note"),
    [
        (0.05, 0.2 + 0.8 * 0.1, "5%"),  # any interns: 0.1
        (0.10, 0.2 + 0.8 * 0.1, "10%"),  # at the legal share
        (0.20, 0.2 + 0.8 * 0.4, "20%"),  # above it: 0.4
    ],
)
def test_student_interns_raise_decent_work_for_youth_only(share, youth, note):
    facts = FacilityFacts("CN", intern_share=share)
    assert likelihoods(facts) == every_issue_at(0.2, YOUTH=youth)
    interns = score(facts)["YOUTH"].contributions[1]
    assert (interns.kind, interns.note) == ("interns", note)


def test_migrant_workers_raise_social_insurance_and_hours():
    facts = FacilityFacts("CN", migrant_share=0.5)
    assert likelihoods(facts) == every_issue_at(
        0.2, SOCIAL_SECURITY=0.2 + 0.8 * 0.3 * 0.5, HOURS_WAGES=0.2 + 0.8 * 0.2 * 0.5
    )
    migrants = score(facts)["SOCIAL_SECURITY"].contributions[1]
    assert (migrants.kind, migrants.note) == ("migrants", "50%")


def test_an_undisclosed_sub_contractor_raises_transparency_only():
    facts = FacilityFacts("CN", gaps=(Gap("subcontractor"),))
    assert likelihoods(facts) == every_issue_at(0.2, TRANSPARENCY=0.2 + 0.8 * 0.3)
    assert lines(score(facts)["TRANSPARENCY"]) == [("default", 0.2), ("gap_subcontractor", 0.24)]


INDIAN_QUARRIES = BaselineRow(21, "FORCED_LABOUR", "IN", "", "quarrying", 5)


def test_blocks_from_an_unknown_indian_quarry_carry_half_of_indias_quarrying_baseline():
    """Forced labour: India's quarrying level 5 is 0.5, half of it 0.25. Issues without an Indian
    row take half the default 0.2: 0.1. Transparency counts the gap itself: 0.3."""
    facts = FacilityFacts("CN", gaps=(Gap("origin", "IN"),))
    assert likelihoods(facts, INDIAN_QUARRIES) == every_issue_at(
        0.2 + 0.8 * 0.1, FORCED_LABOUR=0.2 + 0.8 * 0.25, TRANSPARENCY=0.2 + 0.8 * 0.3
    )
    scores = score(facts, INDIAN_QUARRIES)
    origin = scores["FORCED_LABOUR"].contributions[1]
    assert (origin.kind, origin.baseline_id, origin.note) == ("gap_origin", 21, "IN")
    assert scores["OHS"].contributions[1].baseline_id is None
    assert scores["TRANSPARENCY"].contributions[1].note == "IN"


def test_unknown_quarries_in_the_facilitys_own_country_add_only_to_transparency():
    facts = FacilityFacts("CN", gaps=(Gap("origin", "CN"),))
    assert likelihoods(facts) == every_issue_at(0.2, TRANSPARENCY=0.2 + 0.8 * 0.3)


def test_stone_of_wholly_unknown_origin_raises_forced_labour():
    facts = FacilityFacts("CN", gaps=(Gap("origin"),))
    assert likelihoods(facts) == every_issue_at(
        0.2, FORCED_LABOUR=0.2 + 0.8 * 0.1, TRANSPARENCY=0.2 + 0.8 * 0.3
    )
    assert lines(score(facts)["FORCED_LABOUR"]) == [("default", 0.2), ("gap_unknown_origin", 0.08)]
    assert lines(score(facts)["TRANSPARENCY"]) == [("default", 0.2), ("gap_origin", 0.24)]


def test_a_sub_contractor_gap_listed_first_does_not_hide_an_origin_gap():
    facts = FacilityFacts("CN", gaps=(Gap("subcontractor"), Gap("origin")))
    # Transparency: 0.2 + 0.8 * 0.3 = 0.44, then + 0.56 * 0.3 = 0.608.
    assert likelihoods(facts) == every_issue_at(0.2, FORCED_LABOUR=0.28, TRANSPARENCY=0.608)


@pytest.mark.parametrize(
    ("confidence", "likelihood"),
    [("high", 0.2 + 0.8 * 0.8), ("medium", 0.2 + 0.8 * 0.5), ("low", 0.2 + 0.8 * 0.25)],
)
def test_a_finding_weighs_by_the_recorders_confidence(confidence, likelihood):
    facts = FacilityFacts("CN", evidence=(finding(confidence=confidence),))
    assert likelihoods(facts) == every_issue_at(0.2, OHS=likelihood)


def test_a_confidence_the_scoring_does_not_know_counts_as_medium():
    facts = FacilityFacts("CN", evidence=(finding(confidence=""),))
    assert likelihoods(facts)["OHS"] == pytest.approx(0.2 + 0.8 * 0.5)


@pytest.mark.parametrize(
    ("days_ago", "likelihood"),
    [
        (730, 0.2 + 0.8 * 0.8 * 0.5),  # one half-life
        (1460, 0.2 + 0.8 * 0.8 * 0.25),  # two
        (-10, 0.2 + 0.8 * 0.8),  # dated after the day scored: full weight, no more
    ],
)
def test_evidence_loses_half_its_weight_every_two_years(days_ago, likelihood):
    facts = FacilityFacts("CN", evidence=(finding(days_ago=days_ago),))
    assert likelihoods(facts)["OHS"] == pytest.approx(likelihood)


def test_grievances_and_outcomes_that_did_not_improve_raise_likelihood_like_findings():
    grievance = Evidence(1, "OHS", "grievance", AS_OF, "high")
    flat = Evidence(2, "HOURS_WAGES", "outcome", AS_OF, "high", improved=False)
    scores = score(FacilityFacts("CN", evidence=(grievance, flat)))
    assert lines(scores["OHS"]) == [("default", 0.2), ("grievance", 0.64)]
    assert lines(scores["HOURS_WAGES"]) == [("default", 0.2), ("outcome", 0.64)]
    assert [c.evidence_id for c in scores["OHS"].contributions] == [None, 1]


# --- remediation and improved outcomes: one line each, adding up to the priority ------------


def test_remediation_and_an_improved_outcome_are_lines_that_add_up_to_the_priority():
    """Forced labour (scale 5, irremediable) at a facility of unknown size (scope 3): severity
    0.6 + 0.4 * 6 / 8 = 0.9, so a line's points are 90 times its likelihood.

    The finding raises 0.2 by 0.8 * 0.8 = 0.64 to 0.84. The verified remediation keeps 40 % of the
    finding's weight, 0.32: 0.2 + 0.8 * 0.32 = 0.456. The improved outcome keeps 70 % of that,
    0.224: 0.2 + 0.8 * 0.224 = 0.3792."""
    evidence = (
        Evidence(1, "FORCED_LABOUR", "finding", AS_OF, "high"),
        Evidence(2, "FORCED_LABOUR", "remediation", AS_OF),
        Evidence(3, "FORCED_LABOUR", "outcome", AS_OF, improved=True),
    )
    forced = score(FacilityFacts("CN", evidence=evidence))["FORCED_LABOUR"]
    assert forced.severity.value == pytest.approx(0.9)
    assert [(c.kind, c.evidence_id, c.points, c.likelihood) for c in forced.contributions] == [
        ("default", None, pytest.approx(18), pytest.approx(0.2)),
        ("finding", 1, pytest.approx(57.6), pytest.approx(0.64)),
        ("remediation", 2, pytest.approx(-34.56), pytest.approx(-0.384)),
        ("outcome", 3, pytest.approx(-6.912), pytest.approx(-0.0768)),
    ]
    assert forced.likelihood == pytest.approx(0.3792)
    assert forced.priority == pytest.approx(34.128)  # 18 + 57.6 - 34.56 - 6.912


def test_remediation_answers_findings_up_to_its_day_not_later_ones():
    """Finding 1, two years old, weighs 0.8 * 0.5 = 0.4; finding 3, today, 0.8. Remediation a year
    ago keeps 40 % of the first only: 0.2 + 0.8 * 0.16 = 0.328, then + 0.672 * 0.8 = 0.8656."""
    evidence = (
        finding(1, days_ago=730),
        Evidence(2, "OHS", "remediation", AS_OF - timedelta(days=365)),
        finding(3),
    )
    ohs = score(FacilityFacts("CN", evidence=evidence))["OHS"]
    assert lines(ohs) == [
        ("default", 0.2),
        ("finding", 0.32),
        ("finding", 0.384),
        ("remediation", 0.8656 - 0.904),
    ]
    assert ohs.likelihood == pytest.approx(0.8656)


@pytest.mark.parametrize(
    ("indicator", "likelihood"),
    [
        # Only the crush finding: 0.2 + 0.8 * 0.32 = 0.456, then + 0.544 * 0.5 = 0.728.
        ("OHS_CRUSH", 0.728),
        # Both: 0.456, then + 0.544 * 0.2 = 0.5648.
        ("", 0.5648),
    ],
    ids=["naming-an-indicator", "naming-none"],
)
def test_remediation_naming_an_indicator_answers_only_its_findings(indicator, likelihood):
    """A high-confidence crush finding (0.8) and a medium noise finding (0.5): 0.84, then 0.92."""
    evidence = (
        finding(1, indicator="OHS_CRUSH"),
        finding(2, confidence="medium", indicator="OHS_NOISE"),
        Evidence(3, "OHS", "remediation", AS_OF, indicator=indicator),
    )
    ohs = score(FacilityFacts("CN", evidence=evidence))["OHS"]
    assert ohs.contributions[2].likelihood == pytest.approx(0.92 - 0.84)
    assert ohs.likelihood == pytest.approx(likelihood)


def test_every_issue_is_scored_in_the_taxonomys_order():
    taxonomy = scoring.Taxonomy(ISSUES, ())
    scored = scoring.score_facility(FacilityFacts("CN"), taxonomy, AS_OF)
    assert [s.issue for s in scored] == CODES

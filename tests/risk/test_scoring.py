"""Properties of the pure scoring function (DESIGN.md, rule 4), on the shipped taxonomy and
baseline files."""

import math
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from stonebridge.risk import reference, scoring

AS_OF = date(2026, 11, 26)


def _taxonomy() -> scoring.Taxonomy:
    issues = [
        scoring.IssueSpec(
            i["code"],
            i["scale"],
            i["irremediability"],
            tuple(
                scoring.IndicatorSpec(
                    x["code"], i["code"], x["scale"], x["irremediability"], frozenset(x["contexts"])
                )
                for x in i["indicators"]
            ),
        )
        for i in reference.taxonomy_file()
    ]
    rows = [
        scoring.BaselineRow(
            n, r["issue"], r["country"], r["province"], r["context"], int(r["level"])
        )
        for n, r in enumerate(reference.baseline_file(), start=1)
    ]
    return scoring.Taxonomy(issues, rows)


TAXONOMY = _taxonomy()
ISSUES = [spec.code for spec in TAXONOMY.issues]
INDICATORS = {spec.code: [i.code for i in spec.indicators] for spec in TAXONOMY.issues}
COUNTRIES = ["CN", "IN", "VN", "BR", "EG", "TR", "DE"]
PROVINCES = ["", "福建省", "广东省", "山东省", "新疆维吾尔自治区"]


IDS = st.integers(1, 10_000)
ADVERSE_KINDS = st.sampled_from(["finding", "grievance"])


@st.composite
def evidence(draw, ids=IDS, kinds=ADVERSE_KINDS):
    issue = draw(st.sampled_from(ISSUES))
    return scoring.Evidence(
        id=draw(ids),
        issue=issue,
        kind=draw(kinds),
        observed_on=AS_OF - timedelta(days=draw(st.integers(0, 3000))),
        confidence=draw(st.sampled_from(["low", "medium", "high"])),
        indicator=draw(st.sampled_from(["", *INDICATORS[issue]])),
        people_affected=draw(st.none() | st.integers(1, 5000)),
    )


gaps = st.builds(
    scoring.Gap,
    st.sampled_from(["subcontractor", "origin"]),
    st.sampled_from(["", "IN", "BR", "CN"]),
)
shares = st.none() | st.floats(0, 1)


SOME_EVIDENCE = st.lists(evidence(), max_size=6)


@st.composite
def facts(draw, evidence_list=SOME_EVIDENCE):
    return scoring.FacilityFacts(
        country=draw(st.sampled_from(COUNTRIES)),
        province=draw(st.sampled_from(PROVINCES)),
        contexts=frozenset(draw(st.sets(st.sampled_from(scoring.CONTEXTS)))),
        workers=draw(st.none() | st.integers(1, 3000)),
        migrant_share=draw(shares),
        dispatched_share=draw(shares),
        intern_share=draw(shares),
        gaps=tuple(draw(st.lists(gaps, max_size=3))),
        evidence=tuple(draw(evidence_list)),
    )


def score(f: scoring.FacilityFacts) -> dict[str, scoring.IssueScore]:
    return {s.issue: s for s in scoring.score_facility(f, TAXONOMY, AS_OF)}


@given(facts())
def test_deterministic(f):
    assert scoring.score_facility(f, TAXONOMY, AS_OF) == scoring.score_facility(f, TAXONOMY, AS_OF)


@given(facts())
def test_bounded_and_contributions_add_up_to_the_priority(f):
    for s in score(f).values():
        assert 0 < s.likelihood < 1
        assert 0.1 <= s.severity.value <= 1
        for factor in (s.severity.scale, s.severity.scope, s.severity.irremediability):
            assert 1 <= factor.value <= 5
        assert 0 < s.priority <= 100
        assert math.isclose(sum(c.points for c in s.contributions), s.priority, abs_tol=1e-9)


@given(facts(), evidence())
def test_more_evidence_never_lowers_risk(f, more):
    before = score(f)
    after = score(replace(f, evidence=(*f.evidence, more)))
    for issue in ISSUES:
        assert after[issue].priority >= before[issue].priority - 1e-9


@given(facts(), st.integers(0, 5))
def test_worse_evidence_never_lowers_risk(f, which):
    """More confidence, more recent, more people: each is worse news, never better."""
    if not f.evidence:
        return
    i = which % len(f.evidence)
    e = f.evidence[i]
    worse = replace(
        e,
        confidence="high",
        observed_on=max(e.observed_on, AS_OF - timedelta(days=10)),
        people_affected=max(e.people_affected or 0, 500),
    )
    evidence = list(f.evidence)
    evidence[i] = worse
    before, after = score(f), score(replace(f, evidence=tuple(evidence)))
    for issue in ISSUES:
        assert after[issue].priority >= before[issue].priority - 1e-9


@given(facts(), evidence(kinds=st.just("remediation")))
def test_verified_remediation_never_raises_risk_and_never_erases_the_record(f, remedy):
    before = score(f)
    after = score(replace(f, evidence=(*f.evidence, remedy)))
    for issue in ISSUES:
        assert after[issue].priority <= before[issue].priority + 1e-9
        # The baseline stays: remediation removes the weight of findings, not the inherent risk.
        baseline = after[issue].contributions[0]
        assert after[issue].likelihood >= baseline.likelihood - 1e-9
    # The remediation itself shows in the explanation.
    kinds = [c.evidence_id for c in after[remedy.issue].contributions]
    assert remedy.id in kinds


@settings(max_examples=300)
@given(
    st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.integers(1, 4)
)
def test_irremediable_harm_outranks_remediable_harm_of_equal_likelihood(
    scale_a, scope_a, scale_b, scope_b, irremediability_b
):
    irremediable = scoring.Severity(
        scoring.Factor(scale_a, "issue"),
        scoring.Factor(scope_a, "workers"),
        scoring.Factor(5, "issue"),
    )
    remediable = scoring.Severity(
        scoring.Factor(scale_b, "issue"),
        scoring.Factor(scope_b, "workers"),
        scoring.Factor(irremediability_b, "issue"),
    )
    assert irremediable.value > remediable.value


ROWS = {row.id: row for row in TAXONOMY.baseline}


@given(facts(evidence_list=st.just([])))
def test_no_evidence_gives_a_cited_baseline_for_the_facility_never_zero(f):
    f = replace(f, gaps=(), migrant_share=None, dispatched_share=None, intern_share=None)
    for s in score(f).values():
        (only,) = s.contributions
        assert s.likelihood == only.likelihood
        assert s.priority > 0
        if only.kind == "default":
            assert (only.likelihood, only.baseline_id) == (0.2, None)
            continue
        # A cited row of this issue that applies here: never another country's or province's.
        row = ROWS[only.baseline_id]
        assert row.issue == s.issue
        assert row.country in ("", f.country)
        assert row.province in ("", f.province)
        assert row.context in ("", *f.contexts)
        assert only.likelihood == {1: 0.05, 2: 0.10, 3: 0.20, 4: 0.35, 5: 0.50}[row.level]


def test_silica_dust_at_a_dry_finishing_workshop_is_irremediable_before_any_finding():
    f = scoring.FacilityFacts(
        country="CN", province="福建省", contexts=frozenset({"dry_finishing"})
    )
    ohs = score(f)["OHS"]
    assert ohs.severity.irremediable
    assert ohs.severity.irremediability.detail == "OHS_SILICA"
    assert ohs.likelihood == 0.5  # baseline level 5


def test_evidence_loses_half_its_weight_every_half_life():
    assert scoring.decay(AS_OF, AS_OF) == 1
    assert math.isclose(scoring.decay(AS_OF - timedelta(days=730), AS_OF), 0.5)


def test_remediation_answers_only_earlier_findings_of_its_issue():
    finding = scoring.Evidence(1, "HOURS_WAGES", "finding", AS_OF - timedelta(days=100), "high")
    fixed = scoring.Evidence(2, "HOURS_WAGES", "remediation", AS_OF - timedelta(days=50))
    later = scoring.Evidence(3, "HOURS_WAGES", "finding", AS_OF - timedelta(days=10), "high")
    base = scoring.FacilityFacts(country="CN")
    only = score(replace(base, evidence=(finding,)))["HOURS_WAGES"]
    remedied = score(replace(base, evidence=(finding, fixed)))["HOURS_WAGES"]
    again = score(replace(base, evidence=(finding, fixed, later)))["HOURS_WAGES"]
    assert remedied.priority < only.priority
    assert again.priority > remedied.priority


def test_blocks_of_unknown_quarry_from_india_carry_indias_baseline():
    china = scoring.FacilityFacts(country="CN", contexts=frozenset({"sawing"}))
    indian_blocks = replace(china, gaps=(scoring.Gap("origin", "IN"),))
    before, after = score(china), score(indian_blocks)
    assert after["FORCED_LABOUR"].priority > before["FORCED_LABOUR"].priority
    origin = [c for c in after["FORCED_LABOUR"].contributions if c.kind == "gap_origin"]
    assert origin
    assert origin[0].note == "IN"
    assert origin[0].baseline_id is not None

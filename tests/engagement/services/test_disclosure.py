"""No zero tolerance: a problem the supplier discloses raises no red flag."""

from stonebridge.engagement import flags, queries
from stonebridge.engagement.services import disclosure

from .helpers import TODAY, days_ago, finding

# --- no zero tolerance ------------------------------------------------------------------------


def state_imposed(**values):
    return {
        "issue": "FORCED_LABOUR",
        "indicator": "FL_STATE_PRISON",
        "summary": "Blocks come from a quarry worked by prisoners.",
        "observed_on": days_ago(10),
        **values,
    }


def raised(relationship) -> set[str]:
    return {flag.code for flag in queries.red_flags(relationship, TODAY) if flag.raised}


def test_a_supplier_disclosing_prison_labour_is_not_penalised(relationship, supplier_user):
    evidence = disclosure.finding_disclose(
        relationship=relationship, by=supplier_user, **state_imposed()
    )
    assert evidence.disclosed_by_supplier
    assert evidence.kind == "finding"
    assert raised(relationship) == set()


def test_the_disclosure_shows_among_the_facts_against_the_flag(relationship, supplier_user):
    disclosure.finding_disclose(relationship=relationship, by=supplier_user, **state_imposed())
    (irremediable,) = [
        f for f in queries.red_flags(relationship, TODAY) if f.code == flags.IRREMEDIABLE
    ]
    assert [fact.code for fact in irremediable.evidence_against] == ["disclosed"]


def test_the_same_finding_from_the_buyers_audit_raises_the_irremediable_flag(
    buyer, owner, chain, relationship
):
    evidence = finding(buyer, owner, chain["exporter"], **state_imposed())
    assert not evidence.disclosed_by_supplier
    assert raised(relationship) == {flags.IRREMEDIABLE}


def test_an_audit_finding_up_the_chain_raises_the_irremediable_flag(
    buyer, owner, chain, relationship
):
    finding(buyer, owner, chain["quarry"], **state_imposed())
    assert flags.IRREMEDIABLE in raised(relationship)


def test_gaps_in_the_map_alone_raise_no_flag(relationship):
    # The chain marks an undisclosed sub-contractor under the processor: ask first.
    assert queries.record_of(relationship, TODAY).undisclosed_subcontractors == 1
    assert raised(relationship) == set()

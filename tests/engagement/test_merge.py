"""Engagement follows two registry records of one firm being merged (its registered handler)."""

from datetime import date

import pytest

from stonebridge.engagement.models import Commitment, Plan, Relationship
from stonebridge.engagement.services import disclosure, plans, relationships
from stonebridge.risk.models import Evidence
from stonebridge.supplychain import merge, merging, queries
from stonebridge.supplychain import services as supplychain

from ..conftest import UserFactory


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True)


def test_the_chosen_engagement_stays_and_takes_the_others_plans_code_and_disclosures(
    chain, buyer, owner, supplier_org, supplier_user, staff
):
    processor = chain["processor"]
    twin = supplychain.facility_create(
        organisation=buyer, by=owner, kind="processor", name_zh="南安鑫源石材有限公司"
    )
    kept = relationships.relationship_create(organisation=buyer, by=owner, facility=processor)
    other = relationships.relationship_create(
        organisation=buyer, by=owner, facility=twin, supplier=supplier_org
    )
    relationships.sharing_answer(relationship=other, by=supplier_user, accept=True)
    plan = plans.plan_create(relationship=other, by=owner, title="Dust control")
    code = relationships.code_publish(
        organisation=buyer, by=owner, title="Code", text_en="Contracts.", text_zh="合同。"
    )
    commitment = relationships.code_send(relationship=other, by=owner, code=code)
    disclosed = disclosure.finding_disclose(
        relationship=other,
        by=supplier_user,
        issue="OHS",
        summary="Two workers without masks.",
        observed_on=date(2026, 10, 1),
    )
    (conflict,) = queries.merge_conflicts(keep=processor, remove=twin)
    assert conflict.key == f"relationship:{kept.pk}:{other.pk}"
    assert "Xiamen Haichen" in conflict.removed  # the supplier account, for staff to weigh

    merge.facility_merge(
        keep=processor, remove=twin, by=staff, choices={conflict.key: merging.KEEP}
    )
    assert list(Relationship.objects.filter(organisation=buyer)) == [kept]
    plan = Plan.objects.get(pk=plan.pk)
    assert (plan.relationship_id, plan.facility_id) == (kept.pk, processor.pk)
    assert Commitment.objects.get(pk=commitment.pk).relationship_id == kept.pk
    evidence = Evidence.objects.get(pk=disclosed.pk)
    assert evidence.facility_id == processor.pk
    assert evidence.origin == f"engagement.relationship:{kept.pk}"

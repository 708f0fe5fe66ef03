"""A relationship the supplier accepted, a plan in it and an action of the plan."""

import pytest

from stonebridge.engagement.models import Action, Relationship
from stonebridge.engagement.services import plans, relationships

from .helpers import new_action


@pytest.fixture
def relationship(buyer, owner, chain, supplier_org, supplier_user) -> Relationship:
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["exporter"], supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)


@pytest.fixture
def plan(relationship, owner):
    return plans.plan_create(relationship=relationship, by=owner, title="Dust control")


@pytest.fixture
def action(plan, owner) -> Action:
    return new_action(plan, owner)

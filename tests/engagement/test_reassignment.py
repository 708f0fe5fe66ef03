"""When the buyer names another supplier's account on a relationship, consent starts again: the
new account is asked first and sees nothing until it accepts, the old one loses access, the old
one's people own nothing any more, and the red-flag clocks start again at the new acceptance."""

from datetime import timedelta

import pytest
from django.utils import timezone

from stonebridge.accounts.models import Organisation, Role
from stonebridge.audit.models import Entry
from stonebridge.engagement import queries
from stonebridge.engagement.services import disclosure, escalation, plans, relationships
from stonebridge.notifications.models import Notification

from ..conftest import OrganisationFactory, client_for, member

TODAY = timezone.localdate()


@pytest.fixture
def other_supplier_org(db):
    return OrganisationFactory(
        slug="jinlong",
        name="Quanzhou Jinlong Stone Co., Ltd.",
        name_zh="泉州金龙石业有限公司",
        kind=Organisation.Kind.SUPPLIER,
    )


@pytest.fixture
def other_supplier_user(other_supplier_org):
    return member(
        other_supplier_org,
        Role.OWNER,
        email="manager@jinlong.example",
        name="Lin Jianguo",
        language="zh-hans",
    )


@pytest.fixture
def engaged(buyer, owner, chain, supplier_org, supplier_user):
    """Accepted by the first supplier, with a plan and an action its manager owns."""
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["processor"], supplier=supplier_org
    )
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    relationship.refresh_from_db()
    plan = plans.plan_create(relationship=relationship, by=owner, title="Dust control")
    action = plans.action_create(
        plan=plan,
        by=owner,
        title="Install wet cutting",
        issue="OHS",
        due_on=TODAY + timedelta(days=30),
        supplier_owner=supplier_user,
    )
    return relationship, plan, action


def reassign_in_the_edit_form(buyer, owner, relationship, supplier):
    # Found by a search: the picker lists no supplier unrelated to the buyer otherwise.
    response = client_for(owner).post(
        f"/o/{buyer.slug}/engagement/{relationship.pk}/edit/?find={supplier.name}",
        {"supplier": supplier.pk, "improvement_period_days": 365},
    )
    assert response.status_code == 302, response.content.decode()


def test_a_supplier_named_in_the_edit_form_sees_nothing_until_it_accepts(
    engaged, buyer, owner, supplier_org, supplier_user, other_supplier_org, other_supplier_user
):
    relationship, plan, action = engaged
    reassign_in_the_edit_form(buyer, owner, relationship, other_supplier_org)
    new = client_for(other_supplier_user)
    workspace = f"/o/{other_supplier_org.slug}/workspace"
    # The new account is asked, and reads no plan, action or report form of the buyer's.
    home = new.get(f"{workspace}/").content.decode()
    assert 'id="asking"' in home
    assert "Dust control" not in home
    assert new.get(f"{workspace}/plans/{plan.pk}/").status_code == 404
    assert new.get(f"{workspace}/actions/{action.pk}/").status_code == 404
    posted = new.post(f"{workspace}/actions/{action.pk}/report/", {"text": "我们来报告"})
    assert posted.status_code == 404
    assert not action.updates.exists()
    assert Notification.objects.filter(user=other_supplier_user, kind="request").exists()
    # Its people are not offered as owners in the buyer's picker.
    picker = client_for(owner).get(f"/o/{buyer.slug}/engagement/actions/{action.pk}/edit/")
    assert other_supplier_user.name not in picker.content.decode()
    # The old account lost access, and its manager owns the action no more.
    old = client_for(supplier_user)
    assert old.get(f"/o/{supplier_org.slug}/workspace/plans/{plan.pk}/").status_code == 404
    action.refresh_from_db()
    assert action.supplier_owner is None


def test_once_the_new_supplier_accepts_it_sees_the_plan(
    engaged, buyer, owner, other_supplier_org, other_supplier_user
):
    relationship, plan, _action = engaged
    reassign_in_the_edit_form(buyer, owner, relationship, other_supplier_org)
    new = client_for(other_supplier_user)
    workspace = f"/o/{other_supplier_org.slug}/workspace"
    new.post(f"{workspace}/{relationship.pk}/sharing/", {"accept": "1"})
    assert new.get(f"{workspace}/plans/{plan.pk}/").status_code == 200
    relationship.refresh_from_db()
    assert relationship.supplier_accepted_by == other_supplier_user


def test_saving_the_form_without_changing_the_supplier_keeps_the_acceptance(
    engaged, buyer, owner, supplier_org, supplier_user
):
    relationship, _plan, action = engaged
    response = client_for(owner).post(
        f"/o/{buyer.slug}/engagement/{relationship.pk}/edit/",
        {"supplier": supplier_org.pk, "improvement_period_days": 400},
    )
    assert response.status_code == 302
    relationship.refresh_from_db()
    assert relationship.improvement_period_days == 400
    assert relationship.supplier_accepted_by == supplier_user
    action.refresh_from_db()
    assert action.supplier_owner == supplier_user


def test_red_flags_of_the_old_account_do_not_stand_against_the_new_one(
    engaged, owner, other_supplier_org, other_supplier_user
):
    relationship, _plan, _action = engaged
    disclosure.request_create(
        relationship=relationship,
        by=owner,
        kind="question",
        text="Who signs the contracts?",
        due_on=TODAY - timedelta(days=40),
    )
    assert escalation.flags_refresh(relationship=relationship, today=TODAY) == ["refusal_to_engage"]
    relationships.relationship_update(
        relationship=relationship,
        by=owner,
        supplier=other_supplier_org,
        improvement_period_days=365,
    )
    assert not relationship.flags.filter(cleared_at__isnull=True).exists()
    relationships.sharing_answer(relationship=relationship, by=other_supplier_user, accept=True)
    relationship.refresh_from_db()
    engage = next(
        f for f in queries.red_flags(relationship, TODAY) if f.code == "refusal_to_engage"
    )
    assert not engage.raised
    assert "new_account" in [fact.code for fact in engage.evidence_against]
    # Thirty days after its own acceptance the question still open counts against it.
    later = TODAY + timedelta(days=31)
    assert escalation.flags_refresh(relationship=relationship, today=later) == ["refusal_to_engage"]


def test_the_change_of_account_is_in_the_buyers_log(
    engaged, owner, supplier_org, other_supplier_org
):
    relationship, _plan, _action = engaged
    relationships.relationship_update(
        relationship=relationship,
        by=owner,
        supplier=other_supplier_org,
        improvement_period_days=365,
    )
    entry = Entry.objects.filter(verb="engagement.relationship_updated").latest("pk")
    assert entry.changes["previous_supplier"] == supplier_org.slug
    assert entry.changes["supplier"] == other_supplier_org.slug
    assert entry.changes["owners_cleared"] == 1

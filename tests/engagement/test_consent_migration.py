"""The data migration that repairs relationships whose supplier's account was changed without
asking it afresh (as the edit form allowed before)."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from stonebridge.accounts.models import Organisation, Role
from stonebridge.engagement.models import Relationship
from stonebridge.engagement.services import disclosure, escalation, plans, relationships

from ..conftest import OrganisationFactory, client_for, member

repair_consent = importlib.import_module(
    "stonebridge.engagement.migrations.0003_repair_consent_after_supplier_change"
).repair_consent

TODAY = timezone.localdate()


@pytest.fixture
def new_supplier(db):
    return OrganisationFactory(slug="jinlong", kind=Organisation.Kind.SUPPLIER, name="Jinlong")


def engaged(buyer, owner, facility, supplier, manager):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=facility, supplier=supplier
    )
    relationships.sharing_answer(relationship=relationship, by=manager, accept=True)
    relationship.refresh_from_db()
    plan = plans.plan_create(relationship=relationship, by=owner, title=f"Plan {facility.pk}")
    action = plans.action_create(
        plan=plan,
        by=owner,
        title="Wet cutting",
        issue="OHS",
        due_on=TODAY + timedelta(days=30),
        supplier_owner=manager,
    )
    code = buyer.codes.first() or relationships.code_publish(
        organisation=buyer, by=owner, title="Code", text_en="Contracts.", text_zh="合同。"
    )
    commitment = relationships.code_send(relationship=relationship, by=owner, code=code)
    relationships.code_acknowledge(commitment=commitment, by=manager)
    return relationship, plan, action, commitment


def test_a_relationship_passed_to_another_account_goes_back_to_asking(
    buyer, owner, chain, supplier_org, supplier_user, new_supplier
):
    new_manager = member(new_supplier, Role.OWNER)
    moved, plan, action, commitment = engaged(
        buyer, owner, chain["processor"], supplier_org, supplier_user
    )
    kept, kept_plan, kept_action, kept_commitment = engaged(
        buyer, owner, chain["exporter"], new_supplier, new_manager
    )
    moved.flags.create(code="refusal_to_engage")
    # What the old edit form did: another account named, the old acceptance kept.
    Relationship.objects.filter(pk=moved.pk).update(supplier=new_supplier)
    workspace = f"/o/{new_supplier.slug}/workspace"
    assert client_for(new_manager).get(f"{workspace}/plans/{plan.pk}/").status_code == 200

    repair_consent(apps, None)

    moved.refresh_from_db()
    assert moved.supplier == new_supplier
    assert moved.supplier_accepted_at is None
    assert moved.supplier_accepted_by is None
    assert not moved.flags.filter(cleared_at__isnull=True).exists()
    action.refresh_from_db()
    assert action.supplier_owner is None
    commitment.refresh_from_db()
    assert commitment.acknowledged_at is None
    new = client_for(new_manager)
    assert new.get(f"{workspace}/plans/{plan.pk}/").status_code == 404
    assert 'id="asking"' in new.get(f"{workspace}/").content.decode()
    # A relationship its own account accepted is left as it was.
    kept.refresh_from_db()
    assert kept.supplier_accepted_by == new_manager
    kept_action.refresh_from_db()
    assert kept_action.supplier_owner == new_manager
    kept_commitment.refresh_from_db()
    assert kept_commitment.acknowledged_by == new_manager
    assert new.get(f"{workspace}/plans/{kept_plan.pk}/").status_code == 200


def test_the_red_flag_clocks_start_again_at_the_new_acceptance(
    buyer, owner, chain, supplier_org, supplier_user, new_supplier
):
    new_manager = member(new_supplier, Role.OWNER)
    moved, *_ = engaged(buyer, owner, chain["processor"], supplier_org, supplier_user)
    disclosure.request_create(
        relationship=moved, by=owner, kind="question", text="?", due_on=TODAY - timedelta(days=40)
    )
    Relationship.objects.filter(pk=moved.pk).update(supplier=new_supplier)
    repair_consent(apps, None)
    moved.refresh_from_db()
    relationships.sharing_answer(relationship=moved, by=new_manager, accept=True)
    moved.refresh_from_db()
    assert moved.flags_since == TODAY
    assert escalation.flags_refresh(relationship=moved, today=TODAY) == []
    later = TODAY + timedelta(days=31)
    assert escalation.flags_refresh(relationship=moved, today=later) == ["refusal_to_engage"]


def test_repairing_twice_changes_nothing_more(buyer, owner, chain, supplier_org, supplier_user):
    relationship, _plan, action, _commitment = engaged(
        buyer, owner, chain["processor"], supplier_org, supplier_user
    )
    repair_consent(apps, None)
    repair_consent(apps, None)
    relationship.refresh_from_db()
    assert relationship.supplier_accepted_by == supplier_user
    assert relationship.supplier_changed_at is None
    action.refresh_from_db()
    assert action.supplier_owner == supplier_user

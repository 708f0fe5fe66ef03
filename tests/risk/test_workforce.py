"""Who works at a facility: each buyer's own statement, or its supplier's disclosure. One buyer's
figures never move another buyer's scores."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.test import Client

from stonebridge.accounts.services import api_token_create
from stonebridge.engagement.services import disclosure, relationships
from stonebridge.risk import facts, queries
from stonebridge.risk import services as risk
from stonebridge.risk.models import Score, WorkforceStatement
from stonebridge.supplychain import services as supplychain
from stonebridge.supplychain.models import Facility

from ..conftest import client_for

MIGRATION = "stonebridge.risk.migrations.0004_workforce_from_the_registry"


def api_for(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


@pytest.fixture
def shared(chain, other_buyer_org, other_buyer):
    """The other buyer buys from the same processor as the buyer's chain holds at tier 2."""
    supplychain.sourcing_set(
        organisation=other_buyer_org,
        by=other_buyer,
        facility=chain["processor"],
        annual_volume=Decimal(50),
    )
    return chain["processor"]


def scores(organisation, facility) -> dict[str, tuple[float, float]]:
    return {
        s.issue_id: (s.severity, s.priority)
        for s in Score.objects.filter(organisation=organisation, facility=facility)
    }


def test_one_buyers_figures_do_not_move_another_buyers_scores(
    shared, buyer, owner, other_buyer_org
):
    before = scores(other_buyer_org, shared)
    assert before
    response = api_for(owner).patch(
        f"/api/organisations/{buyer.slug}/facilities/{shared.pk}",
        {"workers": 900, "intern_share": "0.4", "migrant_share": "0.9"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert scores(other_buyer_org, shared) == before
    # The buyer's own scores read its own statement.
    assert facts.for_facility(buyer.pk, shared.pk).workers == 900
    assert scores(buyer, shared) != scores(other_buyer_org, shared)
    # The shared record keeps the figures it was first recorded with.
    assert Facility.objects.get(pk=shared.pk).workers is None


@pytest.fixture
def accepted(shared, buyer, owner, supplier_org, supplier_user):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=shared, supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)


def test_a_suppliers_disclosure_counts_for_the_buyers_it_accepted_only(
    accepted, shared, buyer, other_buyer_org, supplier_org, supplier_user
):
    disclosure.workforce_disclose(
        supplier=supplier_org,
        by=supplier_user,
        facility=shared,
        workers=300,
        intern_share=Decimal("0.2"),
    )
    assert facts.for_facility(buyer.pk, shared.pk).workers == 300
    assert facts.for_facility(buyer.pk, shared.pk).intern_share == 0.2
    assert facts.for_facility(other_buyer_org.pk, shared.pk).workers is None
    page = (
        client_for(accepted.organisation.memberships.first().user)
        .get(f"/o/{buyer.slug}/facilities/{shared.pk}/risk/")
        .content.decode()
    )
    assert "Disclosed by the supplier" in page
    assert "300" in page


def test_the_buyers_newer_figures_count_and_the_disclosure_is_shown_beside_them(
    accepted, shared, buyer, owner, supplier_org, supplier_user
):
    disclosure.workforce_disclose(
        supplier=supplier_org, by=supplier_user, facility=shared, workers=300
    )
    risk.workforce_state(organisation=buyer, by=owner, facility=shared, workers=450)
    assert facts.for_facility(buyer.pk, shared.pk).workers == 450
    seen = queries.workforce_for(buyer, shared)
    assert seen["counting"].workers == 450
    assert seen["disclosed"].workers == 300
    page = client_for(owner).get(f"/o/{buyer.slug}/facilities/{shared.pk}/risk/").content.decode()
    assert "450" in page
    assert "300" in page
    assert "Disclosed by the supplier" in page


def test_a_supplier_discloses_only_about_sites_it_accepted(chain, supplier_org, supplier_user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        disclosure.workforce_disclose(
            supplier=supplier_org, by=supplier_user, facility=chain["quarry"], workers=10
        )
    assert not WorkforceStatement.objects.exists()


def test_a_buyer_accepted_later_receives_the_disclosure_as_it_was_dated(
    accepted, shared, chain, supplier_org, supplier_user, other_buyer_org, other_buyer
):
    disclosure.workforce_disclose(
        supplier=supplier_org, by=supplier_user, facility=shared, workers=300
    )
    later = relationships.relationship_create(
        organisation=other_buyer_org, by=other_buyer, facility=shared, supplier=supplier_org
    )
    assert facts.for_facility(other_buyer_org.pk, shared.pk).workers is None
    relationships.sharing_answer(relationship=later, by=supplier_user, accept=True)
    assert facts.for_facility(other_buyer_org.pk, shared.pk).workers == 300


def test_the_upgrade_turns_registry_figures_into_each_holders_statement(
    shared, chain, buyer, other_buyer_org
):
    import importlib

    Facility.objects.filter(pk=shared.pk).update(workers=120, migrant_share=Decimal("0.5"))
    Facility.objects.filter(pk=chain["quarry"].pk).update(workers=40)
    WorkforceStatement.objects.all().delete()
    importlib.import_module(MIGRATION).forwards(apps, None)
    for holder in (buyer, other_buyer_org):
        known = facts.for_facility(holder.pk, shared.pk)
        assert (known.workers, known.migrant_share) == (120, 0.5)
    assert facts.for_facility(buyer.pk, chain["quarry"].pk).workers == 40
    # The other buyer's chain does not reach the quarry: nothing is stated for it there.
    assert not WorkforceStatement.objects.filter(
        organisation=other_buyer_org, facility=chain["quarry"]
    ).exists()
    assert set(WorkforceStatement.objects.values_list("source", flat=True)) == {"registry"}


def test_the_supplier_discloses_its_workforce_on_its_workspace(
    accepted, shared, buyer, owner, supplier_org, supplier_user
):
    client = client_for(supplier_user)
    home = client.get(f"/o/{supplier_org.slug}/workspace/").content.decode()
    url = f"/o/{supplier_org.slug}/workspace/{accepted.pk}/workforce/"
    assert url in home
    response = client.post(url, {"workers": "80", "migrant_share": "0.5"})
    assert response.status_code == 302
    seen = queries.workforce_for(buyer, shared)["disclosed"]
    assert (seen.workers, seen.disclosed_by) == (80, supplier_org)
    assert facts.for_facility(buyer.pk, shared.pk).migrant_share == 0.5


def test_a_supplier_cannot_record_a_buyers_own_figures(shared, supplier_org, supplier_user):
    response = client_for(supplier_user).post(
        f"/o/{supplier_org.slug}/facilities/{shared.pk}/workforce/", {"workers": "5"}
    )
    assert response.status_code == 403
    assert not WorkforceStatement.objects.exists()


def test_the_figures_in_a_buyers_imported_list_count_for_its_scores_only(
    shared, buyer, owner, other_buyer_org
):
    from stonebridge.supplychain.importing import import_start

    job = import_start(
        organisation=buyer,
        by=owner,
        data="kind,name_zh,city,workers\nprocessor,南安市水头鑫源石材厂,泉州市,250\n".encode(),
        filename="suppliers.csv",
        kind="facilities",
    )
    job.refresh_from_db()
    assert job.status == "done", job.errors or job.review
    assert facts.for_facility(buyer.pk, shared.pk).workers == 250
    assert facts.for_facility(other_buyer_org.pk, shared.pk).workers is None


def test_the_api_states_and_shows_workforce_figures(
    accepted, shared, buyer, owner, supplier_org, supplier_user
):
    disclosure.workforce_disclose(
        supplier=supplier_org, by=supplier_user, facility=shared, workers=300
    )
    url = f"/api/organisations/{buyer.slug}/facilities/{shared.pk}/workforce"
    api = api_for(owner)
    posted = api.post(url, {"workers": 450, "intern_share": "0.1"}, content_type="application/json")
    assert posted.status_code == 201
    body = api.get(url).json()
    assert (body["counting"]["workers"], body["counting"]["source"]) == (450, "buyer")
    assert (body["disclosed"]["workers"], body["disclosed"]["source"]) == (300, "supplier")
    refused = api_for(supplier_user).post(
        f"/api/organisations/{supplier_org.slug}/facilities/{shared.pk}/workforce",
        {"workers": 1},
        content_type="application/json",
    )
    assert refused.status_code == 403

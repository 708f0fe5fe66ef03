"""An action answers a finding made at its plan's own site, picked by the issue's name in the
reader's language."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stonebridge.engagement.services import plans, relationships
from stonebridge.risk import services as risk

from ..conftest import client_for, member

TODAY = timezone.localdate()


def finding(buyer, owner, facility, summary, issue="OHS"):
    return risk.evidence_record(
        organisation=buyer,
        by=owner,
        facility=facility,
        issue=issue,
        kind="finding",
        observed_on=TODAY - timedelta(days=3),
        source_type="audit",
        summary=summary,
    )


def test_the_action_form_offers_only_the_findings_of_the_plans_site(buyer, owner, chain):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["exporter"]
    )
    plan = plans.plan_create(relationship=relationship, by=owner, title="Dust control")
    here = finding(buyer, owner, chain["exporter"], "No masks at the exporter's saws.")
    finding(buyer, owner, chain["processor"], "Dust at the sawing plant.")
    reader = member(buyer, language="zh-hans")
    url = reverse("engagement:action_create", args=[buyer.slug, plan.pk])
    page = client_for(reader).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "No masks at the exporter" in page
    assert "Dust at the sawing plant." not in page
    # Under the issue's name in Chinese, never its code.
    group = page.split(f'value="{here.pk}"', 1)[0].rsplit("<optgroup", 1)[1]
    assert 'label="职业健康安全"' in group
    assert "OHS" not in group


def test_the_api_refuses_an_action_answering_a_finding_at_another_site(buyer, owner, chain):
    from stonebridge.accounts.services import api_token_create
    from stonebridge.engagement.models import Action

    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["exporter"]
    )
    plan = plans.plan_create(relationship=relationship, by=owner, title="Dust control")
    elsewhere = finding(buyer, owner, chain["processor"], "Dust at the sawing plant.")
    token = api_token_create(user=owner, name="t")[1]
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        f"/api/organisations/{buyer.slug}/plans/{plan.pk}/actions",
        {
            "title": "Masks at the saws",
            "issue": "OHS",
            "due_on": str(TODAY + timedelta(days=30)),
            "finding_id": elsewhere.pk,
        },
        content_type="application/json",
    )
    # Closing the action must not remove the weight of what was found at the sawing plant.
    assert response.status_code == 422
    assert "another site" in response.content.decode()
    assert not Action.objects.exists()

"""Where each person lands, and what a buyer's home page tells at a glance."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from stonebridge.engagement.services import disclosure, escalation, plans, relationships

from ..conftest import client_for

TODAY = timezone.localdate()


def test_a_supplier_lands_on_its_workspace(supplier_user, supplier_org):
    response = client_for(supplier_user).get(reverse("home"))
    assert response["Location"] == reverse("engagement:workspace_home", args=[supplier_org.slug])


def test_a_buyer_lands_on_its_home_page(owner, buyer):
    response = client_for(owner).get(reverse("home"))
    assert response["Location"] == reverse("accounts:organisation", args=[buyer.slug])


def test_the_buyers_home_page_says_where_it_stands(
    chain, owner, buyer, supplier_org, supplier_user
):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["processor"], supplier=supplier_org
    )
    relationship = relationships.sharing_answer(
        relationship=relationship, by=supplier_user, accept=True
    )
    plan = plans.plan_create(relationship=relationship, by=owner, title="Hours")
    for days in (-5, 30):
        plans.action_create(
            plan=plan,
            by=owner,
            kind="corrective",
            title="Rest day every week",
            issue="HOURS_WAGES",
            due_on=TODAY + timedelta(days=days),
        )
    disclosure.request_create(
        relationship=relationship, by=owner, kind="question", text="?", due_on=TODAY - timedelta(45)
    )
    escalation.flags_refresh(relationship=relationship, today=TODAY)

    page = client_for(owner).get(reverse("accounts:organisation", args=[buyer.slug]))
    body = page.content.decode()
    assert 'id="home-traced-share">60 %' in body
    assert reverse("supplychain:overview", args=[buyer.slug]) in body
    risks = body[body.index('id="home-risks"') :].split("</section>")[0]
    assert reverse("risk:register", args=[buyer.slug]) in risks
    assert re.search(rf'href="/o/{buyer.slug}/risks/\d+/\w+/"', risks), "a top risk, explained"
    assert "2 open actions" in body
    assert "1 of them overdue" in body
    assert "Refuses to engage" in body
    assert reverse("engagement:relationship", args=[buyer.slug, relationship.pk]) in body


def test_a_supplier_home_page_shows_no_buyer_summary(supplier_user, supplier_org):
    page = client_for(supplier_user).get(reverse("accounts:organisation", args=[supplier_org.slug]))
    assert 'id="home-engagement"' not in page.content.decode()

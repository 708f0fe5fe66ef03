"""Findings and assignments where people land: the supplier's workspace, the buyer's and the
auditor's home pages, each only while it concerns them."""

from datetime import timedelta

import pytest
from django.urls import reverse

from stonebridge.assessments.models import Visit
from stonebridge.assessments.services import visits

from ...conftest import client_for
from .helpers import TODAY, plan_visit, record

pytestmark = pytest.mark.django_db


def page(user, name, org) -> str:
    return client_for(user).get(reverse(name, args=[org.slug])).content.decode()


def test_a_supplier_is_pointed_to_the_findings_about_its_sites(
    audited, supplier_org, supplier_user, xinyuan, xinyuan_user
):
    text = page(supplier_user, "engagement:workspace_home", supplier_org)
    # The supplier reads Chinese.
    assert "走访您的厂矿后有1条审核发现" in text
    assert reverse("assessments:workspace_findings", args=[supplier_org.slug]) in text
    # Xinyuan's own finding, not Haichen's: one each.
    assert "有1条审核发现" in page(xinyuan_user, "engagement:workspace_home", xinyuan)


def test_an_unannounced_visit_is_not_counted_before_its_day(
    buyer, owner, haichen_site, supplier_org, supplier_user
):
    visit = plan_visit(buyer, owner, [haichen_site], kind="unannounced")
    record(visit, owner, haichen_site)
    Visit.objects.filter(pk=visit.pk).update(visit_on=TODAY + timedelta(days=3))
    assert 'id="to-answer"' not in page(supplier_user, "engagement:workspace_home", supplier_org)


def test_the_buyer_sees_disputes_to_decide_on_its_home_page(audited, buyer, owner, supplier_user):
    assert "finding disputed" not in page(owner, "accounts:organisation", buyer)
    visits.dispute_raise(finding=audited["haichen"], by=supplier_user, reasons="Masks were worn.")
    assert "1 finding disputed by a supplier" in page(owner, "accounts:organisation", buyer)


def test_the_auditor_sees_its_assignments_until_the_grant_ends(audited, provider, auditor):
    assert "有1次走访交给您负责" in page(auditor, "accounts:organisation", provider)
    Visit.objects.filter(provider=provider).update(access_until=TODAY - timedelta(days=1))
    assert "交给您负责" not in page(auditor, "accounts:organisation", provider)

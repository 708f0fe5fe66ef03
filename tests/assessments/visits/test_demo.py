"""The demo shows visits as they happen: an auditor with a login, a visit with findings, one
disputed by the supplier and waiting for the buyer, and an unannounced visit the supplier does
not see yet."""

from django.core.management import call_command
from django.urls import reverse

from stonebridge.accounts.models import Organisation, User
from stonebridge.assessments.models import Dispute, Finding, Visit

from ...conftest import client_for


def test_the_demo_has_an_auditor_a_visit_with_findings_and_a_dispute(db):
    call_command("seed_demo", stdout=None)
    auditor = User.objects.get(email="auditor@qinghe.example")
    provider = Organisation.objects.get(kind=Organisation.Kind.SERVICE_PROVIDER)
    visit = Visit.objects.filter(provider=provider, findings__isnull=False).distinct().get()
    assert visit.findings.count() == 2
    disputed = Finding.objects.get(state="disputed")
    assert Dispute.objects.get(finding=disputed).outcome == "pending"
    assert disputed.evidence.confidence == "low"
    assignments = client_for(auditor).get(
        reverse("assessments:provider_visits", args=[provider.slug])
    )
    assert assignments.status_code == 200
    supplier = disputed.relationship.supplier
    manager = supplier.memberships.get(role="owner").user
    page = client_for(manager).get(reverse("assessments:workspace_findings", args=[supplier.slug]))
    assert "不预先通知的走访" not in page.content.decode()
    assert Visit.objects.filter(kind="unannounced").exists()

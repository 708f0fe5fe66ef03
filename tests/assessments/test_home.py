"""One menu entry leads to every kind of evidence, each organisation to the kinds it has."""

import pytest
from django.urls import reverse

from stonebridge.accounts.models import Organisation, Role

from ..conftest import OrganisationFactory, client_for, member

pytestmark = pytest.mark.django_db


def home(user, org):
    response = client_for(user).get(reverse("assessments:home", args=[org.slug]))
    assert response.status_code == 200
    return response.content.decode()


def link(name, org):
    return f'href="{reverse(f"assessments:{name}", args=[org.slug])}"'


def test_a_buyer_reaches_questionnaires_visits_and_records(buyer, owner):
    page = home(owner, buyer)
    for name in ("questionnaires", "submissions", "visits", "records_checks"):
        assert link(name, buyer) in page
    assert link("home", buyer) in page  # the menu's single entry


def test_a_supplier_reaches_its_own_side_of_each(supplier_org, supplier_user):
    page = home(supplier_user, supplier_org)
    for name in ("workspace_questionnaires", "workspace_findings", "records_checks"):
        assert link(name, supplier_org) in page
    assert link("questionnaires", supplier_org) not in page


def test_an_auditor_reaches_its_assignments_only(db):
    provider = OrganisationFactory(kind=Organisation.Kind.SERVICE_PROVIDER)
    auditor = member(provider, Role.OWNER)
    page = home(auditor, provider)
    assert link("provider_visits", provider) in page
    assert link("records_checks", provider) not in page


def test_an_outsider_gets_404(buyer, other_buyer):
    response = client_for(other_buyer).get(reverse("assessments:home", args=[buyer.slug]))
    assert response.status_code == 404

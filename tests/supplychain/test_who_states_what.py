"""Who may state what about a facility: sourcing and links belong to buyers' chains."""

import pytest
from django.test import Client

from stonebridge.accounts.models import Organisation
from stonebridge.accounts.services import api_token_create
from stonebridge.supplychain.models import Facility, Link, Sourcing

from ..conftest import OrganisationFactory, client_for, member


def api_for(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


@pytest.fixture
def covenant_user(db):
    covenant = OrganisationFactory(slug="covenant", kind=Organisation.Kind.COVENANT)
    return covenant, member(covenant)


def test_a_suppliers_token_cannot_create_sourcing_or_links(chain, supplier_org, supplier_user):
    api = api_for(supplier_user)
    base = f"/api/organisations/{supplier_org.slug}"
    sourcing = api.put(
        f"{base}/sourcing/{chain['processor'].pk}",
        {"annual_volume": "10"},
        content_type="application/json",
    )
    link = api.post(
        f"{base}/links",
        {
            "kind": "supplies_blocks",
            "supplier_id": chain["quarry"].pk,
            "customer_id": chain["exporter"].pk,
        },
        content_type="application/json",
    )
    assert sourcing.status_code == 403
    assert link.status_code == 403
    assert "Only a buyer" in link.json()["detail"]
    assert not Sourcing.objects.filter(organisation=supplier_org).exists()
    assert not Link.objects.filter(organisation=supplier_org).exists()


def test_a_covenant_cannot_create_sourcing(chain, covenant_user):
    covenant, user = covenant_user
    response = api_for(user).put(
        f"/api/organisations/{covenant.slug}/sourcing/{chain['processor'].pk}",
        {"annual_volume": "10"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_suppliers_login_cannot_create_sourcing_or_links_in_the_pages(
    chain, supplier_org, supplier_user
):
    client = client_for(supplier_user)
    facility = chain["processor"]
    base = f"/o/{supplier_org.slug}/facilities/{facility.pk}"
    page = client.get(f"{base}/")
    assert page.status_code == 200
    assert f"{base}/sourcing/" not in page.content.decode()
    assert client.get(f"{base}/sourcing/").status_code == 403
    assert client.post(f"{base}/sourcing/", {"annual_volume": "10"}).status_code == 403
    posted = client.post(
        f"{base}/links/new/", {"kind": "subcontracts", "supplier": chain["workshop"].pk}
    )
    assert posted.status_code == 403
    assert not Sourcing.objects.filter(organisation=supplier_org).exists()
    assert not Link.objects.filter(organisation=supplier_org).exists()


def test_a_supplier_cannot_change_a_facilitys_workforce_figures(
    buyer, owner, supplier_org, supplier_user
):
    # A facility in no chain yet: before, anyone could edit it, workforce figures included.
    from stonebridge.supplychain import services

    facility = services.facility_create(
        organisation=buyer, by=owner, kind="workshop", name_zh="某雕刻厂", workers=20
    )
    response = api_for(supplier_user).patch(
        f"/api/organisations/{supplier_org.slug}/facilities/{facility.pk}",
        {"workers": 5, "intern_share": "0.5"},
        content_type="application/json",
    )
    assert response.status_code == 403
    facility = Facility.objects.get(pk=facility.pk)
    assert facility.workers == 20
    assert facility.intern_share is None


def test_a_supplier_cannot_import_links(supplier_org, supplier_user):
    response = client_for(supplier_user).post(
        f"/o/{supplier_org.slug}/imports/",
        {"kind": "links", "format": "stonebridge", "file": _csv("links.csv", b"a,b\n1,2\n")},
    )
    assert response.status_code == 403


def _csv(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")

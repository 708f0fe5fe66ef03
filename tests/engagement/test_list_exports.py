"""The suppliers a buyer engages download as the engagement page lists them."""

import pytest
from django.urls import reverse

from stonebridge.engagement.services.relationships import relationship_create
from stonebridge.supplychain.services import facility_create

from ..conftest import client_for
from ..downloads.sheets import downloaded

FORMATS = ("csv", "xlsx")


@pytest.fixture
def engaged(buyer, owner):
    for name_zh, name_en in (("水头石材厂", "-2+3"), ("莱州石材厂", "Laizhou Stone")):
        site = facility_create(
            organisation=buyer,
            by=owner,
            kind="processor",
            name_zh=name_zh,
            name_en=name_en,
            province="福建省",
        )
        relationship_create(organisation=buyer, by=owner, facility=site)


@pytest.mark.django_db
@pytest.mark.usefixtures("engaged")
@pytest.mark.parametrize("fmt", FORMATS)
def test_suppliers_download_with_the_search(buyer, owner, fmt):
    url = reverse("engagement:suppliers_export", kwargs={"org": buyer.slug, "fmt": fmt})
    client = client_for(owner)
    rows = downloaded(client, url, fmt)
    assert rows[0][:2] == ["Facility (Chinese)", "Facility (English or pinyin)"]
    assert [row[1] for row in rows[1:]] == ["'-2+3", "Laizhou Stone"]
    found = downloaded(client, f"{url}?q=莱州", fmt)
    assert [row[0] for row in found[1:]] == ["莱州石材厂"]
    assert downloaded(client, f"{url}?flagged=1", fmt)[1:] == []


@pytest.mark.django_db
@pytest.mark.usefixtures("engaged")
def test_another_organisation_gets_404(buyer, other_buyer, supplier_user):
    url = reverse("engagement:suppliers_export", kwargs={"org": buyer.slug, "fmt": "csv"})
    for outsider in (other_buyer, supplier_user):
        assert client_for(outsider).get(url).status_code == 404

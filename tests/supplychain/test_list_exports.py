"""The facilities page downloads what it shows: the same search, filters and sort."""

import pytest
from django.urls import reverse

from stonebridge.supplychain.services import facility_create

from ..conftest import client_for
from ..downloads.sheets import downloaded

FORMATS = ("csv", "xlsx")


@pytest.fixture
def sites(buyer, owner):
    quarry = facility_create(
        organisation=buyer,
        by=owner,
        kind="quarry",
        name_zh="莱州市金星石材矿",
        name_en="Laizhou Jinxing Quarry",
        province="山东省",
        workers=40,
    )
    sneaky = facility_create(
        organisation=buyer,
        by=owner,
        kind="workshop",
        name_zh="",
        name_en="+cmd|' /C calc'!A0",
        province="福建省",
        workers=8,
    )
    return quarry, sneaky


@pytest.mark.django_db
@pytest.mark.usefixtures("sites")
@pytest.mark.parametrize("fmt", FORMATS)
def test_facilities_download_as_the_list_shows_them(buyer, owner, fmt):
    url = reverse("supplychain:facility_export", kwargs={"org": buyer.slug, "fmt": fmt})
    client = client_for(owner)
    rows = downloaded(client, f"{url}?sort=-workers", fmt)
    assert rows[0][:3] == ["Facility (Chinese)", "Facility (English or pinyin)", "Kind"]
    names = [row[1] for row in rows[1:]]
    assert names == ["Laizhou Jinxing Quarry", "'+cmd|' /C calc'!A0"]  # most workers first
    assert [row[1] for row in downloaded(client, f"{url}?kind=quarry", fmt)[1:]] == [
        "Laizhou Jinxing Quarry"
    ]
    assert len(downloaded(client, f"{url}?q=莱州", fmt)) == 2


@pytest.mark.django_db
def test_facilities_download_in_chinese(sites, buyer, owner):
    owner.language = "zh-hans"
    owner.save(update_fields=["language"])
    url = reverse("supplychain:facility_export", kwargs={"org": buyer.slug, "fmt": "xlsx"})
    rows = downloaded(client_for(owner), url, "xlsx")
    assert "莱州市金星石材矿" in [row[0] for row in rows]
    assert all(ord(c) > 127 for c in str(rows[0][2])), rows[0]


@pytest.mark.django_db
def test_another_organisation_gets_404(sites, buyer, other_buyer, supplier_user):
    url = reverse("supplychain:facility_export", kwargs={"org": buyer.slug, "fmt": "csv"})
    for outsider in (other_buyer, supplier_user):
        assert client_for(outsider).get(url).status_code == 404


@pytest.mark.django_db
def test_the_list_page_links_to_its_downloads_with_its_filters(sites, buyer, owner):
    page = client_for(owner).get(
        reverse("supplychain:facilities", kwargs={"org": buyer.slug}) + "?kind=quarry"
    )
    url = reverse("supplychain:facility_export", kwargs={"org": buyer.slug, "fmt": "xlsx"})
    assert f"{url}?kind=quarry" in page.content.decode()


@pytest.fixture
def imports(buyer, owner, other_buyer_org):
    from stonebridge.supplychain.models import ImportJob

    def job(organisation, filename, status):
        return ImportJob.objects.create(
            organisation=organisation,
            created_by=owner,
            kind=ImportJob.Kind.FACILITIES,
            format=ImportJob.Format.STONEBRIDGE,
            filename=filename,
            status=status,
            total_rows=3,
        )

    job(buyer, "=HYPERLINK(1).xlsx", ImportJob.Status.FAILED)
    job(buyer, "供应商名单.xlsx", ImportJob.Status.DONE)
    job(other_buyer_org, "steinwerk.csv", ImportJob.Status.DONE)


@pytest.mark.django_db
@pytest.mark.usefixtures("imports")
@pytest.mark.parametrize("fmt", FORMATS)
def test_earlier_imports_download_as_the_page_lists_them(buyer, owner, fmt):
    url = reverse("supplychain:import_list_export", kwargs={"org": buyer.slug, "fmt": fmt})
    rows = downloaded(client_for(owner), url, fmt)
    assert rows[0] == ["File", "What", "Rows", "Status", "Time"]
    # Newest first, and only Noordsteen's.
    assert [row[0] for row in rows[1:]] == ["供应商名单.xlsx", "'=HYPERLINK(1).xlsx"]
    assert str(rows[1][2]) == "3"


@pytest.mark.django_db
@pytest.mark.usefixtures("imports")
def test_earlier_imports_are_the_buyers_own(buyer, other_buyer, supplier_user):
    url = reverse("supplychain:import_list_export", kwargs={"org": buyer.slug, "fmt": "csv"})
    for outsider in (other_buyer, supplier_user):
        assert client_for(outsider).get(url).status_code == 404

"""The audit log and the members download as their pages show them."""

import pytest
from django.urls import reverse

from stonebridge.supplychain.services import facility_create

from ..conftest import client_for, member
from ..downloads.sheets import downloaded

FORMATS = ("csv", "xlsx")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_audit_log_downloads_with_its_filters(buyer, owner, fmt):
    facility_create(
        organisation=buyer, by=owner, kind="workshop", name_en="=1+2", province="福建省"
    )
    url = reverse("accounts:audit_log_export", kwargs={"org": buyer.slug, "fmt": fmt})
    client = client_for(owner)
    rows = downloaded(client, url, fmt)
    assert rows[0] == ["Time", "By", "Action", "Object", "Changes"]
    assert "'=1+2" in [row[3] for row in rows[1:]]
    assert "=1+2" not in [row[3] for row in rows[1:]]
    created = downloaded(client, f"{url}?verb=facility.created", fmt)
    assert len(created) == 2
    assert created[1][1] == str(owner)
    assert (
        downloaded(client, f"{url}?verb=facility.created&since=2000-01-01&until=2000-01-02", fmt)[
            1:
        ]
        == []
    )


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
def test_members_download_with_the_search(buyer, owner, viewer, fmt):
    member(buyer, name="@SUM(A1)", email="sum@noordsteen.example")
    url = reverse("accounts:members_export", kwargs={"org": buyer.slug, "fmt": fmt})
    rows = downloaded(client_for(viewer), url, fmt)
    assert rows[0] == ["Name", "E-mail address", "Role"]
    assert len(rows) == 4
    found = downloaded(client_for(viewer), f"{url}?q=sum@", fmt)
    assert found[1:] == [["'@SUM(A1)", "sum@noordsteen.example", "Owner"]]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accounts:audit_log_export", "accounts:members_export"])
def test_another_organisation_gets_404(buyer, other_buyer, supplier_user, name):
    url = reverse(name, kwargs={"org": buyer.slug, "fmt": "xlsx"})
    for outsider in (other_buyer, supplier_user, None):
        response = client_for(outsider).get(url)
        assert response.status_code == (302 if outsider is None else 404)

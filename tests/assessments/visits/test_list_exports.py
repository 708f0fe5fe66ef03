"""The buyer's visits download as the list shows them."""

import pytest
from django.urls import reverse

from ...conftest import client_for
from ...downloads.sheets import downloaded


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_visits_download_with_their_sites_and_findings(audited, provider, buyer, owner, fmt):
    provider.name = "=Qinghe"
    provider.save(update_fields=["name"])
    url = reverse("assessments:visit_export", kwargs={"org": buyer.slug, "fmt": fmt})
    rows = downloaded(client_for(owner), url, fmt)
    assert rows[0][:3] == ["Type of visit", "Date of the visit", "Sites"]
    (visit,) = rows[1:]
    assert visit[3] == "'=Qinghe"
    assert str(visit[5]) == "2"
    assert str(audited["haichen"].relationship.facility) in visit[2]


@pytest.mark.django_db
@pytest.mark.usefixtures("audited")
def test_others_get_404(buyer, other_buyer, auditor, supplier_user):
    url = reverse("assessments:visit_export", kwargs={"org": buyer.slug, "fmt": "csv"})
    for outsider in (other_buyer, auditor, supplier_user):
        assert client_for(outsider).get(url).status_code == 404

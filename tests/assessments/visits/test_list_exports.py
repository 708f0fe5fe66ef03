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


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_auditors_assignments_download(audited, buyer, provider, auditor, fmt):
    buyer.name = "@Noordsteen"
    buyer.save(update_fields=["name"])
    url = reverse("assessments:provider_visit_export", kwargs={"org": provider.slug, "fmt": fmt})
    rows = downloaded(client_for(auditor), url, fmt)
    assert rows[0][:4] == ["走访类型", "走访日期", "厂矿", "采购商"]
    (visit,) = rows[1:]
    assert visit[3] == "'@Noordsteen"
    assert str(visit[5]) == "2"


@pytest.mark.django_db
@pytest.mark.usefixtures("audited")
def test_the_assignments_are_the_providers_own(provider, owner, supplier_user, other_buyer):
    url = reverse("assessments:provider_visit_export", kwargs={"org": provider.slug, "fmt": "csv"})
    for outsider in (owner, supplier_user, other_buyer):
        assert client_for(outsider).get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_supplier_downloads_only_the_findings_about_its_sites(
    audited, buyer, supplier_org, supplier_user, fmt
):
    buyer.name = "=Noordsteen"
    buyer.save(update_fields=["name"])
    url = reverse(
        "assessments:workspace_finding_export", kwargs={"org": supplier_org.slug, "fmt": fmt}
    )
    rows = downloaded(client_for(supplier_user), url, fmt)
    assert rows[0][:3] == ["问题类别", "严重程度", "状态"]
    haichen = audited["haichen"]
    # Haichen's finding, not Xinyuan's from the same visit.
    assert [row[3:5] for row in rows[1:]] == [
        [haichen.relationship.facility.name_zh, haichen.relationship.facility.name_en]
    ]
    assert rows[1][0] == haichen.issue.name_zh
    assert rows[1][6] == "'=Noordsteen"


@pytest.mark.django_db
@pytest.mark.usefixtures("audited")
def test_the_findings_download_is_the_suppliers_own(supplier_org, owner, xinyuan_user, auditor):
    url = reverse(
        "assessments:workspace_finding_export", kwargs={"org": supplier_org.slug, "fmt": "csv"}
    )
    for outsider in (owner, xinyuan_user, auditor):
        assert client_for(outsider).get(url).status_code == 404

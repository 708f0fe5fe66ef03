"""The wage-and-hours records checks download as the list shows them, to buyer and supplier."""

import pytest
from django.urls import reverse

from ..conftest import client_for
from ..downloads.sheets import downloaded
from .test_records_pages import submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_records_checks_download_for_buyer_and_supplier(
    owner, buyer, relationship, supplier_user, supplier_org, other_buyer, fmt
):
    submit(relationship, owner)
    for user, org in ((owner, buyer), (supplier_user, supplier_org)):
        url = reverse("assessments:records_check_export", kwargs={"org": org.slug, "fmt": fmt})
        rows = downloaded(client_for(user), url, fmt)
        assert len(rows) == 2
        assert rows[1][6] == buyer.name
        assert str(rows[1][2]).startswith("2026-03-01")
    url = reverse("assessments:records_check_export", kwargs={"org": buyer.slug, "fmt": fmt})
    assert client_for(other_buyer).get(url).status_code == 404

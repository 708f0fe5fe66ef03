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


def _approval(relationship, by, *, posts="锯板岗位"):
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from stonebridge.assessments.services.records import hours_approval_record

    return hours_approval_record(
        relationship=relationship,
        by=by,
        posts=posts,
        period="quarter",
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        reference="闽人社综〔2026〕12号",
        document=SimpleUploadedFile("approval.pdf", b"%PDF-1.4 approval"),
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_approvals_download_as_the_list_shows_them(owner, buyer, relationship, other_buyer, fmt):
    _approval(relationship, owner, posts="=1+2 sawing")
    url = reverse("assessments:records_approval_export", kwargs={"org": buyer.slug, "fmt": fmt})
    rows = downloaded(client_for(owner), url, fmt)
    assert rows[0][:3] == ["Facility (Chinese)", "Facility (English or pinyin)", "Posts"]
    assert [row[0] for row in rows[1:]] == ["海辰石业锯板厂"]
    assert rows[1][2] == "'=1+2 sawing"
    assert rows[1][6] == "闽人社综〔2026〕12号"
    assert client_for(other_buyer).get(url).status_code == 404

"""A long list is written in the background with its progress, for the person who asked."""

import pytest
from django.test import override_settings
from django.urls import reverse

from stonebridge.audit.models import Entry
from stonebridge.downloads import listing
from stonebridge.downloads.models import Download
from stonebridge.voice import exports
from stonebridge.voice.models import Topic

from ..conftest import client_for, member
from ..voice.conftest import submit
from .sheets import xlsx_rows


@pytest.mark.django_db
@override_settings(DOWNLOADS_DIRECT_ROWS=2)
def test_a_long_list_is_written_in_the_background_and_reads_back(channel, buyer, owner):
    numbers = {submit(channel)[0].number for _ in range(3)}
    submit(channel, topic=Topic.PAY)
    client = client_for(owner)
    url = reverse("voice:case_export", kwargs={"org": buyer.slug, "fmt": "xlsx"})
    response = client.get(f"{url}?topic={Topic.HOURS}")
    assert response.status_code == 302
    download = Download.objects.get()
    assert response["Location"] == reverse(
        "downloads:status", kwargs={"org": buyer.slug, "download_id": download.pk}
    )
    assert download.status == Download.Status.DONE
    assert (download.total_rows, download.processed_rows, download.progress) == (3, 3, 100)
    assert Entry.objects.filter(verb="downloads.requested", organisation=buyer).exists()
    page = client.get(response["Location"])
    assert 'value="100"' in page.content.decode()
    assert "?topic=hours" in page.content.decode()  # back to the list as it was
    file_url = reverse("downloads:file", kwargs={"org": buyer.slug, "download_id": download.pk})
    assert file_url in page.content.decode()
    rows = xlsx_rows(client.get(file_url))
    assert rows[0][0] == "Case number"
    assert {str(row[0]) for row in rows[1:]} == numbers


@pytest.mark.django_db
@override_settings(DOWNLOADS_DIRECT_ROWS=0)
def test_only_the_person_who_asked_fetches_the_file(channel, buyer, owner, other_buyer):
    submit(channel)
    client_for(owner).get(reverse("voice:case_export", kwargs={"org": buyer.slug, "fmt": "csv"}))
    download = Download.objects.get()
    kwargs = {"org": buyer.slug, "download_id": download.pk}
    colleague = member(buyer)
    for user in (colleague, other_buyer):
        for name in ("downloads:status", "downloads:file"):
            assert client_for(user).get(reverse(name, kwargs=kwargs)).status_code == 404


@pytest.mark.django_db
def test_progress_is_told_as_the_rows_are_written(channel, buyer, owner, monkeypatch):
    for _ in range(5):
        submit(channel)
    monkeypatch.setattr(listing, "CHUNK", 2)
    membership = owner.memberships.get(organisation=buyer)
    found = exports.CASES.rows(membership, {})
    told: list[int] = []
    listing.table_file(exports.CASES, list(found), "csv", told.append)
    assert told == [2, 4]


@pytest.mark.django_db
@override_settings(DOWNLOADS_DIRECT_ROWS=0)
def test_someone_who_left_gets_no_file(channel, buyer, owner):
    from stonebridge.downloads.tasks import write_download

    submit(channel)
    client_for(owner).get(reverse("voice:case_export", kwargs={"org": buyer.slug, "fmt": "csv"}))
    download = Download.objects.get()
    Download.objects.filter(pk=download.pk).update(status=Download.Status.QUEUED, content=None)
    owner.memberships.all().delete()
    with pytest.raises(PermissionError):
        write_download.call(download_id=download.pk)
    download.refresh_from_db()
    assert download.status == Download.Status.FAILED
    assert download.content is None


def test_a_download_names_only_a_listing():
    for key in (
        "os.system",
        "stonebridge.voice.exports.filtered_cases",
        "stonebridge.settings.DEBUG",
    ):
        with pytest.raises(LookupError):
            listing.find(key)
    assert listing.find(exports.CASES.key) is exports.CASES


LISTING_MODULES = (
    "stonebridge.accounts.exports",
    "stonebridge.assessments.exports",
    "stonebridge.engagement.exports",
    "stonebridge.engagement.workspace_exports",
    "stonebridge.supplychain.exporting",
    "stonebridge.voice.exports",
)


def test_the_task_worker_finds_every_list_again_by_its_key():
    from importlib import import_module

    found = [
        value
        for module in LISTING_MODULES
        for value in vars(import_module(module)).values()
        if isinstance(value, listing.Listing)
    ]
    assert len(found) >= 22
    for each in found:
        assert listing.find(each.key) is each, each.key
        reverse(each.page, kwargs={"org": "x"})  # the page to go back to takes the org alone


@pytest.mark.django_db
@override_settings(DOWNLOADS_DIRECT_ROWS=0)
def test_a_suppliers_list_is_written_in_the_background_in_chinese(
    buyer, owner, supplier_org, supplier_user
):
    from stonebridge.engagement.services import relationships
    from stonebridge.supplychain.services import facility_create

    site = facility_create(organisation=buyer, by=owner, kind="processor", name_zh="海辰锯板厂")
    made = relationships.relationship_create(
        organisation=buyer, by=owner, facility=site, supplier=supplier_org
    )
    relationships.sharing_answer(relationship=made, by=supplier_user, accept=True)
    client = client_for(supplier_user)
    url = reverse(
        "engagement:workspace_buyers_export", kwargs={"org": supplier_org.slug, "fmt": "xlsx"}
    )
    response = client.get(url)
    assert response.status_code == 302
    download = Download.objects.get()
    assert download.organisation == supplier_org
    assert download.status == Download.Status.DONE
    file_url = reverse(
        "downloads:file", kwargs={"org": supplier_org.slug, "download_id": download.pk}
    )
    rows = xlsx_rows(client.get(file_url))
    assert rows[0][:2] == ["采购商", "厂矿（中文名）"]
    assert rows[1][:2] == [buyer.name, "海辰锯板厂"]
    assert client_for(owner).get(file_url).status_code == 404

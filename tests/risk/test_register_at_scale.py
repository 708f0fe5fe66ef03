"""The register a page at a time by next links, the kept counts behind its heatmap, and large
downloads written in the background."""

import csv
import io
from datetime import date
from urllib.parse import parse_qs, urlparse

import openpyxl
import pytest
from django.urls import reverse

from stonebridge.risk import exporting, queries, services, summary
from stonebridge.risk.models import Evidence, RegisterExport, Score

from ..conftest import client_for

pytestmark = pytest.mark.django_db


def _walk(client, url, params):
    """Follow the next links from the first page to the last; the rows of every page."""
    seen, after, pages = [], None, 0
    while True:
        query = dict(params, **({"after": after} if after else {}))
        page = client.get(url, query, HTTP_HX_REQUEST="true").context["page"]
        seen.extend((s.facility_id, s.issue_id) for s in page.object_list)
        pages += 1
        if page.next_after is None:
            return seen, pages
        after = page.next_after


@pytest.mark.parametrize("sort", list(queries.SORTS))
def test_following_next_links_lists_every_risk_once_in_order(
    small_chain, buyer, owner, monkeypatch, sort
):
    monkeypatch.setattr(queries, "PER_PAGE", 4)
    url = reverse("risk:register", args=[buyer.slug])
    seen, pages = _walk(client_for(owner), url, {"sort": sort})
    expected = [
        (s.facility_id, s.issue_id) for s in queries.register(buyer).order_by(*queries.SORTS[sort])
    ]
    assert len(expected) == 27
    assert seen == expected
    assert pages == 7


def test_the_next_link_keeps_the_filters(small_chain, buyer, owner, monkeypatch):
    monkeypatch.setattr(queries, "PER_PAGE", 2)
    url = reverse("risk:register", args=[buyer.slug])
    response = client_for(owner).get(url, {"tier": 2}, HTTP_HX_REQUEST="true")
    link = response.content.decode().split('rel="next" href="')[1].split('"')[0]
    query = parse_qs(urlparse(link.replace("&amp;", "&")).query)
    assert query["tier"] == ["2"]
    seen, _pages = _walk(client_for(owner), url, {"tier": 2})
    assert sorted(seen) == sorted(
        Score.objects.filter(organisation=buyer, tier=2).values_list("facility_id", "issue_id")
    )


def test_a_broken_next_link_starts_from_the_top(small_chain, buyer, owner):
    url = reverse("risk:register", args=[buyer.slug])
    first = client_for(owner).get(url).context["page"].object_list
    again = client_for(owner).get(url, {"after": "nonsense"}).context["page"].object_list
    assert [s.pk for s in again] == [s.pk for s in first]


def test_the_register_reads_a_fixed_number_of_queries(
    small_chain, buyer, owner, django_assert_num_queries
):
    client = client_for(owner)
    url = reverse("risk:register", args=[buyer.slug])
    client.get(url)  # the session and the heatmap's cache are warm after this
    with django_assert_num_queries(QUERIES_PAGE):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(QUERIES_ROWS):
        client.get(url, {"issue": "YOUTH", "tier": 2}, HTTP_HX_REQUEST="true")


# session, user, membership, the number of direct suppliers and their names (listed when few),
# the page of scores, the kept count, the scores' version (the heatmap is cached by it),
# organisations, unread notices, the issues.
QUERIES_PAGE = 11
QUERIES_ROWS = 8  # the same without the heatmap, the menu and the notices; with the issue


def test_the_count_and_heatmap_come_from_the_kept_counts(small_chain, buyer, owner):
    url = reverse("risk:register", args=[buyer.slug])
    page = client_for(owner).get(url, {"issue": "YOUTH"}).context["page"]
    assert page.count == 3
    assert summary.kept(buyer.pk) == summary.recount(buyer.pk)
    cells = queries.heatmap(buyer, "tier")["cells"]
    assert sum(c[3] for c in cells) == 27


def _record(buyer, owner, facility, issue, kind="finding", indicator="YOUTH_CHILD"):
    return services.evidence_record(
        organisation=buyer,
        by=owner,
        facility=facility,
        issue=issue,
        indicator=indicator,
        kind=kind,
        observed_on=date(2026, 11, 1),
        source_type="worker_interview",
        confidence="high",
        summary="Two 15-year-olds at the saw.",
    )


def test_the_kept_counts_equal_a_recount_after_evidence_changes(small_chain, buyer, owner):
    plant = small_chain["plant"]
    before = summary.kept(buyer.pk)
    evidence = _record(buyer, owner, plant, "YOUTH")
    after = summary.kept(buyer.pk)
    assert after == summary.recount(buyer.pk)
    assert after != before  # the plant's youth score moved to another priority
    services.evidence_retract(evidence=evidence, by=owner, reason="Wrong factory.")
    assert summary.kept(buyer.pk) == summary.recount(buyer.pk) == before


def test_the_kept_counts_equal_a_recount_after_a_full_recompute(small_chain, buyer, owner):
    plant = small_chain["plant"]
    Evidence.objects.create(
        organisation=buyer,
        facility=plant,
        issue_id="OHS",
        kind="finding",
        observed_on=date(2026, 10, 1),
        source_type="audit",
        confidence="high",
        summary="No masks.",
    )
    services.recompute_organisation(organisation=buyer)
    assert summary.kept(buyer.pk) == summary.recount(buyer.pk)
    Score.objects.filter(organisation=buyer).delete()
    services.recompute_organisation(organisation=buyer)
    assert summary.kept(buyer.pk) == summary.recount(buyer.pk)
    assert sum(summary.kept(buyer.pk).values()) == 27


def test_a_large_download_is_written_in_the_background(small_chain, buyer, owner, monkeypatch):
    monkeypatch.setattr(exporting, "DIRECT_ROWS", 5)
    client = client_for(owner)
    url = reverse("risk:register_export", args=[buyer.slug, "xlsx"])
    response = client.get(url, {"tier": 2})
    export = RegisterExport.objects.get()
    assert response.url == reverse("risk:download", args=[buyer.slug, export.pk])
    page = client.get(response.url)
    assert "Download the file" in page.content.decode()
    assert export.status == "done"
    assert export.processed_rows == export.total_rows
    file = client.get(reverse("risk:download_file", args=[buyer.slug, export.pk]))
    workbook = openpyxl.load_workbook(io.BytesIO(file.content), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    tier_two = Score.objects.filter(organisation=buyer, tier=2).count()
    assert len(rows) == 1 + tier_two > 1 + 5
    assert {row[11] for row in rows[1:]} == {2}


def test_a_large_csv_download_reads_back(small_chain, buyer, owner, monkeypatch):
    monkeypatch.setattr(exporting, "DIRECT_ROWS", 5)
    client = client_for(owner)
    response = client.get(reverse("risk:register_export", args=[buyer.slug, "csv"]))
    export = RegisterExport.objects.get()
    file = client.get(reverse("risk:download_file", args=[buyer.slug, export.pk]))
    assert file["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(file.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 27
    assert response.status_code == 302


def test_another_buyer_cannot_see_a_download(
    small_chain, buyer, owner, other_buyer_org, monkeypatch
):
    from ..conftest import member

    monkeypatch.setattr(exporting, "DIRECT_ROWS", 5)
    client_for(owner).get(reverse("risk:register_export", args=[buyer.slug, "csv"]))
    export = RegisterExport.objects.get()
    outsider = client_for(member(other_buyer_org))
    assert (
        outsider.get(reverse("risk:download", args=[other_buyer_org.slug, export.pk])).status_code
        == 404
    )
    assert (
        outsider.get(
            reverse("risk:download_file", args=[other_buyer_org.slug, export.pk])
        ).status_code
        == 404
    )


def test_with_many_direct_suppliers_the_supplier_filter_takes_its_number(
    small_chain, buyer, owner, monkeypatch
):
    from stonebridge.risk.forms import RegisterFilterForm

    monkeypatch.setattr(RegisterFilterForm, "MAX_LISTED", 0)
    url = reverse("risk:register", args=[buyer.slug])
    exporter, workshop = small_chain["exporter"], small_chain["workshop"]
    page = client_for(owner).get(url, {"via": exporter.pk}).context["page"]
    assert {s.via_id for s in page.object_list} == {exporter.pk}
    response = client_for(owner).get(url, {"via": workshop.pk})
    assert "This facility is not one of your direct suppliers." in response.content.decode()

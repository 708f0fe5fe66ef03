"""The wage-and-hours records check as a buyer and a supplier use it: upload, result, evidence."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from stonebridge.assessments.models import RecordsCheck, RecordsFile, RecordsViolation
from stonebridge.assessments.services.records import records_check_submit, worker_hash
from stonebridge.audit.models import Entry
from stonebridge.risk.models import Evidence

from ..conftest import client_for
from . import records_data
from .conftest import files

pytestmark = pytest.mark.django_db

FORM = {
    "period_start": "2026-03-01",
    "period_end": "2026-03-31",
    "minimum_wage": records_data.MINIMUM_WAGE,
    "minimum_wage_source": "Fujian 2025 tier 1 (example, unverified)",
}


def submit(relationship, by, **replaced):
    return records_check_submit(
        relationship=relationship,
        by=by,
        by_supplier=False,
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        minimum_wage=Decimal(records_data.MINIMUM_WAGE),
        **files(**replaced),
    )


def text(value):
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", errors="ignore")
    return str(value)


def found(check):
    refs = {worker_hash(check.relationship.facility_id, ref): ref for ref in records_data.NAMES}
    return {(refs.get(v.worker, "facility"), v.rule) for v in check.violations.all()}


def test_uploaded_records_are_checked_and_the_page_lists_each_workers_violations(
    owner, buyer, relationship
):
    url = reverse("assessments:records_checks", args=[buyer.slug])
    response = client_for(owner).post(
        url, {**FORM, "relationship": relationship.pk, **files()}, follow=True
    )
    assert response.status_code == 200
    check = RecordsCheck.objects.get()
    assert check.status == "done"
    assert found(check) == records_data.EXPECTED
    page = response.content.decode()
    # One section per worker with a violation, each row its rule, figures and legal source.
    assert page.count('class="card worker-violations"') == 4
    assert page.count('class="violation"') == 4
    for rule in ("NO_CONTRACT", "OVERTIME_PAY_RESTDAY", "CHILD_LABOUR", "MINIMUM_WAGE"):
        assert f'data-rule="{rule}"' in page
    assert "Worker under 16" in page
    assert "Labour Law" in page or "Labour Contract Law" in page
    assert check.workers == 5
    # The files, which carry names, are gone once the check has run.
    assert not RecordsFile.objects.exists()


def test_the_result_reads_in_the_supplier_managers_chinese(
    supplier_user, supplier_org, relationship
):
    check = submit(relationship, supplier_user)
    url = reverse("assessments:records_check", args=[supplier_org.slug, check.pk])
    page = client_for(supplier_user).get(url).content.decode()
    assert "未满16周岁" in page
    assert "Worker under 16" not in page


def test_a_file_that_is_no_spreadsheet_is_refused_and_nothing_is_kept(owner, buyer, relationship):
    before = Entry.objects.count()
    url = reverse("assessments:records_checks", args=[buyer.slug])
    upload = {**files(), "workers": files(workers=b"MZ\x90\x00\x03\x00program")["workers"]}
    response = client_for(owner).post(url, {**FORM, "relationship": relationship.pk, **upload})
    assert response.status_code == 200
    assert "is not a CSV or Excel (XLSX) file" in response.content.decode()
    assert not RecordsCheck.objects.exists()
    assert not RecordsFile.objects.exists()
    assert Entry.objects.count() == before


def test_a_file_with_a_broken_row_checks_nothing_and_names_the_row(owner, buyer, relationship):
    broken = records_data.attendance().replace(b"2026-03-02,08:00", b"2026-03-02,8 o'clock", 1)
    check = submit(relationship, owner, attendance=broken)
    assert check.status == "failed"
    assert check.errors
    assert check.errors[0]["row"]
    assert not RecordsViolation.objects.exists()
    assert not Evidence.objects.exists()
    assert not RecordsFile.objects.exists()
    url = reverse("assessments:records_check", args=[buyer.slug, check.pk])
    page = client_for(owner).get(url).content.decode()
    assert "Nothing was checked" in page


def test_outsiders_find_no_check(owner, other_buyer, buyer, relationship):
    check = submit(relationship, owner)
    url = reverse("assessments:records_check", args=[buyer.slug, check.pk])
    assert client_for(other_buyer).get(url).status_code == 404
    from stonebridge.accounts.models import Organisation

    other = Organisation.objects.get(slug="steinwerk")
    url = reverse("assessments:records_check", args=[other.slug, check.pk])
    assert client_for(other_buyer).get(url).status_code == 404


def test_a_supplier_checks_its_own_facility_and_the_buyer_sees_it_as_disclosed(
    owner, buyer, supplier_user, supplier_org, relationship
):
    url = reverse("assessments:records_checks", args=[supplier_org.slug])
    response = client_for(supplier_user).post(
        url, {**FORM, "relationship": relationship.pk, **files()}, follow=True
    )
    assert response.status_code == 200
    check = RecordsCheck.objects.get()
    assert check.by_supplier
    buyer_url = reverse("assessments:records_check", args=[buyer.slug, check.pk])
    assert client_for(owner).get(buyer_url).status_code == 200
    assert Evidence.objects.filter(disclosed_by_supplier=True).count() == 3


def test_the_result_is_evidence_in_the_facilitys_risk_explanation(owner, buyer, relationship):
    check = submit(relationship, owner)
    evidence = Evidence.objects.filter(origin=check.origin)
    assert sorted(evidence.values_list("issue", flat=True)) == [
        "CONTRACTS",
        "HOURS_WAGES",
        "YOUTH",
    ]
    hours = evidence.get(issue="HOURS_WAGES")
    assert (hours.kind, hours.source_type) == ("finding", "document")
    assert "2 violations for 2 of 5 workers" in hours.summary
    url = reverse("risk:explain", args=[buyer.slug, relationship.facility_id, "HOURS_WAGES"])
    assert hours.summary in client_for(owner).get(url).content.decode()


def test_checking_again_withdraws_the_evidence_the_last_run_gave(owner, buyer, relationship):
    from stonebridge.assessments.services.records import records_check_again

    check = submit(relationship, owner)
    first = set(Evidence.objects.counting().values_list("pk", flat=True))
    records_check_again(check=check, by=owner, **files())
    assert not Evidence.objects.counting().filter(pk__in=first).exists()
    assert Evidence.objects.counting().filter(origin=check.origin).count() == 3
    assert RecordsViolation.objects.count() == 4


def test_no_workers_name_or_own_reference_is_stored_anywhere(owner, buyer, relationship):
    submit(relationship, owner)
    broken = records_data.attendance().replace(b"2026-03-02,08:00", b"2026-03-02,8 o'clock", 1)
    submit(relationship, owner, attendance=broken)
    # A worker listed twice: the error names the row, never the worker's own reference.
    twice = records_data.workers() + "W001,王建国,1985-04-02,2024-01-02,,regular,sawing\n".encode()
    failed = submit(relationship, owner, workers=twice)
    assert failed.status == "failed"
    assert any(error["row"] == 7 for error in failed.errors), failed.errors
    stored = " ".join(
        text(value)
        for model in apps.get_models()
        for row in model.objects.values_list()
        for value in row
    )
    assert "CHILD_LABOUR" in stored  # the scan reads the stored result
    for ref, name in records_data.NAMES.items():
        assert name not in stored
        assert not re.search(rf"\b{ref}\b", stored), ref


def test_an_approval_on_record_lets_the_check_count_hours_over_the_period(
    owner, buyer, relationship
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stonebridge.assessments.services.records import hours_approval_record

    approval = hours_approval_record(
        relationship=relationship,
        by=owner,
        posts="sawing",
        period="quarter",
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        reference="闽人社综〔2026〕12号",
        document=SimpleUploadedFile("approval.pdf", b"%PDF-1.4 approval"),
    )
    check = submit(relationship, owner)
    assert check.approval == approval
    url = reverse("assessments:records_check", args=[buyer.slug, check.pk])
    assert "Comprehensive working-hours system approved for sawing" in (
        client_for(owner).get(url).content.decode()
    )
    approval.valid_until = date(2026, 3, 15)
    approval.save()
    expired = submit(relationship, owner)
    assert expired.approval is None


def test_the_list_of_checks_takes_the_same_queries_however_many(
    owner, buyer, relationship, django_assert_max_num_queries
):
    submit(relationship, owner)
    url = reverse("assessments:records_checks", args=[buyer.slug])
    client = client_for(owner)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(3):
        submit(relationship, owner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("/records/") >= 4

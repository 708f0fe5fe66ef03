"""Uploaded tables are read defensively; exports open safely in a spreadsheet program."""

import datetime
import io
import string
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stonebridge.supplychain.tabular import (
    Table,
    TableError,
    read_table,
    safe_cell,
    write_csv,
    write_xlsx,
)

HEADERS = ["名称", "Province", "Workers"]
ROWS = [
    ["厦门海辰石业有限公司", "福建省", 120],
    ["五莲县花岗岩厂", "山东省", 35],
]


def workbook_bytes(rows: list[list[object]]) -> bytes:
    """A workbook as Excel would save it, made with openpyxl's ordinary (not write-only) mode."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members[name] = content
    return zip_bytes(members)


def error_of(data: bytes, filename: str, **limits: int) -> str:
    with pytest.raises(TableError) as caught:
        read_table(data, filename, **limits)
    return caught.value.message


# Reading CSV


def test_chinese_text_survives_a_round_trip_through_csv():
    data = write_csv(HEADERS, ROWS)
    assert data.startswith(b"\xef\xbb\xbf")
    table = read_table(data, "facilities.csv")
    assert table.headers == HEADERS
    assert table.rows == [
        {"名称": "厦门海辰石业有限公司", "Province": "福建省", "Workers": "120"},
        {"名称": "五莲县花岗岩厂", "Province": "山东省", "Workers": "35"},
    ]
    assert table.row_numbers == [2, 3]


def test_a_gb18030_file_from_chinese_excel_is_read():
    data = "名称,省份\r\n厦门海辰石业有限公司,福建省\r\n𠀀石材,山东省\r\n".encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = read_table(data, "供应商.CSV")
    assert table.rows == [
        {"名称": "厦门海辰石业有限公司", "省份": "福建省"},
        {"名称": "𠀀石材", "省份": "山东省"},
    ]


# What spreadsheet programs save as "CSV" around the world, each with its own encoding.
LEGACY_FILES = [
    ("Name,City\r\nMüller Naturstein GmbH,München\r\nCafé Pierre Bleue,Liège\r\n", "cp1252"),
    ("名稱,城市\r\n南安市水頭鎮鑫源石材廠,南安市\r\n五蓮縣紅雲花崗岩礦,日照市\r\n", "big5"),
    ("名称,城市\r\n南安市水头镇鑫源石材厂,南安市\r\n五莲县红云花岗岩矿,日照市\r\n", "gbk"),
    ("名称,城市\r\n南安市水头镇鑫源石材厂,南安市\r\n五莲县红云花岗岩矿,日照市\r\n", "utf-8-sig"),
    ("Name,City\r\nMüller Naturstein GmbH,München\r\n", "utf-8"),
]


@pytest.mark.parametrize(("text", "encoding"), LEGACY_FILES)
def test_each_common_encoding_is_read_as_written(text, encoding):
    table = read_table(text.encode(encoding), "x.csv")
    headers, *rows = [line.split(",") for line in text.split("\r\n") if line]
    assert table.headers == headers
    assert [list(row.values()) for row in table.rows] == rows


def test_a_windows_1252_name_is_not_read_as_chinese():
    table = read_table("kind,name_en\nprocessor,Müller\n".encode("cp1252"), "x.csv")
    assert table.rows == [{"kind": "processor", "name_en": "Müller"}]


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(128, 256)) * 3,  # no encoding makes text of this
        "Name\nMüller\n".encode() + b"\xfc\n",  # UTF-8 with a stray Windows-1252 byte
    ],
)
def test_a_file_whose_encoding_is_unclear_is_refused_asking_for_utf8(data):
    assert "CSV UTF-8" in error_of(data, "x.csv")


def test_a_utf8_file_with_a_byte_order_mark_has_a_clean_first_heading():
    data = "\ufeffName,City\nHaichen,厦门\n".encode()
    table = read_table(data, "x.csv")
    assert table.headers == ["Name", "City"]
    assert table.rows == [{"Name": "Haichen", "City": "厦门"}]


def test_a_utf8_file_without_a_byte_order_mark_is_read():
    table = read_table("Name\n海辰\n".encode(), "x.csv")
    assert table.rows == [{"Name": "海辰"}]


def test_a_semicolon_delimited_file_from_european_excel_is_read():
    data = b"Name;Share;Note\nHaichen;3,5;a, b\nSteinwerk;12;\n"
    table = read_table(data, "x.csv")
    assert table.headers == ["Name", "Share", "Note"]
    assert table.rows[0] == {"Name": "Haichen", "Share": "3,5", "Note": "a, b"}
    assert table.rows[1] == {"Name": "Steinwerk", "Share": "12", "Note": ""}


def test_a_tab_delimited_file_is_read():
    table = read_table(b"Name\tCity\nHaichen\tXiamen, Fujian\n", "x.csv")
    assert table.rows == [{"Name": "Haichen", "City": "Xiamen, Fujian"}]


def test_blank_rows_are_skipped_but_counted_in_row_numbers():
    data = b"\n , \nName,City\n\nHaichen,Xiamen\n,\nSteinwerk,Wien\n"
    table = read_table(data, "x.csv")
    assert table.headers == ["Name", "City"]
    assert [r["Name"] for r in table.rows] == ["Haichen", "Steinwerk"]
    assert table.row_numbers == [5, 7]


def test_headings_are_stripped_and_values_kept_as_they_are():
    table = read_table(b" Name , City ,,\n Haichen ,Xiamen\n", "x.csv")
    assert table.headers == ["Name", "City"]
    assert table.rows == [{"Name": " Haichen ", "City": "Xiamen"}]


def test_a_quoted_value_over_several_lines_is_one_row():
    table = read_table(b'Name,Note\nHaichen,"line 1\nline 2"\nSteinwerk,x\n', "x.csv")
    assert table.rows[0]["Note"] == "line 1\nline 2"
    assert table.row_numbers == [2, 3]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Name,,City\nx,y,z\n", "Column 2 has no heading"),
        (b"Name,Name\nx,y\n", "more than once: Name"),
        (b"Name\nx,y\n", "Row 2 has values in columns that have no heading"),
    ],
)
def test_unclear_columns_are_refused(data, expected):
    assert expected in error_of(data, "x.csv")


@pytest.mark.parametrize("data", [b"", b"\n\n", b" , ,\n"])
def test_an_empty_file_or_one_without_a_heading_row_is_refused(data):
    assert error_of(data, "x.csv")


def test_a_file_with_only_headings_has_no_rows():
    assert read_table(b"Name,City\n", "x.csv") == Table(headers=["Name", "City"])


def test_an_oversized_file_is_refused_before_it_is_read():
    data = b"Name\n" + b"x\n" * 600
    assert "too large" in error_of(data, "x.csv", max_bytes=1000)
    assert "too large" in error_of(workbook_bytes([["Name"]]), "x.xlsx", max_bytes=1000)


def test_too_many_rows_are_refused():
    data = b"Name\n" + b"x\n" * 11
    assert read_table(data, "x.csv", max_rows=11).row_numbers[-1] == 12
    assert "more than 10 rows" in error_of(data, "x.csv", max_rows=10)
    workbook = workbook_bytes([["Name"]] + [["x"]] * 11)
    assert "more than 10 rows" in error_of(workbook, "x.xlsx", max_rows=10)


def test_a_binary_file_named_csv_is_refused():
    assert "not a CSV text file" in error_of(workbook_bytes([["Name"]]), "x.csv")
    assert "not a CSV text file" in error_of("Name\n海辰\n".encode("utf-16"), "x.csv")


def test_text_in_no_known_encoding_is_refused():
    assert "encoding" in error_of(b"Name\n\x80\xff\xfe\n", "x.csv")


@pytest.mark.parametrize("filename", ["x.xls", "x.xlsm", "x.txt", "x", "x.csv.exe"])
def test_other_kinds_of_file_are_refused(filename):
    assert "Upload a .csv or .xlsx file" in error_of(b"Name\nx\n", filename)


# Reading XLSX


def test_chinese_text_survives_a_round_trip_through_xlsx():
    data = write_xlsx(HEADERS, ROWS, sheet_title="供应商")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    assert sheet.title == "供应商"
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["A2"].value == "厦门海辰石业有限公司"
    assert sheet["C2"].value == 120
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"

    table = read_table(data, "供应商.XLSX")
    assert table.headers == HEADERS
    assert table.rows[1] == {"名称": "五莲县花岗岩厂", "Province": "山东省", "Workers": "35"}
    assert table.row_numbers == [2, 3]


def test_xlsx_values_become_text_as_the_sheet_shows_them():
    data = workbook_bytes(
        [
            ["Name", "Workers", "Share", "Audited", "Since", "Active"],
            ["海辰", 120.0, 0.35, datetime.datetime(2024, 3, 1), datetime.date(2019, 5, 6), True],
            [None, None, None, None, None, None],
            ["Steinwerk", 7, -3.5, datetime.datetime(2024, 3, 1, 10, 30), None, False],
        ]
    )
    table = read_table(data, "x.xlsx")
    assert table.rows == [
        {
            "Name": "海辰",
            "Workers": "120",
            "Share": "0.35",
            "Audited": "2024-03-01",
            "Since": "2019-05-06",
            "Active": "TRUE",
        },
        {
            "Name": "Steinwerk",
            "Workers": "7",
            "Share": "-3.5",
            "Audited": "2024-03-01T10:30:00",
            "Since": "",
            "Active": "FALSE",
        },
    ]
    assert table.row_numbers == [2, 4]


def test_only_the_first_sheet_is_read():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Name"])
    workbook.active.append(["first"])
    workbook.create_sheet("Second").append(["Other"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_table(buffer.getvalue(), "x.xlsx").rows == [{"Name": "first"}]


def test_a_sheet_that_declares_a_wrong_size_is_read_in_full():
    data = workbook_bytes([["Name"], ["a"], ["b"]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b'<dimension ref="A1:A3"/>', b'<dimension ref="A1"/>')
    data = replace_member(data, "xl/worksheets/sheet1.xml", sheet)
    assert [r["Name"] for r in read_table(data, "x.xlsx").rows] == ["a", "b"]


def test_a_text_file_named_xlsx_is_refused():
    assert "not an Excel workbook" in error_of(b"Name,City\nHaichen,Xiamen\n", "x.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused():
    assert "cannot be read" in error_of(zip_bytes({"hello.txt": b"hello"}), "x.xlsx")


def test_a_damaged_workbook_is_refused():
    assert "not an Excel workbook" in error_of(workbook_bytes([["Name"]])[:500], "x.xlsx")


def test_a_zip_bomb_of_300_mb_of_zeros_is_refused_at_the_default_limits():
    buffer = io.BytesIO()
    zeros = bytes(1 << 20)
    # Streamed a megabyte at a time: the 300 MB never exist at once, in memory or on disk.
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(300):
            member.write(zeros)
    data = buffer.getvalue()
    assert len(data) < 5_000_000
    assert "too much data" in error_of(data, "bomb.xlsx")


def test_a_member_that_compresses_too_well_is_refused():
    bomb = replace_member(workbook_bytes([["Name"]]), "xl/sharedStrings.xml", bytes(5_000_000))
    assert "too much data" in error_of(bomb, "x.xlsx")
    assert "too much data" in error_of(
        workbook_bytes([["Name"]]), "x.xlsx", max_uncompressed_bytes=1000
    )


def test_a_zip_with_too_many_members_is_refused():
    members = {f"xl/media/image{i}.png": b"x" for i in range(20)}
    assert "too much data" in error_of(zip_bytes(members), "x.xlsx", max_zip_members=10)


def test_xml_entity_expansion_in_a_workbook_is_refused():
    assert openpyxl.DEFUSEDXML
    laughs = (
        b'<?xml version="1.0"?>'
        b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    data = replace_member(workbook_bytes([["Name"]]), "xl/worksheets/sheet1.xml", laughs)
    assert "cannot be read" in error_of(data, "x.xlsx")


# Writing


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-3.5", "'-3.5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ('\uff1dHYPERLINK("http://evil")', '\'\uff1dHYPERLINK("http://evil")'),
        ("\uff0b1", "'\uff0b1"),
        ("\uff0d1", "'\uff0d1"),
        ("\uff20SUM(A1)", "'\uff20SUM(A1)"),
        ("海辰", "海辰"),
        ("a=b", "a=b"),
        ("", ""),
        (None, None),
        (-3, -3),
        (-3.5, -3.5),
        (Decimal("-3.5"), Decimal("-3.5")),
        (datetime.date(2024, 3, 1), datetime.date(2024, 3, 1)),
    ],
)
def test_safe_cell_escapes_text_that_would_run_as_a_formula(value, expected):
    assert safe_cell(value) == expected


def test_other_objects_become_escaped_text():
    class Sneaky:
        def __str__(self) -> str:
            return "=1+1"

    assert safe_cell(Sneaky()) == "'=1+1"


def test_formulas_are_escaped_in_csv_exports_and_numbers_are_not():
    data = write_csv(["=Name", "Share"], [["=1+1", Decimal("-3.5")], ["-x", -2]])
    text = data.decode("utf-8-sig")
    assert text.splitlines() == ['"\'=Name","Share"', '"\'=1+1",-3.5', '"\'-x",-2']
    table = read_table(data, "x.csv")
    assert table.headers == ["'=Name", "Share"]
    assert table.rows == [{"'=Name": "'=1+1", "Share": "-3.5"}, {"'=Name": "'-x", "Share": "-2"}]


def test_formulas_are_escaped_in_xlsx_exports_and_numbers_are_not():
    data = write_xlsx(
        ["Name", "Share"],
        [['=HYPERLINK("http://evil","x")', Decimal("-3.5")], ["@SUM(1)", -2]],
        sheet_title="x",
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["A2"].value.startswith("'=")
    assert sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "'@SUM(1)"
    assert sheet["B2"].value == -3.5
    assert sheet["B2"].data_type == "n"
    assert sheet["B3"].value == -2


def test_xlsx_exports_survive_awkward_titles_control_characters_and_time_zones():
    aware = datetime.datetime(2024, 3, 1, 8, 0, tzinfo=datetime.UTC)
    data = write_xlsx(["Note", "When"], [["bell\x07 here", aware]], sheet_title="2024/25: [all]")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.title == "2024 25   all"
    assert sheet["A2"].value == "bell here"
    assert sheet["B2"].value.tzinfo is None


# What is written is what is read

text = st.text(
    alphabet=st.one_of(
        st.sampled_from(string.printable),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    ),
    max_size=20,
)
headings = st.lists(
    text.filter(lambda h: h and h == h.strip()),
    min_size=1,
    max_size=5,
    unique_by=safe_cell,
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    headers = draw(headings)
    rows = draw(st.lists(st.lists(text, min_size=len(headers), max_size=len(headers))))
    return headers, rows


@settings(max_examples=300)
@given(tables())
def test_what_write_csv_writes_read_table_reads_back(table):
    headers, rows = table
    escaped_headers = [str(safe_cell(h)) for h in headers]
    escaped_rows = [[str(safe_cell(v)) for v in row] for row in rows]
    expected = [
        (number, dict(zip(escaped_headers, row, strict=True)))
        for number, row in enumerate(escaped_rows, start=2)
        if any(v.strip() for v in row)
    ]

    result = read_table(write_csv(headers, rows), "x.csv")

    assert result.headers == escaped_headers
    assert result.rows == [row for _, row in expected]
    assert result.row_numbers == [number for number, _ in expected]

"""Importing: cells read as spreadsheets write them, in either language."""

from decimal import Decimal

import pytest

from stonebridge.supplychain import importing
from tests.supplychain.importing.helpers import table


@pytest.mark.parametrize(
    ("written", "share"),
    [("35%", "0.350"), ("35 %", "0.350"), ("0.35", "0.350"), ("0,35", "0.350"), ("1", "1.000")],
)
def test_shares_as_spreadsheets_write_them(buyer, written, share):
    rows, errors = importing.validate(
        buyer,
        table(kind="processor", name_zh="甲", migrant_share=written),
        "facilities",
        "stonebridge",
    )
    assert errors == []
    assert rows[0].values["migrant_share"] == Decimal(share)


@pytest.mark.parametrize(
    ("column", "written"),
    [
        ("migrant_share", "1.5"),
        ("migrant_share", "-0.1"),
        ("workers", "twelve"),
        ("workers", "3.5"),
        ("latitude", "91"),
        ("country", "Atlantis"),
        ("kind", "castle"),
        ("activities", "sawing; juggling"),
    ],
)
def test_values_out_of_range_or_unknown_are_errors(buyer, column, written):
    cells = {"kind": "processor", "name_zh": "甲", column: written}
    rows, errors = importing.validate(buyer, table(**cells), "facilities", "stonebridge")
    assert rows == []
    assert [(e["row"], e["column"]) for e in errors] == [(2, column)]


def test_values_are_read_in_either_language(buyer):
    rows, errors = importing.validate(
        buyer,
        table(
            kind="Workshop / sub-contractor",
            name_en="Yongxing Carving",
            country="India",
            activities="雕刻, Bush-hammering\uff5csplitting",  # a full-width |
            stone_types="花岗岩\uff1bBluestone / limestone",  # a full-width ;
            workers="1,200",
        ),
        "facilities",
        "stonebridge",
    )
    assert errors == []
    values = rows[0].values
    assert values["kind"] == "workshop"
    assert values["country"] == "IN"
    assert values["activities"] == ",bush_hammering,carving,splitting,"
    assert values["stone_types"] == ",bluestone,granite,"
    assert values["workers"] == 1200

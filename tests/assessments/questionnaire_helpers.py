"""Small XLSForms written in the test, and a supplier who works with two buyers."""

import io

import pytest
from openpyxl import Workbook

from stonebridge.engagement.services import relationships
from stonebridge.supplychain import services as supplychain
from tests.conftest import OrganisationFactory, member

EN, ZH = "label::English (en)", "label::中文 (zh)"
SURVEY_HEADER = [
    "type",
    "name",
    EN,
    ZH,
    "relevant",
    "required",
    "stonebridge_issue",
    "stonebridge_indicator",
    "stonebridge_adverse",
]
CHOICES_HEADER = ["list_name", "name", EN, ZH, "stonebridge_adverse"]

# A short form a person can follow: the dust question shows only for dry cutting.
SURVEY = [
    ["begin_group", "health", "Health", "健康"],
    ["select_one yn", "dry_cutting", "Do you cut stone dry?", "是否有干切工序", "", "yes"],
    [
        "select_one good",
        "dust_control",
        "Is there dust extraction?",
        "是否有抽风除尘",
        "${dry_cutting} = 'yes'",
        "yes",
        "OHS",
        "OHS_SILICA",
    ],
    ["file", "photo", "Photo of the extraction", "抽风除尘照片", "${dust_control} = 'yes'"],
    ["end_group"],
    [
        "integer",
        "overtime",
        "Overtime hours in the busiest month",
        "最忙月份的加班小时数",
        "",
        "yes",
        "HOURS_WAGES",
        "HW_OVERTIME_CAP",
        "${overtime} > 36",
    ],
    ["text", "comments", "Anything else?", "其他说明"],
]
CHOICES = [
    ["yn", "yes", "Yes", "是"],
    ["yn", "no", "No", "否"],
    ["good", "yes", "Yes", "是"],
    ["good", "no", "Not yet", "暂时没有", "yes"],
]
SETTINGS = [
    ["form_title", "stonebridge_title_zh", "form_id"],
    ["Dust and hours", "粉尘与工时", "dust"],
]


def xlsform(survey=SURVEY, choices=CHOICES, settings=SETTINGS, header=SURVEY_HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(header)
    for row in survey:
        sheet.append(row)
    choice_sheet = workbook.create_sheet("choices")
    choice_sheet.append(CHOICES_HEADER)
    for row in choices:
        choice_sheet.append(row)
    settings_sheet = workbook.create_sheet("settings")
    for row in settings:
        settings_sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def works_with(buyer, owner, chain, supplier_org, supplier_user, other_buyer_org, other_buyer):
    """The Haichen exporter works with Noordsteen (its exporter site) and with Steinwerk; a third
    buyer, Pierre Bleue, does not work with it."""
    for organisation, by in ((buyer, owner), (other_buyer_org, other_buyer)):
        relationship = relationships.relationship_create(
            organisation=organisation, by=by, facility=chain["exporter"], supplier=supplier_org
        )
        relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    stranger = OrganisationFactory(slug="pierre-bleue", name="Pierre Bleue Trading NV")
    return {"exporter": chain["exporter"], "stranger": stranger, "stranger_user": member(stranger)}


def facility_elsewhere(buyer, owner):
    return supplychain.facility_create(
        organisation=buyer, by=owner, kind="processor", name_en="Someone else's plant"
    )

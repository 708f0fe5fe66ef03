from datetime import date
from decimal import Decimal

import pytest

from stonebridge.risk import services as risk
from stonebridge.supplychain import services as supplychain


@pytest.fixture
def small_chain(buyer, owner):
    """A chain a person can rank by hand.

    The buyer buys from an exporter in Xiamen, which sub-contracts dry carving and polishing to a
    workshop in Hui'an (no dust extraction, two 16-year-olds cutting stone) and buys slabs from
    a sawing plant in Nan'an (wet gang saws, 66-hour weeks).
    """

    def make(**values):
        return supplychain.facility_create(organisation=buyer, by=owner, **values)

    exporter = make(
        kind="exporter",
        name_zh="厦门海辰石业有限公司",
        name_en="Xiamen Haichen Stone",
        province="福建省",
        city="厦门市",
        workers=40,
    )
    workshop = make(
        kind="workshop",
        name_zh="惠安县崇武永兴雕刻厂",
        province="福建省",
        city="泉州市",
        activities=["carving", "polishing"],
        workers=25,
    )
    plant = make(
        kind="processor",
        name_zh="南安市水头鑫源石材厂",
        province="福建省",
        city="泉州市",
        activities=["sawing"],
        workers=120,
    )
    supplychain.sourcing_set(
        organisation=buyer,
        by=owner,
        facility=exporter,
        annual_volume=Decimal(900),
        share_of_output=Decimal("0.3"),
    )
    supplychain.link_create(
        organisation=buyer,
        by=owner,
        customer=exporter,
        supplier=workshop,
        kind="subcontracts",
        share=Decimal("0.2"),
    )
    supplychain.link_create(
        organisation=buyer,
        by=owner,
        customer=exporter,
        supplier=plant,
        kind="trades",
        share=Decimal("0.8"),
    )

    def finding(facility, issue, indicator, confidence, summary, people=None):
        return risk.evidence_record(
            organisation=buyer,
            by=owner,
            facility=facility,
            issue=issue,
            indicator=indicator,
            kind="finding",
            observed_on=date(2026, 10, 15),
            source_type="audit",
            confidence=confidence,
            summary=summary,
            people_affected=people,
        )

    finding(workshop, "OHS", "OHS_SILICA", "high", "Dry cutting and polishing, no dust extraction.")
    finding(workshop, "YOUTH", "YOUTH_HAZARDOUS", "medium", "Two 16-year-olds cutting stone.", 2)
    finding(plant, "HOURS_WAGES", "HW_OVERTIME_CAP", "high", "Average 66 hours a week.", 120)
    return {"exporter": exporter, "workshop": workshop, "plant": plant}

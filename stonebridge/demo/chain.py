"""Demo supply chains: exporters, processors, workshops and quarries in the real clusters, with
the gaps a buyer typically has (blocks of unknown foreign origin, undisclosed sub-contractors).
Company names are invented; places and coordinates are real (approximate town centres)."""

import random
from decimal import Decimal

from stonebridge.accounts.models import Organisation
from stonebridge.supplychain import services
from stonebridge.supplychain.codes import credit_code_check_character
from stonebridge.supplychain.models import WORKFORCE_FIELDS, Facility
from stonebridge.supplychain.signals import workforce_stated

# (name_zh, name_en, kind, province, city, district, lat, lon, activities, stones, workers)
FACILITIES = [
    (
        "厦门海辰石业有限公司",
        "Xiamen Haichen Stone Co., Ltd.",
        "exporter",
        "福建省",
        "厦门市",
        "思明区",
        24.48,
        118.09,
        ["packing"],
        ["granite", "basalt"],
        35,
    ),
    (
        "南安市水头鑫源石材厂",
        "Nan'an Shuitou Xinyuan Stone Factory",
        "processor",
        "福建省",
        "泉州市",
        "南安市水头镇",
        24.72,
        118.43,
        ["sawing", "polishing", "flaming"],
        ["granite"],
        120,
    ),
    (
        "南安市水头宏达石材加工厂",
        "Nan'an Shuitou Hongda Stone Processing",
        "processor",
        "福建省",
        "泉州市",
        "南安市水头镇",
        24.70,
        118.44,
        ["sawing", "bush_hammering", "splitting"],
        ["granite", "bluestone"],
        60,
    ),
    (
        "惠安县崇武永兴雕刻厂",
        "Hui'an Chongwu Yongxing Carving Works",
        "workshop",
        "福建省",
        "泉州市",
        "惠安县崇武镇",
        24.89,
        118.92,
        ["carving"],
        ["granite"],
        18,
    ),
    (
        "惠安县东岭石雕作坊",
        "Hui'an Dongling Stone Carving Workshop",
        "workshop",
        "福建省",
        "泉州市",
        "惠安县东岭镇",
        25.06,
        118.86,
        ["carving", "splitting"],
        ["granite"],
        9,
    ),
    (
        "莱州市金岭石材有限公司",
        "Laizhou Jinling Stone Co., Ltd.",
        "exporter",
        "山东省",
        "烟台市",
        "莱州市",
        37.18,
        119.94,
        ["sawing", "packing"],
        ["granite", "marble"],
        80,
    ),
    (
        "莱州市三山岛花岗岩矿",
        "Laizhou Sanshandao Granite Quarry",
        "quarry",
        "山东省",
        "烟台市",
        "莱州市",
        37.39,
        119.95,
        ["quarrying"],
        ["granite"],
        40,
    ),
    (
        "五莲县鸿运石材加工厂",
        "Wulian Hongyun Stone Processing Plant",
        "processor",
        "山东省",
        "日照市",
        "五莲县",
        35.75,
        119.21,
        ["sawing", "flaming", "splitting"],
        ["granite"],
        55,
    ),
    (
        "五莲县叩官镇石材矿",
        "Wulian Kouguan Stone Quarry",
        "quarry",
        "山东省",
        "日照市",
        "五莲县叩官镇",
        35.68,
        119.13,
        ["quarrying"],
        ["granite"],
        25,
    ),
    (
        "云浮市华丰石材有限公司",
        "Yunfu Huafeng Stone Co., Ltd.",
        "exporter",
        "广东省",
        "云浮市",
        "云城区",
        22.92,
        112.04,
        ["sawing", "polishing", "packing"],
        ["marble"],
        70,
    ),
    (
        "水头石材荒料贸易行",
        "Shuitou Block Trading House",
        "block_importer",
        "福建省",
        "泉州市",
        "南安市水头镇",
        24.73,
        118.42,
        ["block_trading"],
        ["granite"],
        6,
    ),
]
FOREIGN_QUARRIES = [
    ("", "Krishnagiri Granite Quarry", "quarry", "IN", 12.52, 78.21, ["granite"]),
    ("", "Cachoeiro Granite Quarry", "quarry", "BR", -20.85, -41.11, ["granite"]),
    ("", "Thanh Hoa Bluestone Quarry", "quarry", "VN", 19.81, 105.78, ["bluestone"]),
]


# A made-up code's administrative division (GB/T 2260) in the facility's own province: Nan'an,
# Laizhou and Yunfu's Yuncheng district, so no demo facility warns of a code from elsewhere.
DIVISIONS = {"福建省": "350583", "山东省": "370683", "广东省": "445302"}


def credit_code(rng: random.Random, division: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    first17 = "91" + division + "".join(rng.choice(alphabet) for _ in range(9))
    return first17 + credit_code_check_character(first17)


def build(rng: random.Random, buyers: list[Organisation]) -> None:
    owners = {b: b.memberships.owners().select_related("user").get().user for b in buyers}
    by = owners[buyers[0]]
    f: dict[str, Facility] = {}
    for (
        name_zh,
        name_en,
        kind,
        province,
        city,
        district,
        lat,
        lon,
        activities,
        stones,
        workers,
    ) in FACILITIES:
        f[name_en] = services.facility_create(
            organisation=buyers[0],
            by=by,
            kind=kind,
            name_zh=name_zh,
            name_en=name_en,
            province=province,
            city=city,
            district=district,
            latitude=Decimal(str(lat)),
            longitude=Decimal(str(lon)),
            activities=activities,
            stone_types=stones,
            workers=workers,
            migrant_share=Decimal(rng.randint(30, 80)) / 100,
            dispatched_share=Decimal(rng.randint(0, 25)) / 100,
            credit_code=credit_code(rng, DIVISIONS[province]),
        )
    for name_zh, name_en, kind, country, lat, lon, stones in FOREIGN_QUARRIES:
        f[name_en] = services.facility_create(
            organisation=buyers[0],
            by=by,
            kind=kind,
            name_zh=name_zh,
            name_en=name_en,
            country=country,
            latitude=Decimal(str(lat)),
            longitude=Decimal(str(lon)),
            activities=["quarrying"],
            stone_types=stones,
        )

    def link(
        buyer: Organisation,
        supplier: str | None,
        customer: str,
        kind: str,
        *,
        share: Decimal | None = None,
        volume: Decimal | None = None,
        origin_country: str = "",
    ) -> None:
        services.link_create(
            organisation=buyer,
            by=owners[buyer],
            supplier=f[supplier] if supplier else None,
            customer=f[customer],
            kind=kind,
            share=share,
            volume=volume,
            origin_country=origin_country,
        )

    for index, buyer in enumerate(buyers):
        # Each buyer knows a different part of the same chains: that is the covenant's point.
        exporters = [
            "Xiamen Haichen Stone Co., Ltd.",
            "Laizhou Jinling Stone Co., Ltd.",
            "Yunfu Huafeng Stone Co., Ltd.",
        ]
        for exporter in exporters[: 2 + index % 2]:
            services.sourcing_set(
                organisation=buyer,
                by=owners[buyer],
                facility=f[exporter],
                annual_volume=Decimal(rng.randrange(400, 3000, 50)),
                annual_value=Decimal(rng.randrange(80_000, 900_000, 1000)),
                share_of_output=Decimal(rng.randint(5, 45)) / 100,
            )
        link(
            buyer,
            "Nan'an Shuitou Xinyuan Stone Factory",
            "Xiamen Haichen Stone Co., Ltd.",
            "trades",
            volume=Decimal(900),
        )
        link(
            buyer,
            "Nan'an Shuitou Hongda Stone Processing",
            "Xiamen Haichen Stone Co., Ltd.",
            "trades",
            volume=Decimal(400),
        )
        link(
            buyer,
            "Hui'an Chongwu Yongxing Carving Works",
            "Nan'an Shuitou Xinyuan Stone Factory",
            "subcontracts",
        )
        link(
            buyer,
            "Shuitou Block Trading House",
            "Nan'an Shuitou Xinyuan Stone Factory",
            "supplies_blocks",
            share=Decimal("0.6"),
        )
        link(
            buyer,
            "Krishnagiri Granite Quarry",
            "Shuitou Block Trading House",
            "supplies_blocks",
            share=Decimal("0.5"),
        )
        link(buyer, None, "Shuitou Block Trading House", "supplies_blocks", origin_country="IN")
        link(
            buyer,
            "Wulian Kouguan Stone Quarry",
            "Nan'an Shuitou Xinyuan Stone Factory",
            "supplies_blocks",
        )
        link(
            buyer,
            "Wulian Hongyun Stone Processing Plant",
            "Laizhou Jinling Stone Co., Ltd.",
            "trades",
            volume=Decimal(600),
        )
        link(
            buyer,
            "Wulian Kouguan Stone Quarry",
            "Wulian Hongyun Stone Processing Plant",
            "supplies_blocks",
        )
        link(
            buyer,
            "Laizhou Sanshandao Granite Quarry",
            "Laizhou Jinling Stone Co., Ltd.",
            "supplies_blocks",
        )
        if index == 0:
            link(buyer, None, "Nan'an Shuitou Hongda Stone Processing", "subcontracts")
            link(
                buyer,
                "Thanh Hoa Bluestone Quarry",
                "Nan'an Shuitou Hongda Stone Processing",
                "supplies_blocks",
            )
        if index == 1:
            link(
                buyer,
                "Cachoeiro Granite Quarry",
                "Yunfu Huafeng Stone Co., Ltd.",
                "supplies_blocks",
                share=Decimal("0.3"),
            )
            link(
                buyer, None, "Yunfu Huafeng Stone Co., Ltd.", "supplies_blocks", origin_country="TR"
            )
    # Who works at each facility is each buyer's own statement: the other buyers hold the same
    # figures in their own supplier lists.
    for buyer in buyers[1:]:
        held = Facility.objects.filter(positions__organisation=buyer).exclude(workers=None)
        workforce_stated.send(
            sender=Facility,
            organisation=buyer,
            by=owners[buyer],
            figures={
                facility.pk: {field: getattr(facility, field) for field in WORKFORCE_FIELDS}
                for facility in held
            },
        )

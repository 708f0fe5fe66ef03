"""A large synthetic chain for benchmarks: `seed_demo --facilities 100000` (300,000 links).

Facilities come in clusters of 5,000 (exporters first, quarries last); links only run from a
later to an earlier facility of the same cluster, so the chain has no loops, and the benchmark
buyer sources from the exporters of four clusters, reaching over 10,000 facilities.
Rows are written in bulk: this is generated test data, not a record of anyone's changes.
"""

import random
from decimal import Decimal

from django.db import connection, transaction

from stonebridge.accounts import services as accounts
from stonebridge.accounts.models import Organisation
from stonebridge.supplychain import services
from stonebridge.supplychain.firms import keep
from stonebridge.supplychain.models import Facility, Link, Sourcing, pack_codes
from stonebridge.supplychain.names import search_keys
from stonebridge.supplychain.signals import workforce_stated

CLUSTER = 5000
PLACES = [
    ("福建省", "厦门市", "Xiamen", 24.48, 118.09),
    ("福建省", "泉州市", "Nan'an", 24.72, 118.43),
    ("福建省", "泉州市", "Hui'an", 25.03, 118.80),
    ("山东省", "烟台市", "Laizhou", 37.18, 119.94),
    ("山东省", "日照市", "Wulian", 35.75, 119.21),
    ("广东省", "云浮市", "Yunfu", 22.92, 112.04),
]
SYLLABLES = [
    ("鑫", "Xin"),
    ("源", "Yuan"),
    ("宏", "Hong"),
    ("达", "Da"),
    ("金", "Jin"),
    ("岭", "Ling"),
    ("华", "Hua"),
    ("丰", "Feng"),
    ("永", "Yong"),
    ("兴", "Xing"),
    ("海", "Hai"),
    ("辰", "Chen"),
    ("磊", "Lei"),
    ("晶", "Jing"),
    ("泰", "Tai"),
    ("盛", "Sheng"),
    ("恒", "Heng"),
    ("顺", "Shun"),
]
# (share of a cluster, kind, Chinese suffix, English suffix, activities)
KINDS = [
    (0.02, "exporter", "石业有限公司", "Stone Co., Ltd.", ["packing"]),
    (0.20, "processor", "石材厂", "Stone Factory", ["sawing", "polishing", "flaming"]),
    (0.30, "workshop", "石雕作坊", "Carving Workshop", ["splitting", "carving"]),
    (0.10, "trader", "石材贸易行", "Stone Trading", ["block_trading"]),
    (0.38, "quarry", "石材矿", "Quarry", ["quarrying"]),
]
LINK_KIND = {
    "exporter": "trades",
    "processor": "supplies_blocks",
    "workshop": "subcontracts",
    "trader": "supplies_blocks",
}


def _kind_at(position: int) -> tuple[str, str, str, list[str]]:
    edge = 0.0
    for share, kind, zh, en, activities in KINDS:
        edge += share
        if position < edge * CLUSTER:
            return kind, zh, en, activities
    return KINDS[-1][1:]


def build(rng: random.Random, facilities: int) -> Organisation:
    buyer = accounts.organisation_create(slug="scale-buyer", name="Scale Test Buyer", kind="buyer")
    rows = []
    for i in range(facilities):
        kind, zh, en, activities = _kind_at(i % CLUSTER)
        province, city, city_en, lat, lon = PLACES[(i // CLUSTER) % len(PLACES)]
        (a, a_en), (b, b_en) = rng.sample(SYLLABLES, 2)
        name_zh = f"{city[:2]}{a}{b}{zh}{i}"
        name_en = f"{city_en} {a_en}{b_en.lower()} {en} {i}"
        rows.append(
            Facility(
                kind=kind,
                name_zh=name_zh,
                name_en=name_en,
                province=province,
                city=city,
                latitude=Decimal(f"{lat + rng.uniform(-0.2, 0.2):.5f}"),
                longitude=Decimal(f"{lon + rng.uniform(-0.2, 0.2):.5f}"),
                activities=pack_codes(activities),
                stone_types=",granite,",
                workers=rng.randint(3, 300),
                search_text=search_keys(name_zh, name_en),
                name_parts=keep(name_zh, name_en),
            )
        )
    with transaction.atomic():
        created = Facility.objects.bulk_create(rows, batch_size=5000)
        # The buyer's own list gives who works at each facility.
        workforce_stated.send(
            sender=Facility,
            organisation=buyer,
            by=None,
            figures={f.pk: {"workers": f.workers} for f in created},
        )
        ids = [f.pk for f in created]
        kinds = [f.kind for f in created]
        pairs: set[tuple[int, int]] = set()
        links: list[Link] = []
        while len(links) < 3 * facilities:
            customer = rng.randrange(facilities)
            if kinds[customer] == "quarry":
                continue
            end = min(customer - customer % CLUSTER + CLUSTER, facilities)
            if customer + 1 >= end:
                continue
            supplier = rng.randrange(customer + 1, end)
            if (supplier, customer) in pairs:
                continue
            pairs.add((supplier, customer))
            links.append(
                Link(
                    organisation=buyer,
                    supplier_id=ids[supplier],
                    customer_id=ids[customer],
                    kind=LINK_KIND[kinds[customer]],
                )
            )
        Link.objects.bulk_create(links, batch_size=5000)
        exporters = [i for i in range(min(4 * CLUSTER, facilities)) if kinds[i] == "exporter"]
        Sourcing.objects.bulk_create(
            [
                Sourcing(
                    organisation=buyer,
                    facility_id=ids[i],
                    annual_volume=Decimal(rng.randint(50, 900)),
                )
                for i in exporters
            ]
        )
    if connection.vendor == "postgresql":
        # Fresh statistics after a bulk load, as autovacuum would soon make them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    services.chain_rebuild(organisation=buyer)
    return buyer

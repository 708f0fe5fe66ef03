"""Plain inserts: what bulk.insert writes reads back as the ORM would have saved it, whether a
field writes its value unchanged or prepares it."""

from datetime import UTC, datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy

from stonebridge import bulk
from stonebridge.supplychain.models import Facility, FacilityRef


def test_every_kind_of_value_reads_back_as_written(buyer):
    made = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    facility = Facility(
        kind=Facility.Kind.QUARRY,  # a choice: prepared into its plain text
        name_zh="五莲县叩官镇石材矿",
        name_en=gettext_lazy("Granite quarry"),  # a lazy text: prepared too
        aliases=["叩官石材矿", "Kouguan"],
        latitude=Decimal("35.71234"),
        workers=48,
        migrant_share=None,
        created_at=made,
        updated_at=made,
    )
    with transaction.atomic():
        bulk.reserve_ids(Facility, [facility])
        bulk.insert(Facility, [facility])
        bulk.insert(FacilityRef, [FacilityRef(organisation=buyer, ref="Q-7", facility=facility)])
    saved = Facility.objects.get(pk=facility.pk)
    assert (saved.kind, saved.name_zh, saved.name_en) == (
        "quarry",
        "五莲县叩官镇石材矿",
        "Granite quarry",
    )
    assert saved.aliases == ["叩官石材矿", "Kouguan"]
    assert (saved.latitude, saved.longitude) == (Decimal("35.71234"), None)
    assert (saved.workers, saved.migrant_share, saved.created_at) == (48, None, made)
    assert FacilityRef.objects.get(organisation=buyer, ref="Q-7").facility == saved

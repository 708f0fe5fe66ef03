"""The demo's grievance channel: Noordsteen and the covenant's other members sponsor it at the
Shuitou sawing plant, whose own organisation runs the factory's grievance committee."""

from django.utils import timezone

from stonebridge.accounts.models import Organisation
from stonebridge.demo.timeline import backdate, into_last_year
from stonebridge.engagement.models import Relationship
from stonebridge.voice.models import Channel, Sponsor

PLANT = "Nan'an Shuitou Xinyuan Stone Factory"
# Fixed, so the printed poster link stays the same between demo runs.
TOKEN = "sx7Kq2Pd"  # noqa: S105 - a public short link, not a secret


def demo_channel(buyer: Organisation) -> Channel:
    relationship = Relationship.objects.select_related("facility", "supplier").get(
        organisation=buyer, facility__name_en=PLANT
    )
    channel, created = Channel.objects.get_or_create(
        facility=relationship.facility,
        defaults={"token": TOKEN, "factory": relationship.supplier},
    )
    sponsor, _ = Sponsor.objects.get_or_create(
        channel=channel, organisation=buyer, defaults={"named": True}
    )
    if created:
        # Opened a month into the last reporting year: its grievances are in that year's report.
        opened = into_last_year(timezone.localdate(), 30)
        backdate(channel, created_at=opened)
        backdate(sponsor, since=opened)
    return channel

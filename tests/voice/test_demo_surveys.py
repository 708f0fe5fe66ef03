"""The demo's before/after surveys show the programme's improvement in the plan's outcomes."""

from stonebridge.demo import voice_surveys
from stonebridge.engagement.models import Measure
from stonebridge.engagement.services import relationships


def test_the_demo_measures_stay_and_trust_before_and_after(buyer, owner, facility, supplier_org):
    relationships.relationship_create(
        organisation=buyer, by=owner, facility=facility, supplier=supplier_org
    )
    before, after = voice_surveys.build(buyer)
    assert 40 <= before.responses.count() <= 60
    assert 40 <= after.responses.count() <= 60
    stay = Measure.objects.get(indicator="stay_share")
    assert stay.source == "survey"
    assert stay.baseline == 36
    assert stay.readings.get().value > stay.baseline
    trust = Measure.objects.get(indicator="trust_share")
    assert trust.readings.get().value > trust.baseline

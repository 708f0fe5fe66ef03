"""The demo's grievance procedure and back-pay remedy, built once."""

from stonebridge.demo import voice_procedure
from stonebridge.languages import has_chinese
from stonebridge.voice.models import CommitteeMember, Meeting, Remedy, RemedyState


def test_the_demo_procedure_has_a_committee_meetings_and_a_remedy(
    buyer, owner, supplier_org, engaged
):
    voice_procedure.build(buyer, supplier_org)
    assert CommitteeMember.objects.filter(role="worker", chosen="elected").count() == 3
    assert all(has_chinese(m.minutes) for m in Meeting.objects.all())
    assert Meeting.objects.count() == 2
    remedy = Remedy.objects.get(organisation=buyer)
    assert remedy.state == RemedyState.IN_PROGRESS
    assert remedy.milestones.filter(done_at__isnull=False).count() == 1


def test_building_the_demo_twice_adds_nothing(buyer, owner, supplier_org, engaged):
    voice_procedure.build(buyer, supplier_org)
    voice_procedure.build(buyer, supplier_org)
    assert Meeting.objects.count() == 2
    assert Remedy.objects.count() == 1

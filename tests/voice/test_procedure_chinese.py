"""The procedure, health and remedy pages read in Chinese, with the demo's procedure and remedy:
the same scan as the Chinese demo's (`tests/test_chinese_demo.py`)."""

from django.urls import reverse
from django.utils import timezone

from stonebridge.demo import voice_procedure
from stonebridge.engagement.services import plans
from stonebridge.voice.models import CommitteeMember, Remedy, Route

from ..conftest import client_for
from ..test_chinese_demo import latin_words, misprints, names, visible_text
from .conftest import submit


def test_the_procedure_health_and_remedy_pages_read_in_chinese(
    buyer, owner, supplier_org, supplier_user, engaged, channel
):
    voice_procedure.build(buyer, supplier_org)
    for satisfied in (True, True, False, True, True, True):
        case, _secret = submit(channel, route=Route.COMMITTEE, consent_abroad=False)
        case.acknowledged_at = case.resolved_at = timezone.now()
        case.worker_satisfied = satisfied
        case.save()
    owner.language = "zh-hans"
    owner.save(update_fields=["language"])
    # A plan titled in English only, as a buyer may write it: offered and linked, marked so.
    plan = plans.plan_create(
        relationship=engaged, by=owner, title="Remedy for the dismissed worker"
    )
    Remedy.objects.update(plan=plan)
    remedy = Remedy.objects.get()
    member = CommitteeMember.objects.first()
    supplier_pages = [
        ("voice:factory_procedure", {}),
        ("voice:factory_committee", {}),
        ("voice:factory_committee_remove", {"member_id": member.pk}),
        ("voice:factory_meetings", {}),
        ("voice:factory_meeting_add", {}),
        ("voice:remedies", {}),
        ("voice:remedy", {"remedy_id": remedy.pk}),
        ("voice:home", {}),
    ]
    buyer_pages = [
        ("voice:health_list", {}),
        ("voice:health", {"relationship_id": engaged.pk}),
        ("voice:remedies", {}),
        ("voice:remedy_new", {}),
        ("voice:remedy", {"remedy_id": remedy.pk}),
        ("voice:remedy_verify", {"remedy_id": remedy.pk}),
        ("voice:home", {}),
    ]
    known = names()
    found = {}
    for user, org, pages in (
        (supplier_user, supplier_org, supplier_pages),
        (owner, buyer, buyer_pages),
    ):
        client = client_for(user)
        for name, kwargs in pages:
            response = client.get(reverse(name, kwargs={"org": org.slug, **kwargs}))
            assert response.status_code == 200, name
            text = visible_text(response.content.decode())
            words = latin_words(text, known) + misprints(text)
            if words:
                found[name] = words
    assert found == {}

"""A factory the worker only let read a case sent to the buyers: it reads it and keeps its own
notes, but cannot judge, answer, close, reveal the worker, or replace the voice message; and one
recipient's judgement never removes another's risk evidence."""

import pytest
from django.core.exceptions import ValidationError

from stonebridge.engagement.models import Relationship, Status
from stonebridge.risk.models import Evidence
from stonebridge.voice.models import Attachment, Case, Route, Urgency
from stonebridge.voice.services import handling

from ..conftest import OrganisationFactory, client_for, member
from .conftest import submit

VOICE = b"#!AMR\n" + bytes(200)


def shared(channel, **fields):
    case, _secret = submit(channel, route=Route.BUYERS, share_with_factory=True, **fields)
    return case


def post(user, case, data):
    return client_for(user).post(f"/o/haichen/voice/cases/{case.pk}/", data)


def test_the_factory_cannot_change_the_buyers_triage(channel, buyer, owner, supplier_user):
    case = shared(channel)
    handling.case_triage(
        case=case,
        organisation=buyer,
        by=owner,
        issue="OHS",
        severity="critical",
        urgency="imminent",
    )
    post(
        supplier_user,
        case,
        {"action": "triage", "triage-severity": "low", "triage-urgency": "normal"},
    )
    case.refresh_from_db()
    assert (case.urgency, case.severity) == (Urgency.IMMINENT, "critical")


def test_the_factory_cannot_replace_the_workers_voice(channel, supplier_user):
    case = shared(
        channel, description="", voice=VOICE, voice_type="audio/amr", consent_sensitive=True
    )
    post(supplier_user, case, {"action": "transcribe", "transcribe-text": "工人说一切都好。"})
    assert Attachment.objects.filter(case=case, kind="voice").count() == 1
    assert "一切都好" not in Case.objects.get(pk=case.pk).description


def test_the_factory_cannot_reveal_a_worker_who_wrote_to_the_buyers(channel, supplier_user):
    case = shared(channel, anonymous=False, contact_name="李明", contact_phone="13800138000")
    response = post(supplier_user, case, {"action": "reveal", "reveal-reason": "了解情况"})
    assert "13800138000" not in response.content.decode()
    assert not case.reveals.exists()


def test_the_factory_cannot_close_the_case(channel, supplier_org, supplier_user):
    case = shared(channel)
    with pytest.raises(ValidationError):
        handling.case_close(case=case, organisation=supplier_org, by=supplier_user, unfounded=True)
    assert Case.objects.get(pk=case.pk).state != "closed"


def test_the_factory_keeps_its_own_notes_on_its_copy(channel, supplier_org, supplier_user):
    case = shared(channel)
    handling.case_note(case=case, organisation=supplier_org, by=supplier_user, text="查考勤。")
    page = client_for(supplier_user).get(f"/o/haichen/voice/cases/{case.pk}/").content.decode()
    assert "查考勤。" in page
    assert 'value="triage"' not in page


def test_a_buyer_closing_as_unfounded_withdraws_only_its_own_evidence(
    channel, buyer, owner, facility
):
    other = OrganisationFactory(slug="steinwerk", name="Steinwerk")
    other_owner = member(other, "owner", email="owner@steinwerk.example")
    channel.sponsors.create(organisation=other)
    case, _secret = submit(channel, route=Route.BUYERS)
    for organisation, by in ((buyer, owner), (other, other_owner)):
        handling.case_triage(
            case=case,
            organisation=organisation,
            by=by,
            issue="OHS",
            severity="high",
            urgency="urgent",
        )
    handling.case_close(case=case, organisation=other, by=other_owner, unfounded=True)
    origin = f"voice.case:{case.pk}"
    assert Evidence.objects.counting().filter(organisation=buyer, origin=origin).count() == 1
    assert Evidence.objects.counting().filter(organisation=other, origin=origin).count() == 0


def test_a_supplier_whose_relationship_ended_cannot_run_the_channels_committee(
    channel, engaged, owner, supplier_org
):
    channel.factory = None
    channel.save(update_fields=["factory"])
    Relationship.objects.filter(pk=engaged.pk).update(status=Status.EXITED)
    client_for(owner).post(
        f"/o/noordsteen/voice/channels/{channel.pk}/factory/", {"factory": str(supplier_org.pk)}
    )
    channel.refresh_from_db()
    assert channel.factory_id is None

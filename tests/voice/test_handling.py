"""Handling a case: each step moves the state sensibly, keeps the worker's words out of the log,
and feeds the buyer's risk register once a handler judged the issue."""

import json

import pytest
from django.core.exceptions import ValidationError

from stonebridge.audit.models import Entry
from stonebridge.notifications.models import Notification
from stonebridge.risk.models import Evidence
from stonebridge.voice.models import Attachment, Case, CaseState, IdentityReveal, Route
from stonebridge.voice.services import handling

from .conftest import submit

VOICE = b"#!AMR\n" + b"\x00" * 64


@pytest.fixture
def case(channel):
    return submit(channel)[0]


def log_text(case) -> str:
    entries = Entry.objects.filter(target_id=str(case.pk))
    return json.dumps([e.changes for e in entries], ensure_ascii=False)


def test_arrival_notifies_the_members_of_each_recipient(channel, owner, viewer, supplier_user):
    case = submit(channel)[0]
    notices = Notification.objects.filter(kind=Notification.Kind.GRIEVANCE)
    assert {n.user for n in notices} == {owner, viewer}
    assert case.number in notices.first().message


def test_acknowledging_moves_a_new_case_on_once(case, buyer, owner):
    handling.case_acknowledge(case=case, organisation=buyer, by=owner)
    case.refresh_from_db()
    assert case.state == CaseState.ACKNOWLEDGED
    assert case.acknowledged_at
    with pytest.raises(ValidationError):
        handling.case_acknowledge(case=case, organisation=buyer, by=owner)


def test_an_organisation_the_case_is_not_routed_to_cannot_handle_it(case, other_buyer_org, owner):
    with pytest.raises(ValidationError):
        handling.case_acknowledge(case=case, organisation=other_buyer_org, by=owner)


def test_triage_sets_issue_severity_urgency_and_starts_handling(case, buyer, owner):
    handling.case_triage(
        case=case, organisation=buyer, by=owner, issue="OHS", severity="high", urgency="imminent"
    )
    case.refresh_from_db()
    assert (case.issue_id, case.severity, case.urgency) == ("OHS", "high", "imminent")
    assert case.state == CaseState.IN_PROGRESS


def test_triage_refuses_an_unknown_severity(case, buyer, owner):
    with pytest.raises(ValidationError) as error:
        handling.case_triage(
            case=case, organisation=buyer, by=owner, issue="OHS", severity="x", urgency="normal"
        )
    assert "severity" in error.value.message_dict


def test_triage_records_one_grievance_evidence_per_case_and_organisation(case, buyer, owner):
    for severity in ("medium", "high", "high"):
        handling.case_triage(
            case=case,
            organisation=buyer,
            by=owner,
            issue="HOURS_WAGES",
            severity=severity,
            urgency="normal",
        )
    counting = Evidence.objects.counting().filter(origin=f"voice.case:{case.pk}")
    (evidence,) = counting
    assert (evidence.kind, evidence.source_type, evidence.confidence) == (
        "grievance",
        "grievance",
        "high",
    )
    assert "加班" not in evidence.summary


def test_a_case_closed_as_unfounded_withdraws_its_evidence(case, buyer, owner):
    handling.case_triage(
        case=case, organisation=buyer, by=owner, issue="OHS", severity="low", urgency="normal"
    )
    handling.case_close(case=case, organisation=buyer, by=owner, unfounded=True)
    assert not Evidence.objects.counting().filter(origin=f"voice.case:{case.pk}").exists()


def test_the_factory_committee_triage_records_no_evidence(channel, supplier_org, supplier_user):
    case = submit(channel, route=Route.COMMITTEE)[0]
    handling.case_triage(
        case=case,
        organisation=supplier_org,
        by=supplier_user,
        issue="OHS",
        severity="low",
        urgency="normal",
    )
    assert not Evidence.objects.filter(origin=f"voice.case:{case.pk}").exists()


def test_messages_and_notes_stay_out_of_the_audit_log(case, buyer, owner):
    handling.case_message(
        case=case, organisation=buyer, by=owner, text="请问是哪个车间", question=True
    )
    handling.case_note(case=case, organisation=buyer, by=owner, text="先和工厂联系。")
    text = log_text(case)
    assert "车间" not in text
    assert "工厂联系" not in text
    assert "加班" not in text
    note = case.messages.get(internal=True)
    assert note.organisation == buyer
    assert not note.question


def test_an_empty_message_is_refused(case, buyer, owner):
    with pytest.raises(ValidationError):
        handling.case_message(case=case, organisation=buyer, by=owner, text="  ")


def test_reveal_needs_a_reason(channel, buyer, owner):
    case = submit(channel, anonymous=False, contact_name="王芳", contact_phone="13800001111")[0]
    with pytest.raises(ValidationError):
        handling.identity_reveal(case=case, organisation=buyer, by=owner, reason=" ")
    assert not IdentityReveal.objects.exists()


def test_a_reveal_is_kept_and_logged_without_the_identity(channel, buyer, owner):
    case = submit(channel, anonymous=False, contact_name="王芳", contact_phone="13800001111")[0]
    shown = handling.identity_reveal(
        case=case, organisation=buyer, by=owner, reason="Needs medical care now."
    )
    assert shown == {"name": "王芳", "phone": "13800001111"}
    assert IdentityReveal.objects.get().user == owner
    assert Entry.objects.filter(verb="voice.identity_revealed").exists()
    assert "13800001111" not in log_text(case)
    assert "王芳" not in log_text(case)


def test_an_anonymous_worker_has_nothing_to_reveal(case, buyer, owner):
    with pytest.raises(ValidationError):
        handling.identity_reveal(case=case, organisation=buyer, by=owner, reason="Why not")


def test_the_voice_message_is_gone_after_it_is_written_down(channel, buyer, owner):
    case = submit(
        channel, description="", voice=VOICE, voice_type="audio/amr", consent_sensitive=True
    )[0]
    handling.voice_transcribe(case=case, organisation=buyer, by=owner, text="宿舍没有热水。")
    case.refresh_from_db()
    assert "宿舍没有热水。" in case.description
    assert not Attachment.objects.filter(case=case).exists()
    assert "热水" not in log_text(case)


def test_resolving_needs_an_outcome_and_a_case_being_handled(case, buyer, owner):
    with pytest.raises(ValidationError):
        handling.case_resolve(case=case, organisation=buyer, by=owner, outcome="Paid.")
    handling.case_acknowledge(case=case, organisation=buyer, by=owner)
    with pytest.raises(ValidationError):
        handling.case_resolve(case=case, organisation=buyer, by=owner, outcome="")
    handling.case_resolve(case=case, organisation=buyer, by=owner, outcome="Overtime paid.")
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED
    assert case.outcome == "Overtime paid."


def test_only_an_answered_case_closes_unless_unfounded(case, buyer, owner):
    with pytest.raises(ValidationError):
        handling.case_close(case=case, organisation=buyer, by=owner)
    handling.case_acknowledge(case=case, organisation=buyer, by=owner)
    handling.case_resolve(case=case, organisation=buyer, by=owner, outcome="Paid.")
    handling.case_close(case=case, organisation=buyer, by=owner, worker_satisfied=True)
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert case.worker_satisfied is True


def test_reopening_counts_and_a_closed_case_takes_no_messages(case, buyer, owner):
    handling.case_close(case=case, organisation=buyer, by=owner, unfounded=True)
    with pytest.raises(ValidationError):
        handling.case_message(case=case, organisation=buyer, by=owner, text="Hello")
    handling.case_reopen(case=case, organisation=buyer, by=owner, reason="New facts.")
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS
    assert case.reopened == 1
    assert case.closed_at is None
    with pytest.raises(ValidationError):
        handling.case_reopen(case=case, organisation=buyer, by=owner)


def test_assigning_needs_a_member_of_the_organisation(case, buyer, owner, other_buyer):
    with pytest.raises(ValidationError):
        handling.case_assign(case=case, organisation=buyer, by=owner, assigned_to=other_buyer)
    routing = handling.case_assign(case=case, organisation=buyer, by=owner, assigned_to=owner)
    assert routing.assigned_to == owner


def test_links_only_the_organisations_own_plans(case, buyer, owner, other_buyer_org, other_buyer):
    from stonebridge.engagement.services import plans, relationships
    from stonebridge.supplychain.services import facility_create

    facility = facility_create(
        organisation=other_buyer_org, by=other_buyer, kind="quarry", name_zh="石场"
    )
    relationship = relationships.relationship_create(
        organisation=other_buyer_org, by=other_buyer, facility=facility
    )
    theirs = plans.plan_create(relationship=relationship, by=other_buyer, title="Theirs")
    with pytest.raises(ValidationError) as error:
        handling.case_link(case=case, organisation=buyer, by=owner, plan=theirs)
    assert "plan" in error.value.message_dict


def test_the_demo_cases_are_open_and_closed_in_chinese(
    channel, buyer, owner, supplier_org, supplier_user
):
    from stonebridge.demo.voice_cases import build

    cases = build(buyer, supplier_org, channel)
    states = {c.state for c in Case.objects.filter(pk__in=[c.pk for c in cases])}
    assert {CaseState.CLOSED, CaseState.IN_PROGRESS, CaseState.RECEIVED} <= states
    assert not Attachment.objects.filter(kind="voice").exists()

"""The supplier's own grievance procedure: its deadlines reach the cases sent to its committee,
its committee and dialogue meetings are kept, in Chinese for a Chinese reader, and nobody
outside the supplier sees them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stonebridge.accounts.models import Role
from stonebridge.audit.models import Entry
from stonebridge.voice.models import CommitteeMember, Meeting, Route
from stonebridge.voice.services import procedures

from ..conftest import client_for, member
from .conftest import submit


@pytest.fixture
def procedure(supplier_org, supplier_user):
    return procedures.procedure_save(
        organisation=supplier_org,
        by=supplier_user,
        acknowledge_days=3,
        respond_days=14,
        description="员工可以把问题告诉申诉委员会。",
        contact="工会主席 林秀英",
    )


def test_a_case_to_the_committee_takes_the_procedures_deadlines(channel, procedure):
    case, _secret = submit(channel, route=Route.COMMITTEE, consent_abroad=False)
    today = timezone.localdate()
    assert case.acknowledge_by == today + timedelta(days=3)
    assert case.respond_by == today + timedelta(days=14)


def test_a_case_to_the_buyers_keeps_stonebridges_deadlines(channel, procedure):
    case, _secret = submit(channel, route=Route.BUYERS)
    assert case.respond_by == timezone.localdate() + timedelta(days=30)


def test_without_a_procedure_the_committee_gets_the_defaults(channel):
    case, _secret = submit(channel, route=Route.COMMITTEE, consent_abroad=False)
    assert case.acknowledge_by == timezone.localdate() + timedelta(days=7)


def test_the_answer_cannot_be_due_before_the_acknowledgement(supplier_org, supplier_user):
    with pytest.raises(ValidationError) as error:
        procedures.procedure_save(
            organisation=supplier_org, by=supplier_user, acknowledge_days=10, respond_days=5
        )
    assert "respond_days" in error.value.message_dict


def test_only_a_supplier_runs_a_procedure(buyer, owner):
    with pytest.raises(ValidationError):
        procedures.procedure_save(organisation=buyer, by=owner, acknowledge_days=7, respond_days=30)


def test_saving_the_procedure_is_logged(supplier_org, procedure):
    assert Entry.objects.filter(organisation=supplier_org, verb="voice.procedure_created").exists()


def test_a_member_who_leaves_stays_on_record(supplier_org, supplier_user, procedure):
    person = procedures.committee_member_add(
        organisation=supplier_org,
        by=supplier_user,
        name="陈建华",
        role="worker",
        chosen="elected",
        since=date(2025, 3, 1),
    )
    procedures.committee_member_remove(member=person, by=supplier_user)
    person.refresh_from_db()
    assert person.until == timezone.localdate()
    assert CommitteeMember.objects.filter(name="陈建华").exists()


def test_a_meeting_cannot_be_recorded_before_it_is_held(supplier_org, supplier_user, procedure):
    with pytest.raises(ValidationError):
        procedures.meeting_record(
            organisation=supplier_org,
            by=supplier_user,
            held_on=timezone.localdate() + timedelta(days=1),
            workers_present=12,
            topics="加班",
            minutes="……",
        )


def test_the_supplier_sets_up_its_procedure_in_chinese(supplier_org, supplier_user):
    client = client_for(supplier_user)
    url = reverse("voice:factory_procedure", kwargs={"org": supplier_org.slug})
    page = client.get(url).content.decode()
    assert "申诉委员会" in page
    response = client.post(
        url, {"acknowledge_days": 5, "respond_days": 20, "description": "", "contact": ""}
    )
    assert response.status_code == 302
    assert "5 天" in client.get(url).content.decode().replace("5天", "5 天")


def test_the_form_names_the_field_in_error(supplier_org, supplier_user):
    url = reverse("voice:factory_procedure", kwargs={"org": supplier_org.slug})
    response = client_for(supplier_user).post(url, {"acknowledge_days": 10, "respond_days": 5})
    assert response.status_code == 200
    assert response.context["form"].errors["respond_days"]


def test_a_member_is_added_and_leaves_after_confirming(supplier_org, supplier_user, procedure):
    client = client_for(supplier_user)
    committee = reverse("voice:factory_committee", kwargs={"org": supplier_org.slug})
    client.post(
        committee, {"name": "王丽娟", "role": "worker", "chosen": "elected", "since": "2025-01-01"}
    )
    person = CommitteeMember.objects.get(name="王丽娟")
    remove = reverse(
        "voice:factory_committee_remove", kwargs={"org": supplier_org.slug, "member_id": person.pk}
    )
    assert "王丽娟" in client.get(remove).content.decode()
    person.refresh_from_db()
    assert person.until is None  # asking is not leaving
    client.post(remove)
    person.refresh_from_db()
    assert person.until == timezone.localdate()


def test_meetings_are_listed_page_by_page(supplier_org, supplier_user, procedure):
    for day in range(25):
        procedures.meeting_record(
            organisation=supplier_org,
            by=supplier_user,
            held_on=date(2025, 1, 1) + timedelta(days=day),
            workers_present=10,
            topics=f"议题{day}",
            minutes="会议纪要",
        )
    url = reverse("voice:factory_meetings", kwargs={"org": supplier_org.slug})
    first = client_for(supplier_user).get(url).content.decode()
    second = client_for(supplier_user).get(url + "?page=2").content.decode()
    assert "议题24" in first
    assert "议题0" not in first
    assert "议题0" in second


def test_a_meeting_is_recorded_through_the_form(supplier_org, supplier_user, procedure):
    url = reverse("voice:factory_meeting_add", kwargs={"org": supplier_org.slug})
    response = client_for(supplier_user).post(
        url,
        {
            "held_on": "2025-06-01",
            "workers_present": 18,
            "topics": "夏季高温",
            "minutes": "同意增加休息时间。",
            "follow_up": "",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.get().workers_present == 18


def test_a_buyer_has_no_procedure_pages(buyer, owner):
    url = reverse("voice:factory_procedure", kwargs={"org": buyer.slug})
    assert client_for(owner).get(url).status_code == 404


def test_outsiders_do_not_see_the_procedure(supplier_org, procedure, owner, other_buyer):
    for outsider in (owner, other_buyer):
        for name in (
            "voice:factory_procedure",
            "voice:factory_committee",
            "voice:factory_meetings",
        ):
            url = reverse(name, kwargs={"org": supplier_org.slug})
            assert client_for(outsider).get(url).status_code == 404


def test_a_viewer_cannot_change_the_procedure(supplier_org, procedure):
    reader = member(supplier_org, Role.VIEWER)
    url = reverse("voice:factory_procedure", kwargs={"org": supplier_org.slug})
    response = client_for(reader).post(url, {"acknowledge_days": 1, "respond_days": 2})
    assert response.status_code == 403


# --- health, for buyers ------------------------------------------------------------------------


def _health_url(org, engaged):
    return reverse("voice:health", kwargs={"org": org.slug, "relationship_id": engaged.pk})


def test_a_buyer_working_with_the_supplier_sees_figures_not_cases(
    channel, procedure, engaged, buyer, owner
):
    submit(channel, route=Route.COMMITTEE, consent_abroad=False, description="宿舍没有热水。")
    page = client_for(owner).get(_health_url(buyer, engaged))
    assert page.status_code == 200
    assert page.context["health"].cases == 1
    body = page.content.decode()
    assert "宿舍没有热水" not in body
    assert page.context["health"].by_topic == (("hours", 1),)


def test_cases_only_to_the_buyers_are_not_the_procedures(channel, engaged, buyer, owner):
    submit(channel, route=Route.BUYERS)
    page = client_for(owner).get(_health_url(buyer, engaged))
    assert page.context["health"].cases == 0


def test_the_satisfied_share_is_withheld_with_fewer_than_five_answers(
    channel, engaged, buyer, owner
):
    for _ in range(3):
        case, _secret = submit(channel, route=Route.COMMITTEE, consent_abroad=False)
        case.worker_satisfied = True
        case.save(update_fields=["worker_satisfied"])
    page = client_for(owner).get(_health_url(buyer, engaged))
    assert page.context["satisfied_percent"] is None
    assert "StoneBridge" in page.content.decode()


def test_a_buyer_not_working_with_the_supplier_sees_no_health(
    channel, engaged, other_buyer, other_buyer_org
):
    url = _health_url(other_buyer_org, engaged)
    assert client_for(other_buyer).get(url).status_code == 404


def test_a_relationship_the_supplier_has_not_accepted_shows_no_health(
    buyer, owner, facility, supplier_org, channel
):
    from stonebridge.engagement.services import relationships

    asked = relationships.relationship_create(
        organisation=buyer, by=owner, facility=facility, supplier=supplier_org
    )
    assert client_for(owner).get(_health_url(buyer, asked)).status_code == 404


def test_the_supplier_does_not_reach_the_buyers_health_page(
    engaged, buyer, supplier_user, supplier_org
):
    assert client_for(supplier_user).get(_health_url(buyer, engaged)).status_code == 404
    assert client_for(supplier_user).get(_health_url(supplier_org, engaged)).status_code == 404

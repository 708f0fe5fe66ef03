"""The daily deadline check: overdue cases notify the handlers' owners once, and the factory
committee's missed cases go to the sponsoring buyers as facts only."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from stonebridge.notifications.models import Notification
from stonebridge.voice.models import Route
from stonebridge.voice.services import handling
from stonebridge.voice.services.deadlines import deadlines_check

from .conftest import submit

LATER = timedelta(days=40)


def kinds(kind):
    return Notification.objects.filter(kind=kind)


@pytest.fixture
def late_case(channel, owner):
    return submit(channel)[0]


def test_an_overdue_case_notifies_the_owners_once(late_case, owner, viewer):
    today = timezone.localdate() + LATER
    deadlines_check(today)
    deadlines_check(today)
    overdue = kinds(Notification.Kind.GRIEVANCE_OVERDUE)
    # Not acknowledged, and not answered: one notice each, to the owner only.
    assert overdue.count() == 2
    assert {n.user for n in overdue} == {owner}


def test_a_case_within_its_deadlines_notifies_nobody(late_case, owner):
    deadlines_check(timezone.localdate())
    assert not kinds(Notification.Kind.GRIEVANCE_OVERDUE).exists()


def test_an_answered_case_is_not_overdue(late_case, buyer, owner):
    handling.case_acknowledge(case=late_case, organisation=buyer, by=owner)
    handling.case_resolve(case=late_case, organisation=buyer, by=owner, outcome="Paid.")
    deadlines_check(timezone.localdate() + LATER)
    assert not kinds(Notification.Kind.GRIEVANCE_OVERDUE).exists()


def test_a_missed_committee_case_is_escalated_to_the_sponsors_as_facts(
    channel, owner, supplier_user
):
    case = submit(channel, route=Route.COMMITTEE)[0]
    report = deadlines_check(timezone.localdate() + LATER)
    case.refresh_from_db()
    assert report.escalated == 1
    assert case.escalated_at is not None
    (notice,) = kinds(Notification.Kind.GRIEVANCE_ESCALATED)
    assert notice.user == owner
    assert case.number in notice.message
    assert "加班" not in notice.message
    assert deadlines_check(timezone.localdate() + LATER).escalated == 0


def test_without_consent_to_leave_china_the_buyer_learns_no_topic(channel, owner):
    submit(channel, route=Route.COMMITTEE, consent_abroad=False)
    deadlines_check(timezone.localdate() + LATER)
    (notice,) = kinds(Notification.Kind.GRIEVANCE_ESCALATED)
    assert "overtime" not in notice.message


def test_a_buyer_case_is_never_escalated(late_case):
    assert deadlines_check(timezone.localdate() + LATER).escalated == 0


def test_the_command_runs(late_case, capsys):
    call_command("voice_deadlines")
    assert "overdue: 0" in capsys.readouterr().out


def test_the_sponsor_sees_the_escalated_case_as_facts_only(channel, buyer, owner):
    from django.urls import reverse

    from ..conftest import client_for

    case = submit(channel, route=Route.COMMITTEE)[0]
    deadlines_check(timezone.localdate() + LATER)
    body = client_for(owner).get(reverse("voice:home", kwargs={"org": buyer.slug})).content
    text = body.decode()
    assert case.number in text
    assert "加班超过一百个小时" not in text
    detail = reverse("voice:case_detail", kwargs={"org": buyer.slug, "case_id": case.pk})
    assert client_for(owner).get(detail).status_code == 404

"""The daily pass: reminders by each person's own calendar, and red flags told once."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from stonebridge.audit.models import Entry
from stonebridge.defaults.models import Key
from stonebridge.engagement import flags, reminders
from stonebridge.engagement.models import FlagState
from stonebridge.engagement.services import disclosure, escalation, plans, relationships
from stonebridge.notifications.models import Notification

TODAY = timezone.localdate()
DUE = TODAY + timedelta(days=1)
# 20:00 UTC on the due date: still the due date in Amsterdam (21:00 or 22:00), already the next
# morning in Shanghai (04:00).
EVENING_IN_EUROPE = datetime.combine(DUE, time(20, 0), tzinfo=UTC)


@pytest.fixture
def relationship(buyer, owner, editor, viewer, chain, supplier_org, supplier_user):
    supplier_user.time_zone = "Asia/Shanghai"
    supplier_user.save(update_fields=["time_zone"])
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["exporter"], supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)


@pytest.fixture
def action(relationship, owner, supplier_user):
    plan = plans.plan_create(relationship=relationship, by=owner, title="Dust control")
    return plans.action_create(
        plan=plan,
        by=owner,
        title="Wet cutting at every station",
        title_zh="所有干切工位改为湿法作业",
        issue="OHS",
        due_on=DUE,
        buyer_owner=owner,
        supplier_owner=supplier_user,
    )


def reminders_of(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind__in=["action_due", "action_overdue"]))


def test_it_calls_the_action_overdue_in_shanghai_while_it_is_still_due_in_amsterdam(
    action, owner, supplier_user
):
    assert owner.time_zone == "Europe/Amsterdam"
    reminders.remind(now=EVENING_IN_EUROPE)
    (in_amsterdam,) = reminders_of(owner)
    (in_shanghai,) = reminders_of(supplier_user)
    assert in_amsterdam.kind == "action_due"
    assert in_shanghai.kind == "action_overdue"


def test_it_names_the_action_in_chinese_for_the_supplier(action, supplier_user):
    reminders.remind(now=EVENING_IN_EUROPE)
    (notice,) = reminders_of(supplier_user)
    assert "所有干切工位改为湿法作业" in notice.message
    assert notice.url == f"/o/haichen/workspace/actions/{action.pk}/"


def test_it_tells_only_the_owners_of_the_action(action, editor):
    reminders.remind(now=EVENING_IN_EUROPE)
    assert reminders_of(editor) == []


def test_it_does_not_remind_of_an_action_due_later(action, owner, supplier_user):
    reminders.remind(now=EVENING_IN_EUROPE - timedelta(days=10))
    assert reminders_of(owner) == []
    assert reminders_of(supplier_user) == []


def test_it_sends_nothing_new_when_run_twice(action):
    reminders.remind(now=EVENING_IN_EUROPE)
    count = Notification.objects.count()
    assert reminders.remind(now=EVENING_IN_EUROPE) == 0
    assert Notification.objects.count() == count


def test_it_counts_the_reminders_it_sent(action):
    assert reminders.remind(now=EVENING_IN_EUROPE) == 2


def test_it_tells_the_overdue_once_more_after_the_due_reminder(action, owner):
    reminders.remind(now=EVENING_IN_EUROPE)
    reminders.remind(now=EVENING_IN_EUROPE + timedelta(days=1))
    assert sorted(n.kind for n in reminders_of(owner)) == ["action_due", "action_overdue"]


def test_it_does_not_remind_of_an_action_waiting_for_verification(action, supplier_user, owner):
    plans.update_post(
        action=action, by=supplier_user, by_supplier=True, text="完成了。", status="reported_done"
    )
    reminders.remind(now=EVENING_IN_EUROPE)
    assert reminders_of(owner) == []


def test_it_emails_each_person_their_reminder(
    action, owner, supplier_user, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.remind(now=EVENING_IN_EUROPE)
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [owner.email, supplier_user.email]
    )
    by_address = {email.to[0]: email for email in mail.outbox}
    assert f"/workspace/actions/{action.pk}/" in by_address[supplier_user.email].body
    assert f"/engagement/actions/{action.pk}/" in by_address[owner.email].body


# --- red flags --------------------------------------------------------------------------------


@pytest.fixture
def ignored_request(relationship, owner):
    return disclosure.request_create(
        relationship=relationship,
        by=owner,
        kind="question",
        text="How many hours a week do the saw operators work?",
        due_on=TODAY - timedelta(days=flags.GRACE_DAYS + 5),
    )


def red_flags_for(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind="red_flag"))


def flag_entries() -> int:
    return Entry.objects.filter(verb="engagement.red_flags_changed").count()


def test_it_raises_a_flag_for_an_ignored_request(ignored_request, relationship):
    assert reminders.refresh_flags() == 1
    (state,) = FlagState.objects.filter(relationship=relationship)
    assert state.code == flags.REFUSAL_TO_ENGAGE
    assert state.cleared_at is None


def test_it_tells_the_buyers_owner_and_editors_of_the_raised_flag(
    ignored_request, owner, editor, viewer, supplier_user
):
    reminders.refresh_flags()
    assert len(red_flags_for(owner)) == 1
    assert len(red_flags_for(editor)) == 1
    assert red_flags_for(viewer) == []
    assert red_flags_for(supplier_user) == []
    assert "Refuses to engage" in red_flags_for(owner)[0].message


def test_it_logs_the_raised_flag_once(ignored_request):
    reminders.refresh_flags()
    assert flag_entries() == 1


def test_it_adds_nothing_when_the_flag_still_stands(ignored_request, owner):
    reminders.refresh_flags()
    assert reminders.refresh_flags() == 0
    assert FlagState.objects.count() == 1
    assert len(red_flags_for(owner)) == 1
    assert flag_entries() == 1


def test_it_clears_the_flag_once_the_request_is_answered(
    ignored_request, relationship, supplier_user
):
    reminders.refresh_flags()
    disclosure.request_answer(
        request=ignored_request, by=supplier_user, answer="锯工每周工作60小时。"
    )
    reminders.refresh_flags()
    (state,) = FlagState.objects.filter(relationship=relationship)
    assert state.cleared_at is not None
    assert flag_entries() == 2


def test_it_leaves_ended_relationships_alone(ignored_request, relationship, owner):
    escalation.exit_complete(
        exit_plan=escalation.exit_plan_create(
            relationship=relationship,
            by=owner,
            reason="No answers for months.",
            decided_on=TODAY - timedelta(days=60),
            notice_days=60,
            workers_affected=40,
            wind_down="Orders placed are delivered.",
        ),
        by=owner,
    )
    assert reminders.refresh_flags() == 0
    assert not FlagState.objects.exists()


# --- StoneBridge defaults staff set -----------------------------------------------------------


def test_reminders_come_as_many_days_ahead_as_staff_set(action, owner, set_default):
    ten_days_ahead = EVENING_IN_EUROPE - timedelta(days=10)
    set_default(Key.DUE_SOON_DAYS, 14)
    reminders.remind(now=ten_days_ahead)
    (notice,) = reminders_of(owner)
    assert notice.kind == "action_due"


def test_a_shorter_grace_raises_the_flag_sooner(relationship, owner, set_default):
    disclosure.request_create(
        relationship=relationship,
        by=owner,
        kind="question",
        text="How many hours a week do the saw operators work?",
        due_on=TODAY - timedelta(days=15),
    )
    assert reminders.refresh_flags() == 0
    set_default(Key.GRACE_DAYS, 10)
    assert reminders.refresh_flags() == 1
    (state,) = FlagState.objects.filter(relationship=relationship)
    assert state.code == flags.REFUSAL_TO_ENGAGE


def test_a_longer_grace_leaves_an_older_silence_unflagged(ignored_request, set_default):
    set_default(Key.GRACE_DAYS, flags.GRACE_DAYS + 10)
    assert reminders.refresh_flags() == 0
    assert not FlagState.objects.exists()

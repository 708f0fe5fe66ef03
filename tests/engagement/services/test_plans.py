"""Plans from the guidance's engagement models, and due dates moved by agreement."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from stonebridge.engagement import queries
from stonebridge.engagement.models import Measure
from stonebridge.engagement.services import plans
from stonebridge.notifications.models import Notification

# --- plans from the guidance's engagement models ----------------------------------------------


@pytest.fixture
def ohs_plan(relationship, owner):
    return plans.plan_create(
        relationship=relationship, by=owner, programme="ohs_system", starts_on=date(2026, 3, 1)
    )


def test_a_programme_plan_carries_the_templates_actions_due_after_the_start(ohs_plan):
    actions = list(ohs_plan.actions.order_by("due_on"))
    assert [(a.title_zh, a.issue_id, a.kind, a.due_on) for a in actions] == [
        ("成立安全委员会，排查每个工位的危害", "OHS", "corrective", date(2026, 4, 30)),
        ("所有干切工位改为湿法作业并安装除尘设备", "OHS", "corrective", date(2026, 8, 28)),
    ]
    assert ohs_plan.title_zh == "职业健康安全管理体系"


def test_a_programme_plan_carries_the_templates_milestones_with_their_dates(ohs_plan):
    milestones = Measure.objects.filter(action__plan=ohs_plan, kind="milestone")
    assert sorted((m.due_on, m.title_zh) for m in milestones) == [
        (date(2026, 3, 31), "安全委员会成立，并有工人代表参加"),
        (date(2026, 4, 30), "完成各工序、各工位的危害清单"),
        (date(2026, 7, 29), "除尘设备安装完成"),
        (date(2026, 8, 28), "接尘工人完成培训和职业健康检查"),
    ]


def test_a_programme_plan_measures_outcomes_in_workers_conditions(ohs_plan):
    outcomes = Measure.objects.filter(action__plan=ohs_plan, kind="outcome")
    assert sorted((m.indicator, m.lower_is_better) for m in outcomes) == [
        ("health_check_share", False),
        ("recordable_injuries", True),
        ("respirable_dust", True),
    ]
    assert not queries.plan_progress(ohs_plan).only_milestones


def test_an_unknown_programme_is_refused(relationship, owner):
    with pytest.raises(ValidationError):
        plans.plan_create(relationship=relationship, by=owner, programme="zero_tolerance")


def test_the_supplier_is_told_of_the_shared_plan_with_a_link_to_its_workspace(
    ohs_plan, supplier_user
):
    notification = Notification.objects.get(user=supplier_user, kind="plan_shared")
    assert notification.url == f"/o/haichen/workspace/plans/{ohs_plan.pk}/"
    # The plan is named in Chinese for the supplier; the sentence around it is translated
    # once the catalogue has it.
    assert "职业健康安全管理体系" in notification.message


# --- due dates --------------------------------------------------------------------------------


def propose(action, supplier_user, days=30):
    return plans.due_date_propose(
        action=action,
        by=supplier_user,
        proposed_due_on=action.due_on + timedelta(days=days),
        reason="除尘设备到货晚了。",
    )


def test_an_accepted_proposal_moves_the_due_date(action, owner, supplier_user):
    wanted = action.due_on + timedelta(days=30)
    plans.due_date_decide(change=propose(action, supplier_user), by=owner, accept=True)
    action.refresh_from_db()
    assert action.due_on == wanted


def test_a_declined_proposal_keeps_the_due_date(action, owner, supplier_user):
    due = action.due_on
    plans.due_date_decide(change=propose(action, supplier_user), by=owner, accept=False)
    action.refresh_from_db()
    assert action.due_on == due


def test_a_second_proposal_waits_until_the_first_is_decided(action, supplier_user):
    propose(action, supplier_user)
    with pytest.raises(ValidationError):
        propose(action, supplier_user, days=45)

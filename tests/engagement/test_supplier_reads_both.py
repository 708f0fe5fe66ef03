"""What a buyer wrote, as the supplier reads it in its workspace: requests, milestones, outcomes
and plans in the reader's language first with the other beside it, or marked with the language
the buyer wrote in; never a silent English block, never an empty line."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from stonebridge.engagement.services import disclosure, measures, plans, relationships

from ..conftest import client_for

DUE = timezone.localdate() + timedelta(days=30)
WRITTEN_IN_ENGLISH = "采购商用英文填写"


@pytest.fixture
def relationship(buyer, owner, chain, supplier_org, supplier_user):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["exporter"], supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)


@pytest.fixture
def action(relationship, owner):
    plan = plans.plan_create(relationship=relationship, by=owner, title="Dust control")
    return plans.action_create(
        plan=plan, by=owner, title="Fit extraction hoods", issue="OHS", due_on=DUE
    )


def page(supplier_user, name, *args):
    url = reverse(
        f"engagement:workspace_{name}",
        args=[supplier_user.memberships.get().organisation.slug, *args],
    )
    response = client_for(supplier_user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_workspace_lists_a_request_in_chinese_first_with_the_english_beside_it(
    relationship, owner, supplier_user
):
    disclosure.request_create(
        relationship=relationship,
        by=owner,
        kind="documents",
        text="Send the payroll of May.",
        text_zh="请提供五月份的工资表。",
        due_on=DUE,
    )
    body = page(supplier_user, "home")
    requests = body[body.index('id="requests"') :]
    assert requests.index('<span lang="zh-Hans">请提供五月份的工资表。</span>') < requests.index(
        '<span lang="en" class="muted">Send the payroll of May.</span>'
    )


def test_a_request_listed_only_in_english_says_the_buyer_wrote_it_in_english(
    relationship, owner, supplier_user
):
    disclosure.request_create(
        relationship=relationship, by=owner, kind="question", text="How many workers?", due_on=DUE
    )
    body = page(supplier_user, "home")
    requests = body[body.index('id="requests"') : body.index('id="actions"')]
    assert '<span lang="en">How many workers?</span>' in requests
    assert WRITTEN_IN_ENGLISH in requests


def test_a_milestone_reads_in_both_languages_chinese_first(action, owner, supplier_user):
    measures.measure_add(
        action=action, by=owner, kind="milestone", title="Hoods fitted", title_zh="吸尘罩已安装"
    )
    body = page(supplier_user, "action", action.pk)
    section = body[body.index('id="measures"') :]
    assert section.index('<span lang="zh-Hans">吸尘罩已安装</span>') < section.index(
        '<span lang="en" class="muted">Hoods fitted</span>'
    )


def test_the_way_back_to_an_english_plan_says_it_is_written_in_english(action, supplier_user):
    body = page(supplier_user, "action", action.pk)
    back = body[: body.index("<h1")]
    assert '<span lang="en">Dust control</span>' in back
    assert WRITTEN_IN_ENGLISH in back


def test_an_outcome_of_the_buyers_own_is_captioned_with_the_language_it_is_written_in(
    action, owner, supplier_user
):
    measures.measure_add(
        action=action, by=owner, kind="outcome", title="Masks worn at the saws", unit="%"
    )
    body = page(supplier_user, "plan", action.plan_id)
    caption = body[body.index("<figcaption>") : body.index("</figcaption>")]
    assert '<span lang="en">Masks worn at the saws</span>' in caption
    assert WRITTEN_IN_ENGLISH in caption


def test_the_history_shows_a_request_written_only_in_chinese(relationship, owner, supplier_user):
    asked = disclosure.request_create(
        relationship=relationship, by=owner, kind="question", text_zh="宿舍住了多少员工", due_on=DUE
    )
    disclosure.request_answer(request=asked, by=supplier_user, answer="一百二十人")
    body = page(supplier_user, "history")
    assert "宿舍住了多少员工" in body

"""What a buyer writes for a supplier, in English and Chinese: the migration that sorted existing
text by its script, the supplier's page, the ready-made texts, the warning and the API."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from stonebridge.engagement.models import Request
from stonebridge.engagement.services import disclosure, escalation, plans, relationships

from ..conftest import client_for
from .test_api import client_with_token, post

migration = importlib.import_module("stonebridge.engagement.migrations.0004_bilingual_content")
DUE = timezone.localdate() + timedelta(days=30)


@pytest.fixture
def relationship(buyer, owner, chain, supplier_org, supplier_user):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["exporter"], supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)


def test_the_migration_moves_chinese_text_to_the_chinese_field_and_back(relationship, owner):
    plan = plans.plan_create(relationship=relationship, by=owner, title="Dust")
    Request.objects.bulk_create(
        [
            Request(relationship=relationship, kind="question", text="请提供考勤记录", due_on=DUE),
            Request(relationship=relationship, kind="question", text="Send payroll", due_on=DUE),
        ]
    )
    type(plan).objects.filter(pk=plan.pk).update(title="粉尘控制")
    migration.to_chinese_field(apps, None)
    chinese, english = Request.objects.order_by("pk")
    assert (chinese.text, chinese.text_zh) == ("", "请提供考勤记录")
    assert (english.text, english.text_zh) == ("Send payroll", "")
    plan.refresh_from_db()
    assert (plan.title, plan.title_zh) == ("", "粉尘控制")
    migration.back_to_english_field(apps, None)
    chinese.refresh_from_db()
    assert (chinese.text, chinese.text_zh) == ("请提供考勤记录", "")


def request_page(supplier_user, asked, language="zh-hans"):
    supplier_user.language = language
    supplier_user.save()
    url = reverse("engagement:workspace_request", args=[asked.relationship.supplier.slug, asked.pk])
    return client_for(supplier_user).get(url).content.decode()


def test_the_supplier_reads_the_chinese_text_first_with_the_english_beside_it(
    relationship, owner, supplier_user
):
    asked = disclosure.request_create(
        relationship=relationship,
        by=owner,
        kind="documents",
        text="Send the payroll.",
        text_zh="请提供工资表。",
        due_on=DUE,
    )
    body = request_page(supplier_user, asked)
    assert body.index('<span lang="zh-Hans">请提供工资表。</span>') < body.index(
        '<span lang="en" class="muted">Send the payroll.</span>'
    )


def test_a_text_only_in_english_says_the_buyer_wrote_it_in_english(
    relationship, owner, supplier_user
):
    asked = disclosure.request_create(
        relationship=relationship, by=owner, kind="documents", text="Send the payroll.", due_on=DUE
    )
    body = request_page(supplier_user, asked)
    assert '<span lang="en">Send the payroll.</span>' in body
    assert "采购商用英文填写" in body


def form_url(relationship):
    return reverse(
        "engagement:request_create", args=[relationship.organisation.slug, relationship.pk]
    )


def test_a_ready_made_text_fills_both_languages_without_saving(relationship, owner):
    response = client_for(owner).post(
        form_url(relationship), {"ready_text": "dust", "fill": "1", "kind": "question"}
    )
    body = response.content.decode()
    assert "silica dust measurements" in body
    assert "矽尘检测报告" in body
    assert 'value="documents" selected' in body
    assert not Request.objects.exists()


def test_a_request_sent_without_chinese_is_saved_with_a_warning(relationship, owner):
    client = client_for(owner)
    data = {"kind": "question", "text": "How many workers?", "due_on": DUE.isoformat()}
    page = client.post(form_url(relationship), data, follow=True).content.decode()
    assert Request.objects.get().text == "How many workers?"
    assert "You wrote no Chinese" in page
    data["text_zh"] = "有多少员工"
    page = client.post(form_url(relationship), data, follow=True).content.decode()
    assert "You wrote no Chinese" not in page


def test_the_api_stores_chinese_sent_under_the_old_field_as_chinese(buyer, relationship, owner):
    url = f"/api/organisations/{buyer.slug}/relationships/{relationship.pk}/requests"
    body = {"kind": "question", "text": "宿舍住了多少员工", "due_on": DUE.isoformat()}
    response = post(client_with_token(owner), url, body)
    assert response.status_code in (200, 201), response.content
    assert (response.json()["text"], response.json()["text_zh"]) == ("", "宿舍住了多少员工")


exit_migration = importlib.import_module(
    "stonebridge.engagement.migrations.0005_exit_plan_in_chinese"
)


def plan_exit(relationship, owner, **texts):
    return escalation.exit_plan_create(
        relationship=relationship,
        by=owner,
        decided_on=timezone.localdate(),
        notice_days=90,
        workers_affected=40,
        **texts,
    )


def test_the_supplier_reads_the_exit_letter_in_chinese_on_its_workspace(
    relationship, owner, supplier_user
):
    plan_exit(
        relationship,
        owner,
        reason="Workers' passports are kept.",
        reason_zh="员工的身份证件被扣留。",
        wind_down_zh="现有订单照常完成。",
    )
    supplier_user.language = "zh-hans"
    supplier_user.save()
    url = reverse("engagement:workspace_home", args=[relationship.supplier.slug])
    body = client_for(supplier_user).get(url).content.decode()
    assert body.index('<span lang="zh-Hans">员工的身份证件被扣留。</span>') < body.index(
        '<span lang="en" class="muted">Workers&#x27; passports are kept.</span>'
    )
    assert "现有订单照常完成。" in body


def test_the_exit_migration_moves_a_chinese_reason_to_the_chinese_field(relationship, owner):
    exit_plan = plan_exit(relationship, owner, reason="Stopped", wind_down="Orders end in June")
    type(exit_plan).objects.filter(pk=exit_plan.pk).update(reason="拒绝整改")
    exit_migration.to_chinese_field(apps, None)
    exit_plan.refresh_from_db()
    assert (exit_plan.reason, exit_plan.reason_zh) == ("", "拒绝整改")
    assert (exit_plan.wind_down, exit_plan.wind_down_zh) == ("Orders end in June", "")


def action_form_url(plan):
    return reverse("engagement:action_create", args=[plan.relationship.organisation.slug, plan.pk])


def test_a_ready_made_action_fills_its_title_and_details_in_both_languages(relationship, owner):
    plan = plans.plan_create(relationship=relationship, by=owner, title="Dust")
    response = client_for(owner).post(
        action_form_url(plan), {"ready_text": "dust", "fill": "1", "kind": "corrective"}
    )
    body = response.content.decode()
    assert 'value="Measure silica dust at the workplaces"' in body
    assert 'value="测量工作岗位的矽尘浓度"' in body
    assert "wet cutting and extraction" in body
    assert "湿法作业和除尘设备" in body
    assert not plan.actions.exists()


def test_an_action_saved_without_chinese_warns_the_buyer(relationship, owner):
    plan = plans.plan_create(relationship=relationship, by=owner, title="Dust")
    data = {
        "kind": "corrective",
        "title": "Fit extraction hoods",
        "issue": "OHS",
        "due_on": DUE.isoformat(),
    }
    page = client_for(owner).post(action_form_url(plan), data, follow=True).content.decode()
    assert plan.actions.get().title == "Fit extraction hoods"
    assert "You wrote no Chinese" in page
    data["title_zh"] = "安装吸尘罩"
    page = client_for(owner).post(action_form_url(plan), data, follow=True).content.decode()
    assert "You wrote no Chinese" not in page


def test_the_api_round_trips_an_actions_details_in_both_languages(buyer, relationship, owner):
    plan = plans.plan_create(relationship=relationship, by=owner, title="Dust")
    client = client_with_token(owner)
    body = {
        "title": "Wet cutting",
        "issue": "OHS",
        "due_on": DUE.isoformat(),
        "description": "Cut with water at every saw.",
        "description_zh": "每台锯机都用水切割。",
    }
    created = post(client, f"/api/organisations/{buyer.slug}/plans/{plan.pk}/actions", body)
    assert created.status_code == 201, created.content
    read = client.get(f"/api/organisations/{buyer.slug}/plans/{plan.pk}").json()["actions"][0]
    assert (read["description"], read["description_zh"]) == (
        "Cut with water at every saw.",
        "每台锯机都用水切割。",
    )


def test_the_api_stores_a_chinese_exit_reason_sent_under_the_old_field_as_chinese(
    buyer, relationship, owner
):
    url = f"/api/organisations/{buyer.slug}/relationships/{relationship.pk}/exit-plan"
    body = {
        "reason": "多次拒绝整改",
        "decided_on": timezone.localdate().isoformat(),
        "notice_days": 90,
        "workers_affected": 30,
        "wind_down": "Orders end in three months.",
    }
    response = post(client_with_token(owner), url, body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["reason"], created["reason_zh"]) == ("", "多次拒绝整改")
    assert created["wind_down"] == "Orders end in three months."

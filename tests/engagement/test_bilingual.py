"""What a buyer writes for a supplier, in English and Chinese: the migration that sorted existing
text by its script, the supplier's page, the ready-made texts, the warning and the API."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from stonebridge.engagement.models import Request
from stonebridge.engagement.services import disclosure, plans, relationships

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

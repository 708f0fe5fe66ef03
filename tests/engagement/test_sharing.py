"""What a supplier sees and when, what is held against it, and what the buyer is told: the
rules a review of the engagement record checks."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from stonebridge.accounts.models import Role
from stonebridge.engagement import queries, reminders
from stonebridge.engagement.models import Attachment
from stonebridge.engagement.services import disclosure, escalation, plans, relationships
from stonebridge.notifications.models import Notification
from stonebridge.supplychain.services import facility_create

from ..conftest import client_for, member

TODAY = timezone.localdate()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def asked(buyer, owner, chain, supplier_org, supplier_user):
    """Named as the supplier's account, not yet accepted."""
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["processor"], supplier=supplier_org
    )
    plan = plans.plan_create(relationship=relationship, by=owner, title="Hours")
    return relationship, plan


def flag(relationship, code):
    return next(f for f in queries.red_flags(relationship, TODAY) if f.code == code)


def test_a_supplier_sees_nothing_of_a_buyer_until_it_accepts(asked, supplier_org, supplier_user):
    relationship, plan = asked
    client = client_for(supplier_user)
    home = client.get(f"/o/{supplier_org.slug}/workspace/").content.decode()
    assert 'id="asking"' in home
    assert "/workspace/plans/" not in home
    assert client.get(f"/o/{supplier_org.slug}/workspace/plans/{plan.pk}/").status_code == 404
    # The manager was asked, in Chinese, and told of nothing else.
    kinds = list(Notification.objects.filter(user=supplier_user).values_list("kind", flat=True))
    assert kinds == ["sharing_asked"]
    client.post(f"/o/{supplier_org.slug}/workspace/{relationship.pk}/sharing/", {"accept": "1"})
    assert client.get(f"/o/{supplier_org.slug}/workspace/plans/{plan.pk}/").status_code == 200


def test_a_supplier_that_declines_is_no_longer_named_and_the_buyer_is_told(
    asked, supplier_user, owner
):
    relationship, _plan = asked
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=False)
    relationship.refresh_from_db()
    assert relationship.supplier is None
    assert Notification.objects.filter(user=owner, kind="sharing_answered").exists()


def test_the_buyer_cannot_list_the_people_of_an_account_that_has_not_accepted(
    asked, buyer, owner, supplier_user
):
    _relationship, plan = asked
    page = client_for(owner).get(f"/o/{buyer.slug}/engagement/plans/{plan.pk}/actions/new/")
    assert supplier_user.email not in page.content.decode()
    assert supplier_user.name not in page.content.decode()
    with pytest.raises(ValidationError):
        plans.action_create(
            plan=plan, by=owner, title="x", issue="OHS", due_on=TODAY, supplier_owner=supplier_user
        )


def test_requests_the_supplier_cannot_see_are_not_held_against_it(asked, owner):
    relationship, _plan = asked
    disclosure.request_create(
        relationship=relationship, by=owner, kind="question", text="?", due_on=TODAY
    )
    later = TODAY + timedelta(days=90)
    assert not next(
        f for f in queries.red_flags(relationship, later) if f.code == "refusal_to_engage"
    ).raised


@pytest.fixture
def shared(asked, supplier_user):
    relationship, plan = asked
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    relationship.refresh_from_db()
    return relationship, plan


def test_an_action_waiting_for_the_buyer_is_not_a_refusal_and_can_be_sent_back(
    shared, owner, supplier_user
):
    relationship, plan = shared
    action = plans.action_create(
        plan=plan, by=owner, title="Contracts", issue="CONTRACTS", due_on=TODAY
    )
    plans.update_post(
        action=action, by=supplier_user, by_supplier=True, text="做完了", status="reported_done"
    )
    later = TODAY + timedelta(days=90)
    engage = next(
        f for f in queries.red_flags(relationship, later) if f.code == "refusal_to_engage"
    )
    assert not engage.raised
    plans.update_post(
        action=action,
        by=owner,
        by_supplier=False,
        text="Two contracts missing.",
        status="in_progress",
    )
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_the_buyer_cannot_send_back_an_action_that_was_not_reported_done(shared, owner):
    _relationship, plan = shared
    action = plans.action_create(
        plan=plan, by=owner, title="Contracts", issue="CONTRACTS", due_on=TODAY
    )
    with pytest.raises(ValidationError):
        plans.update_post(
            action=action, by=owner, by_supplier=False, text="Hm.", status="in_progress"
        )


def test_a_red_flag_is_told_to_each_buyer_in_their_own_language(shared, buyer, owner):
    relationship, _plan = shared
    chinese = member(buyer, Role.EDITOR, language="zh-hans")
    disclosure.request_create(
        relationship=relationship,
        by=owner,
        kind="visit",
        text="A visit?",
        due_on=TODAY - timedelta(days=40),
    )
    reminders.refresh_flags()
    english = Notification.objects.get(user=owner, kind="red_flag").message
    zh = Notification.objects.get(user=chinese, kind="red_flag").message
    assert "Refuses transparency" in english
    assert "拒绝公开信息" in zh


def test_a_file_keeps_its_chinese_name_when_downloaded(shared, buyer, owner, supplier_user):
    _relationship, plan = shared
    action = plans.action_create(plan=plan, by=owner, title="Dust", issue="OHS", due_on=TODAY)
    update = plans.update_post(
        action=action,
        by=supplier_user,
        by_supplier=True,
        text="照片",
        files=[SimpleUploadedFile('整改 "照片".png', PNG)],
    )
    file = update.attachments.get()
    response = client_for(owner).get(f"/o/{buyer.slug}/engagement/files/{file.pk}/")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition
    assert "%E6%95%B4%E6%94%B9" in disposition  # 整改
    assert response.content == PNG


def _zip(**parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name.replace("__", "/"), text)
    return buffer.getvalue()


def test_a_workbook_is_kept_as_a_workbook_and_another_zip_is_refused(shared, owner, supplier_user):
    _relationship, plan = shared
    action = plans.action_create(
        plan=plan, by=owner, title="Pay", issue="HOURS_WAGES", due_on=TODAY
    )
    workbook = _zip(**{"[Content_Types].xml": "<Types/>", "xl__workbook.xml": "<workbook/>"})
    plans.update_post(
        action=action,
        by=supplier_user,
        by_supplier=True,
        text="工资表",
        files=[SimpleUploadedFile("工资表.zip", workbook)],
    )
    kept = Attachment.objects.get()
    assert kept.name == "工资表.xlsx"
    assert kept.content_type.endswith("spreadsheetml.sheet")
    with pytest.raises(ValidationError):
        plans.update_post(
            action=action,
            by=supplier_user,
            by_supplier=True,
            text="app",
            files=[SimpleUploadedFile("app.xlsx", _zip(**{"classes.dex": "x"}))],
        )
    assert Attachment.objects.count() == 1


def test_a_plan_cannot_be_for_a_site_outside_the_suppliers_chain(shared, buyer, owner):
    relationship, _plan = shared
    elsewhere = facility_create(organisation=buyer, by=owner, kind="quarry", name_zh="别处石场")
    with pytest.raises(ValidationError) as refused:
        plans.plan_create(relationship=relationship, by=owner, title="X", facility=elsewhere)
    assert "facility" in refused.value.message_dict


def test_the_exit_completes_only_after_the_notice_and_remediation_cannot_be_cancelled(
    shared, owner
):
    relationship, plan = shared
    remedy = plans.action_create(
        plan=plan, by=owner, kind="remediation", title="Back pay", issue="HOURS_WAGES", due_on=TODAY
    )
    exit_plan = escalation.exit_plan_create(
        relationship=relationship,
        by=owner,
        reason="No change in two years.",
        decided_on=TODAY,
        notice_days=90,
        workers_affected=30,
        wind_down="Orders halved, then stopped.",
    )
    with pytest.raises(ValidationError):
        escalation.exit_complete(exit_plan=exit_plan, by=owner)
    with pytest.raises(ValidationError):
        plans.action_cancel(action=remedy, by=owner, reason="We left.")
    remedy.refresh_from_db()
    assert remedy.is_open


def test_the_flagged_filter_keeps_each_suppliers_count_of_open_actions(shared, buyer, owner):
    relationship, plan = shared
    for title in ("A", "B", "C"):
        plans.action_create(plan=plan, by=owner, title=title, issue="OHS", due_on=TODAY)
    for kind in ("visit", "question"):
        disclosure.request_create(
            relationship=relationship,
            by=owner,
            kind=kind,
            text="?",
            due_on=TODAY - timedelta(days=40),
        )
    reminders.refresh_flags()
    # Two flags stand: they must not multiply the count.
    assert relationship.flags.filter(cleared_at__isnull=True).count() == 2
    page = client_for(owner).get(f"/o/{buyer.slug}/engagement/?flagged=1").content.decode()
    row = page[page.index("<tbody>") : page.index("</tbody>")]
    assert ">3</td>" in row

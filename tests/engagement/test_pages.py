"""The engagement pages as a buyer and a supplier use them."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from stonebridge.accounts.models import Organisation, Role
from stonebridge.audit.models import Entry
from stonebridge.defaults.models import Key
from stonebridge.engagement.models import Update
from stonebridge.engagement.services import disclosure, escalation, measures, plans, relationships
from stonebridge.supplychain.services import facility_create

from ..conftest import OrganisationFactory, client_for, member

TODAY = timezone.localdate()


@pytest.fixture
def relationship(buyer, owner, chain, supplier_org, supplier_user):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["processor"], supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)


@pytest.fixture
def plan(relationship, owner):
    return plans.plan_create(relationship=relationship, by=owner, programme="ohs_system")


def engage(buyer, owner, n):
    supplier = OrganisationFactory(kind=Organisation.Kind.SUPPLIER)
    manager = member(supplier, Role.OWNER)
    for i in range(n):
        facility = facility_create(organisation=buyer, by=owner, kind="workshop", name_zh=f"厂{i}")
        relationship = relationships.relationship_create(
            organisation=buyer, by=owner, facility=facility, supplier=supplier
        )
        relationships.sharing_answer(relationship=relationship, by=manager, accept=True)
        plan = plans.plan_create(relationship=relationship, by=owner, programme="ohs_system")
        disclosure.request_create(
            relationship=relationship, by=owner, kind="visit", text="?", due_on=TODAY
        )
        plans.action_create(
            plan=plan,
            by=owner,
            kind="remediation",
            title="Back pay",
            issue="HOURS_WAGES",
            due_on=TODAY - timedelta(days=1),
        )
    return supplier, manager


def test_the_dashboard_takes_the_same_queries_however_many_suppliers(
    buyer, owner, django_assert_max_num_queries
):
    engage(buyer, owner, 3)
    client = client_for(owner)
    url = f"/o/{buyer.slug}/engagement/"
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    engage(buyer, owner, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('href="/o/noordsteen/engagement/actions/') >= 15


def test_the_workspace_takes_the_same_queries_however_many_plans(
    buyer, owner, django_assert_max_num_queries
):
    supplier, manager = engage(buyer, owner, 2)
    client = client_for(manager)
    url = f"/o/{supplier.slug}/workspace/"
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(3):
        other_buyer = OrganisationFactory()
        other_owner = member(other_buyer)
        facility = facility_create(
            organisation=other_buyer, by=other_owner, kind="exporter", name_en="Exporter"
        )
        relationship = relationships.relationship_create(
            organisation=other_buyer, by=other_owner, facility=facility, supplier=supplier
        )
        relationships.sharing_answer(relationship=relationship, by=manager, accept=True)
        plans.plan_create(relationship=relationship, by=other_owner, programme="sub_supplier")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    # Every buyer's plans in one place.
    assert response.content.decode().count("/workspace/plans/") == 5


def test_a_plan_with_only_milestones_is_flagged_on_its_page(relationship, owner, buyer):
    plan = plans.plan_create(relationship=relationship, by=owner, title="Papers")
    action = plans.action_create(
        plan=plan, by=owner, title="Write a policy", issue="OHS", due_on=TODAY
    )
    measures.measure_add(action=action, by=owner, kind="milestone", title="Policy signed")
    page = client_for(owner).get(f"/o/{buyer.slug}/engagement/plans/{plan.pk}/")
    assert 'id="only-milestones"' in page.content.decode()
    measures.measure_add(action=action, by=owner, kind="outcome", indicator="weekly_hours")
    page = client_for(owner).get(f"/o/{buyer.slug}/engagement/plans/{plan.pk}/")
    assert 'id="only-milestones"' not in page.content.decode()


def test_the_supplier_sees_outcome_charts_drawn_with_the_page_without_a_chart_library(
    relationship, owner, supplier_org, supplier_user
):
    plan = plans.plan_create(relationship=relationship, by=owner, title="Hours")
    action = plans.action_create(
        plan=plan, by=owner, title="Hours within the caps", issue="HOURS_WAGES", due_on=TODAY
    )
    weekly = measures.measure_add(
        action=action, by=owner, kind="outcome", indicator="weekly_hours", baseline=66, target=60
    )
    for days_ago, value in ((60, 66), (30, 63)):
        measures.reading_record(
            measure=weekly,
            by=owner,
            by_supplier=False,
            measured_on=TODAY - timedelta(days=days_ago),
            value=value,
        )
    page = (
        client_for(supplier_user)
        .get(f"/o/{supplier_org.slug}/workspace/plans/{plan.pk}/")
        .content.decode()
    )
    chart = page[page.index('id="outcome-charts"') : page.index("</figure>")]
    assert "平均每周工作小时数" in chart
    assert chart.count("<circle") == 2
    assert "改进前 66" in chart
    assert "目标值 60" in chart
    assert "<script" not in page.split("</head>")[1]
    assert "echarts" not in page


def test_remediation_after_exit_stays_on_the_dashboard_until_done(relationship, owner, buyer):
    plan = plans.plan_create(relationship=relationship, by=owner, title="Remedy")
    remedy = plans.action_create(
        plan=plan,
        by=owner,
        kind="remediation",
        title="School fees for the child worker until 16",
        issue="YOUTH",
        due_on=TODAY + timedelta(days=300),
    )
    escalation.exit_plan_create(
        relationship=relationship,
        by=owner,
        reason="Prison labour in the quarry.",
        decided_on=TODAY - timedelta(days=90),
        notice_days=90,
        workers_affected=40,
        wind_down="Open orders delivered.",
    )
    client = client_for(owner)
    client.post(f"/o/{buyer.slug}/engagement/{relationship.pk}/exit/complete/")
    relationship.refresh_from_db()
    assert relationship.ended
    dashboard = client.get(f"/o/{buyer.slug}/engagement/").content.decode()
    assert "School fees for the child worker until 16" in dashboard
    plans.action_verify(action=remedy, by=owner, note="Receipts seen.")
    dashboard = client.get(f"/o/{buyer.slug}/engagement/").content.decode()
    assert "School fees for the child worker until 16" not in dashboard


def test_a_supplier_uploading_a_program_gets_an_error_and_nothing_is_kept(
    plan, supplier_org, supplier_user
):
    action = plan.actions.first()
    before = Entry.objects.count()
    response = client_for(supplier_user).post(
        f"/o/{supplier_org.slug}/workspace/actions/{action.pk}/report/",
        {
            "text": "见附件",
            "status": "reported_done",
            "files": SimpleUploadedFile("report.pdf", b"MZ\x90\x00not a pdf"),
        },
    )
    assert response.status_code == 200
    assert "不是PDF、JPEG、PNG或Office文件" in response.content.decode()
    # What was typed is still there.
    assert "见附件" in response.content.decode()
    assert not Update.objects.exists()
    assert Entry.objects.count() == before
    action.refresh_from_db()
    assert action.status == "open"


def test_another_supplier_cannot_open_a_plan_shared_with_someone_else(plan):
    stranger = member(OrganisationFactory(slug="elsewhere", kind=Organisation.Kind.SUPPLIER))
    response = client_for(stranger).get(f"/o/elsewhere/workspace/plans/{plan.pk}/")
    assert response.status_code == 404


def test_a_supplier_tells_its_buyer_of_a_problem_without_raising_a_flag(
    relationship, supplier_org, supplier_user, owner, buyer
):
    response = client_for(supplier_user).post(
        f"/o/{supplier_org.slug}/workspace/{relationship.pk}/disclose/",
        {
            "issue": "FORCED_LABOUR",
            "indicator": "FL_STATE_PRISON",
            "summary": "荒料可能来自监狱劳动。",
            "observed_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    page = client_for(owner).get(f"/o/{buyer.slug}/engagement/{relationship.pk}/")
    body = page.content.decode()
    assert 'class="flag raised"' not in body
    disclosed = body[body.index('id="disclosed"') :]
    assert "荒料可能来自监狱劳动" in disclosed


def test_the_purchasing_page_shows_practices_beside_the_suppliers_risks(relationship, owner, buyer):
    client = client_for(owner)
    response = client.post(
        f"/o/{buyer.slug}/engagement/{relationship.pk}/purchasing/",
        {
            "reference": "PO-7",
            "placed_on": (TODAY - timedelta(days=40)).isoformat(),
            "delivery_due_on": (TODAY - timedelta(days=10)).isoformat(),
            "changes": 0,
            "payment_days": 90,
            "quantity": "500",
            "unit": "m²",
            "unit_price": "9.00",
            "labour_cost_per_unit": "11.20",
            "currency": "EUR",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "PO-7" in body
    for practice in ("Short lead time", "Price below the stated labour cost", "Long payment terms"):
        assert practice in body
    assert 'id="supplier-risks"' in body
    assert "Working hours and wages" in body


def test_the_purchasing_page_states_the_thresholds_staff_set(
    relationship, owner, buyer, set_default
):
    set_default(Key.SHORT_LEAD_DAYS, 60)
    set_default(Key.BELOW_COST_PERCENT, 110)
    body = (
        client_for(owner)
        .get(f"/o/{buyer.slug}/engagement/{relationship.pk}/purchasing/")
        .content.decode()
    )
    assert "lead time under 60 days" in body
    assert "a price below 110 % of the labour cost" in body


def test_an_order_delivered_before_it_was_placed_is_refused_with_the_field_named(
    relationship, owner, buyer
):
    response = client_for(owner).post(
        f"/o/{buyer.slug}/engagement/{relationship.pk}/purchasing/",
        {
            "reference": "PO-8",
            "placed_on": TODAY.isoformat(),
            "delivery_due_on": (TODAY - timedelta(days=3)).isoformat(),
            "changes": 0,
            "payment_days": 30,
            "quantity": "1",
            "unit": "t",
            "unit_price": "1",
            "currency": "EUR",
        },
    )
    assert response.status_code == 200
    assert "Delivery cannot be due before the order is placed." in response.content.decode()


def test_an_overdue_action_says_so_in_words_not_only_in_red(
    plan, owner, supplier_org, supplier_user
):
    action = plans.action_create(
        plan=plan, by=owner, title="Back pay", issue="HOURS_WAGES", due_on=TODAY - timedelta(days=1)
    )
    workspace = f"/o/{supplier_org.slug}/workspace/"
    for url in (workspace, f"{workspace}plans/{plan.pk}/", f"{workspace}actions/{action.pk}/"):
        assert "已逾期" in client_for(supplier_user).get(url).content.decode(), url
    page = client_for(owner).get(
        f"/o/{plan.relationship.organisation.slug}/engagement/plans/{plan.pk}/"
    )
    assert "overdue" in page.content.decode()


def test_after_collective_action_the_page_suggests_the_next_rung(relationship, owner, buyer):
    disclosure.request_create(
        relationship=relationship,
        by=owner,
        kind="question",
        text="How many workers live in the dormitory?",
        due_on=TODAY - timedelta(days=45),
    )
    escalation.escalation_take(
        relationship=relationship, by=owner, step="collective_action", taken_on=TODAY
    )
    page = client_for(owner).get(f"/o/{buyer.slug}/engagement/{relationship.pk}/")
    body = page.content.decode()
    assert "Next step to consider: </strong>Suspend new orders" in body
    assert "a lack of improvement cannot count as a red flag" in body
    assert "Your map shows 1 undisclosed sub-contracting step, but" in body


def test_weekly_hours_above_the_legal_limit_are_marked_though_they_improved(
    relationship, owner, buyer
):
    """A confirmed 55-hour week improves on 66 hours but still breaks the cap of 40 hours plus
    36 hours of overtime a month (48.3 hours a week on average)."""
    plan = plans.plan_create(relationship=relationship, by=owner, title="Hours")
    action = plans.action_create(
        plan=plan, by=owner, title="Hours within the caps", issue="HOURS_WAGES", due_on=TODAY
    )
    weekly = measures.measure_add(
        action=action, by=owner, kind="outcome", indicator="weekly_hours", baseline=66, target=48
    )
    measures.reading_record(
        measure=weekly, by=owner, by_supplier=False, measured_on=TODAY, value=55
    )
    page = client_for(owner).get(f"/o/{buyer.slug}/engagement/plans/{plan.pk}/").content.decode()
    chart = page[page.index('id="outcome-charts"') :]
    assert "1 / 1" in page  # it did improve on the baseline
    assert "Above the legal limit" in chart
    assert "legal limit 48.3" in chart
    assert 'class="confirmed above-limit"' in chart


def test_a_long_thread_opens_on_its_newest_reports_with_the_older_a_link_away(
    plan, owner, supplier_org, supplier_user
):
    """An action reported on every week for years stays a small page on a supplier's phone."""
    action = plan.actions.first()
    for week in range(1, 26):
        plans.update_post(action=action, by=supplier_user, by_supplier=True, text=f"第{week}周进展")
    url = f"/o/{supplier_org.slug}/workspace/actions/{action.pk}/"
    supplier = client_for(supplier_user)
    newest = supplier.get(url).content.decode()
    assert "第25周进展" in newest
    assert "第6周进展" in newest
    assert "第5周进展" not in newest
    assert newest.index("第6周进展") < newest.index("第25周进展")  # in time order
    assert '?thread=2#thread">较早的报告和留言' in newest
    older = supplier.get(url + "?thread=2").content.decode()
    assert "第1周进展" in older
    assert "第5周进展" in older
    assert "第6周进展" not in older
    assert '?thread=1#thread">较新的报告和留言' in older
    assert supplier.get(url + "?thread=3").status_code == 404
    buyer_page = client_for(owner).get(
        f"/o/{plan.relationship.organisation.slug}/engagement/actions/{action.pk}/"
    )
    assert "第25周进展" in buyer_page.content.decode()
    assert "第5周进展" not in buyer_page.content.decode()

"""Demo engagement for the first buyer: a code of conduct acknowledged by its exporter, a plan
with the Nan'an sawing plant whose hours and insurance are improving with the buyer's support,
an OHS programme at the Hui'an carving works where a visit was refused, purchasing practices,
and an ended relationship whose remediation for a dismissed worker is still open.

The relationships, the code and the Nan'an plan begin early in the covenant's last completed
reporting year (`timeline`), so that its report has what was sent, said and measured then."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from stonebridge.accounts.models import Organisation, User
from stonebridge.demo.timeline import backdate, into_last_year
from stonebridge.engagement import reminders
from stonebridge.engagement.models import Action, Code, Relationship
from stonebridge.engagement.services import (
    disclosure,
    escalation,
    measures,
    plans,
    relationships,
    support,
)
from stonebridge.risk.models import Evidence
from stonebridge.supplychain.models import Facility

DATA = Path(__file__).parent / "data"


def _manager(slug: str) -> User:
    return Organisation.objects.get(slug=slug).memberships.owners().get().user


def _shared(buyer: Organisation, by: User, facility: Facility, slug: str) -> Relationship:
    """Engaged and shared with the supplier's account, which accepted, in the first days of the
    last reporting year."""
    relationship = relationships.relationship_create(
        organisation=buyer, by=by, facility=facility, supplier=Organisation.objects.get(slug=slug)
    )
    relationship = relationships.sharing_answer(
        relationship=relationship, by=_manager(slug), accept=True
    )
    today = timezone.localdate()
    backdate(
        relationship,
        created_at=into_last_year(today, 7),
        supplier_accepted_at=into_last_year(today, 9),
    )
    return relationship


def build(buyer: Organisation) -> None:
    by = buyer.memberships.owners().select_related("user").get().user
    today = timezone.localdate()
    facilities = {f.name_en: f for f in Facility.objects.all()}
    code = relationships.code_publish(
        organisation=buyer,
        by=by,
        title="Noordsteen supplier code of conduct",
        text_en=(DATA / "code_of_conduct.en.txt").read_text(encoding="utf-8"),
        text_zh=(DATA / "code_of_conduct.zh.txt").read_text(encoding="utf-8"),
    )
    backdate(code, created_at=into_last_year(today, 14))
    _exporter(buyer, by, facilities["Xiamen Haichen Stone Co., Ltd."], code, today)
    _sawing_plant(buyer, by, facilities["Nan'an Shuitou Xinyuan Stone Factory"], code, today)
    _carving_works(buyer, by, facilities["Hui'an Chongwu Yongxing Carving Works"], today)
    _ended(buyer, by, facilities["Nan'an Shuitou Hongda Stone Processing"], today)
    # What the first daily pass finds: reminders due and the red flags standing.
    reminders.remind()
    reminders.refresh_flags()


def _exporter(buyer: Organisation, by: User, facility: Facility, code: Code, today: date) -> None:
    relationship = _shared(buyer, by, facility, "haichen-stone")
    commitment = relationships.code_send(relationship=relationship, by=by, code=code)
    commitment = relationships.code_acknowledge(commitment=commitment, by=_manager("haichen-stone"))
    backdate(
        commitment,
        sent_at=into_last_year(today, 21),
        acknowledged_at=into_last_year(today, 30),
    )
    plans.plan_create(
        relationship=relationship,
        by=by,
        programme="responsible_recruitment",
        starts_on=today - timedelta(days=20),
    )
    disclosure.request_create(
        relationship=relationship,
        by=by,
        kind="subcontractors",
        text="Please list the labour agent you use for packing in peak weeks, with its licence.",
        due_on=today + timedelta(days=14),
    )


def _sawing_plant(
    buyer: Organisation, by: User, facility: Facility, code: Code, today: date
) -> None:
    relationship = _shared(buyer, by, facility, "shuitou-xinyuan")
    manager = _manager("shuitou-xinyuan")
    commitment = relationships.code_send(relationship=relationship, by=by, code=code)
    backdate(commitment, sent_at=into_last_year(today, 21))
    start = into_last_year(today, 45)
    plan = plans.plan_create(
        relationship=relationship,
        by=by,
        title="Working hours and work-injury insurance",
        title_zh="工作时间和工伤保险",
        starts_on=start,
    )
    findings = Evidence.objects.filter(organisation=buyer, facility=facility, kind="finding")
    hours = plans.action_create(
        plan=plan,
        by=by,
        title="Plan production so that weekly hours stay within the legal caps",
        title_zh="合理安排生产，使每周工时不超过法定上限",
        issue="HOURS_WAGES",
        finding=findings.filter(indicator__code="HW_OVERTIME_CAP").first(),
        due_on=today + timedelta(days=60),
        buyer_owner=by,
        supplier_owner=manager,
    )
    insurance = plans.action_create(
        plan=plan,
        by=by,
        title="Enrol every worker in work-injury insurance",
        title_zh="为每个工人办理工伤保险",
        issue="SOCIAL_SECURITY",
        finding=findings.filter(indicator__code="SS_NO_INJURY_INSURANCE").first(),
        due_on=today - timedelta(days=10),
        supplier_owner=manager,
    )
    weekly = measures.measure_add(
        action=hours,
        by=by,
        kind="outcome",
        indicator="weekly_hours",
        baseline=Decimal(68),
        target=Decimal(49),
    )
    insured = measures.measure_add(
        action=insurance,
        by=by,
        kind="outcome",
        indicator="injury_insurance_share",
        baseline=Decimal(38),
        target=Decimal(100),
    )
    measures.measure_add(
        action=hours,
        by=by,
        kind="milestone",
        title="Time recording for every worker",
        title_zh="每个工人都有考勤记录",
        due_on=start + timedelta(days=60),
    )
    for made in (plan, hours, insurance):
        backdate(made, created_at=start)
    _last_year_exchanges(relationship, by, manager, hours, insurance, start)
    for days_in, hours_value, insured_value in ((100, 64, 52), (200, 58, 71)):
        on = start + timedelta(days=days_in)
        measures.reading_record(
            measure=weekly,
            by=by,
            by_supplier=False,
            measured_on=on,
            value=Decimal(hours_value),
            note="Time records, sample of 30 workers",
        )
        measures.reading_record(
            measure=insured,
            by=by,
            by_supplier=False,
            measured_on=on,
            value=Decimal(insured_value),
            note="Payroll and insurance receipts",
        )
    measures.reading_record(
        measure=weekly,
        by=manager,
        by_supplier=True,
        measured_on=today - timedelta(days=5),
        value=Decimal(55),
        note="考勤记录",
    )
    plans.update_post(
        action=hours,
        by=manager,
        by_supplier=True,
        text="新增一台切机，周六轮休已经实行。",
        status="in_progress",
    )
    plans.due_date_propose(
        action=insurance,
        by=manager,
        proposed_due_on=today + timedelta(days=30),
        reason="社保局办理需要时间，外地工人需要补材料。",
    )
    support.support_record(
        relationship=relationship,
        by=by,
        kind="expert_visit",
        description="Two-day visit by a production planning expert",
        given_on=start + timedelta(days=30),
        amount=Decimal(3000),
        currency="EUR",
        actions=[hours],
    )
    support.support_record(
        relationship=relationship,
        by=by,
        kind="order_forecast",
        description="Six-month order forecast shared every quarter",
        given_on=start + timedelta(days=45),
        actions=[hours],
    )
    for reference, placed, lead, changed, price, labour in (
        ("NS-2026-014", 240, 75, None, "38.50", "11.20"),
        ("NS-2026-031", 150, 30, 20, "36.00", "11.20"),
        ("NS-2026-047", 60, 60, None, "10.80", "11.20"),
    ):
        placed_on = today - timedelta(days=placed)
        due = placed_on + timedelta(days=lead)
        support.order_record(
            relationship=relationship,
            by=by,
            reference=reference,
            placed_on=placed_on,
            delivery_due_on=due,
            last_changed_on=due - timedelta(days=changed) if changed else None,
            changes=1 if changed else 0,
            payment_days=60,
            quantity=Decimal(1200),
            unit="m²",
            unit_price=Decimal(price),
            labour_cost_per_unit=Decimal(labour),
            currency="EUR",
        )


def _last_year_exchanges(
    relationship: Relationship,
    by: User,
    manager: User,
    hours: Action,
    insurance: Action,
    start: date,
) -> None:
    """What the buyer and the Nan'an plant said to each other in the plan's first months: the
    expert's advice passed on, the time records asked for and sent, insurance under way."""
    advice = plans.update_post(
        action=hours,
        by=by,
        by_supplier=False,
        text="The planning expert's notes are attached to the support record. Could you try the "
        "second shift on the gang saw from next month and tell us how it goes?",
    )
    backdate(advice, created_at=start + timedelta(days=35))
    records = disclosure.request_create(
        relationship=relationship,
        by=by,
        kind="documents",
        text="Please send the time records and payroll of the last three months for the cutting "
        "workshop, so that we can read the weekly hours before and after.",
        due_on=start + timedelta(days=70),
    )
    records = disclosure.request_answer(
        request=records,
        by=manager,
        answer="已上传切割车间最近三个月的考勤记录和工资表，共31人。",
    )
    backdate(
        records,
        created_at=start + timedelta(days=55),
        answered_at=start + timedelta(days=66),
    )
    enrolled = plans.update_post(
        action=insurance,
        by=manager,
        by_supplier=True,
        text="第一批20名工人的工伤保险已经办好，外地工人的材料还在补。",
        status="in_progress",
    )
    backdate(enrolled, created_at=start + timedelta(days=120))


def _carving_works(buyer: Organisation, by: User, facility: Facility, today: date) -> None:
    relationship = _shared(buyer, by, facility, "chongwu-yongxing")
    plan = plans.plan_create(
        relationship=relationship,
        by=by,
        programme="ohs_system",
        starts_on=today - timedelta(days=40),
    )
    plans.action_create(
        plan=plan,
        by=by,
        kind="remediation",
        title="Move the two 16-year-old workers to non-hazardous work, with a health check "
        "and no loss of pay",
        title_zh="把两名16岁的工人调到无害岗位，安排体检，工资不减",
        issue="YOUTH",
        due_on=today + timedelta(days=14),
    )
    visit = disclosure.request_create(
        relationship=relationship,
        by=by,
        kind="visit",
        text="We would like to visit the carving workshop with a local partner.",
        due_on=today - timedelta(days=45),
    )
    visit = disclosure.request_answer(
        request=visit,
        by=_manager("chongwu-yongxing"),
        reason="车间在改造，暂时不方便参观。",
        refuse=True,
    )
    # Asked a month before the answer was due; refused the day before.
    backdate(
        visit,
        created_at=today - timedelta(days=75),
        answered_at=today - timedelta(days=46),
    )


def _ended(buyer: Organisation, by: User, facility: Facility, today: date) -> None:
    relationship = relationships.relationship_create(organisation=buyer, by=by, facility=facility)
    backdate(relationship, created_at=into_last_year(today, 7))
    plan = plans.plan_create(
        relationship=relationship,
        by=by,
        title="Remedy for the dismissed worker",
        starts_on=today - timedelta(days=90),
    )
    plans.action_create(
        plan=plan,
        by=by,
        kind="remediation",
        title="Reinstate or compensate the worker dismissed after asking for overtime pay, "
        "and pay the overtime owed",
        issue="VOICE",
        due_on=today + timedelta(days=30),
    )
    exit_plan = escalation.exit_plan_create(
        relationship=relationship,
        by=by,
        reason="Requests to discuss the dismissal were ignored for four months; the plant no "
        "longer supplies our exporter.",
        red_flags=["refusal_to_engage"],
        decided_on=today - timedelta(days=60),
        notice_days=60,
        workers_affected=28,
        workers_note="Orders moved gradually; the plant has other buyers.",
        wind_down="No new orders; open orders delivered.",
    )
    escalation.exit_complete(exit_plan=exit_plan, by=by)

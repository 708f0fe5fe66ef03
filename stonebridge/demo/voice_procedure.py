"""The demo's factory grievance procedure and a remedy: the supplier that runs the Shuitou
sawing plant keeps a grievance committee of named members, has held two dialogue meetings with
its workers, and the buyer pays back overtime owed to its workers, milestone by milestone: a
remedy opened late in the covenant's last completed reporting year (`timeline`) and still being
paid. `build` is called once the buyer's relationship with that supplier exists
(`demo/engagement.py`).
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from stonebridge.accounts.models import Organisation, User
from stonebridge.demo.timeline import backdate, into_last_year, months_zh
from stonebridge.engagement.models import Relationship
from stonebridge.supplychain.models import Facility
from stonebridge.voice.models import Procedure, Remedy
from stonebridge.voice.services import procedures, remedies

COMMITTEE = [
    # name, role, how chosen, months on the committee
    ("林秀英", "worker", "elected", 20),
    ("陈建华", "worker", "elected", 20),
    ("黄志强", "worker", "elected", 8),
    ("吴美玲", "management", "appointed", 20),
    ("郑国栋", "management", "appointed", 14),
]

MEETINGS: list[dict[str, Any]] = [
    {
        "days_ago": 150,
        "workers_present": 23,
        "topics": "一、夏季高温作业和休息时间；二、切割车间的口罩不够用；三、加班费怎么算。",
        "minutes": (
            "会议由工会主席林秀英主持，厂方吴美玲、郑国栋参加，员工代表23人。\n"
            "1. 员工反映切割车间下午温度超过35度，希望增加休息。厂方同意7月至9月每天下午"
            "加一次20分钟休息，并供应凉茶。\n"
            "2. 员工反映防尘口罩每周只发一个，不够用。厂方同意改为每天发放，由班长登记。\n"
            "3. 员工问加班费的计算方法。厂方解释了平时、休息日、法定节假日的加班工资标准，"
            "并答应在工资条上分开写清楚。"
        ),
        "follow_up": (
            "8月1日前：工资条分列加班时数和加班工资（负责人：郑国栋）。"
            "每天发放口罩（负责人：各班长）。"
        ),
    },
    {
        "days_ago": 40,
        "workers_present": 19,
        "topics": "一、上次会议商定事项的落实；二、宿舍热水；三、申诉委员会补选一名员工代表。",
        "minutes": (
            "会议由陈建华主持，厂方吴美玲参加，员工代表19人。\n"
            "1. 工资条已分列加班时数和加班工资，员工确认已经看到。口罩每天发放，已落实。\n"
            "2. 员工反映二号宿舍楼晚上没有热水。厂方答应两周内修好热水器。\n"
            "3. 员工投票补选黄志强为申诉委员会员工代表，19票中15票同意。"
        ),
        "follow_up": "两周内修好二号宿舍楼热水器（负责人：吴美玲），下次会议报告结果。",
    },
]


def _owner(organisation: Organisation) -> User:
    return organisation.memberships.owners().get().user


def build(buyer: Organisation, supplier: Organisation) -> Procedure:
    """The supplier's procedure, committee and meetings, and the buyer's back-pay remedy at the
    site they work on together. Run again, it leaves what is there."""
    existing = Procedure.objects.filter(organisation=supplier).first()
    if existing is not None:
        return existing
    manager, buyer_owner = _owner(supplier), _owner(buyer)
    today = timezone.localdate()
    procedure = procedures.procedure_save(
        organisation=supplier,
        by=manager,
        acknowledge_days=3,
        respond_days=15,
        description=(
            "有问题可以告诉申诉委员会。委员会里有员工自己选出的代表。"
            "3天内告诉您我们收到了，15天内给您答复。说出问题不会被处罚。"
        ),
        contact="员工代表林秀英（切割车间）、陈建华（磨光车间）；工会办公室在宿舍一楼。",
    )
    for name, role, chosen, months in COMMITTEE:
        procedures.committee_member_add(
            organisation=supplier,
            by=manager,
            name=name,
            role=role,
            chosen=chosen,
            since=today - timedelta(days=30 * months),
        )
    relationship = Relationship.objects.filter(organisation=buyer, supplier=supplier).first()
    site = relationship.facility if relationship else None
    for meeting in MEETINGS:
        procedures.meeting_record(
            organisation=supplier,
            by=manager,
            held_on=today - timedelta(days=meeting["days_ago"]),
            facility=site,
            workers_present=meeting["workers_present"],
            topics=meeting["topics"],
            minutes=meeting["minutes"],
            follow_up=meeting["follow_up"],
        )
    if site is not None and not Remedy.objects.filter(organisation=buyer, facility=site).exists():
        _back_pay(buyer, buyer_owner, site, today)
    return procedure


def _back_pay(buyer: Organisation, by: User, site: Facility, today: date) -> None:
    # Opened a month after the workers' grievance about rest-day overtime (`voice_cases`), for
    # the months before it.
    opened = into_last_year(today, 300)
    months = months_zh(opened - timedelta(days=120), opened - timedelta(days=60))
    remedy = remedies.remedy_open(
        organisation=buyer,
        by=by,
        facility=site,
        kind="back_pay",
        description=(
            f"{months}，切割车间37名员工的休息日加班按平时加班计算，少付了加班工资。"
            "按休息日200%的标准补发差额，并在工资条上写明。"
        ),
        workers_covered=37,
        paid_by="supplier",
        amount=Decimal("86400.00"),
        currency="CNY",
    )
    backdate(remedy, opened_at=opened)
    checked = remedies.milestone_add(
        remedy=remedy,
        by=by,
        title="核对考勤记录和工资表，算出每人应补金额",
        due_on=opened + timedelta(days=30),
    )
    checked = remedies.milestone_done(
        milestone=checked, by=by, note="37人，合计86,400元，员工代表已核对。"
    )
    backdate(checked, done_at=opened + timedelta(days=28))
    remedies.milestone_add(
        remedy=remedy,
        by=by,
        title="补发差额到员工工资卡（离职员工也要联系到）",
        due_on=today + timedelta(days=10),
    )
    remedies.milestone_add(
        remedy=remedy,
        by=by,
        title="第三方抽查银行流水，单独访谈员工",
        due_on=today + timedelta(days=40),
    )

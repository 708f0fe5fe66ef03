"""The demo's grievances at the Shuitou sawing plant, in Chinese as workers write them: open and
closed, routed to the buyers, the covenant and the factory's own committee, handled through the
same services as the case pages. `build` takes the channel of `demo.voice.demo_channel`.
Most arrived in the last weeks; the one about rest-day overtime arrived late in the covenant's
last completed reporting year (`timeline`) and led to the back pay of `voice_procedure`."""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from stonebridge.accounts.models import Organisation, User
from stonebridge.demo.timeline import into_last_year, moment
from stonebridge.voice.models import Case, Channel, Route, Topic
from stonebridge.voice.services import handling
from stonebridge.voice.services.intake import case_submit, routes_open
from stonebridge.voice.services.worker import worker_feedback

# A few bytes that look like a phone's AMR recording: the handler writes it down, then it is gone.
VOICE = b"#!AMR\n" + bytes(200)


def _owner(organisation: Organisation) -> User:
    return organisation.memberships.owners().select_related("user").first().user  # type: ignore[union-attr]


def _aged(case: Case, days: int) -> Case:
    """The case as if it had arrived `days` ago, with its deadlines moved along."""
    shift = timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(
        received_at=case.received_at - shift,
        acknowledge_by=case.acknowledge_by - shift,
        respond_by=case.respond_by - shift,
    )
    case.refresh_from_db()
    return case


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def _handled_then(case: Case, received: date, answered: date) -> Case:
    """A case handled in the past: received on `received` with its deadlines counted from then,
    answered and closed on `answered`. The worker's first message is dated with its arrival."""
    case = _fresh(case)
    shift = timezone.localdate(case.received_at) - received
    arrived, done = moment(received, 9), moment(answered, 15)
    fields: dict[str, object] = {
        "received_at": arrived,
        "acknowledge_by": case.acknowledge_by - shift,
        "respond_by": case.respond_by - shift,
    }
    for name in ("consent_sensitive_at", "consent_abroad_at"):
        if getattr(case, name) is not None:
            fields[name] = arrived
    for name in ("acknowledged_at", "resolved_at", "closed_at"):
        if getattr(case, name) is not None:
            fields[name] = done
    Case.objects.filter(pk=case.pk).update(**fields)
    case.routings.update(created_at=arrived)
    first = case.messages.order_by("pk").first()
    case.messages.update(created_at=done)
    if first is not None and first.sender == "worker":
        case.messages.filter(pk=first.pk).update(created_at=arrived)
    return _fresh(case)


def build(buyer: Organisation, supplier: Organisation, channel: Channel) -> list[Case]:
    handler, manager = _owner(buyer), _owner(supplier)
    routes = routes_open(channel)
    made: list[Case] = []

    def submit(days: int, **fields: object) -> Case:
        case, _secret = case_submit(channel=channel, consent_abroad=True, **fields)  # type: ignore[arg-type]
        made.append(_aged(case, days))
        return made[-1]

    # Dust at the saws, danger now: triaged first, the factory asked to act.
    dust = submit(
        3,
        topic=Topic.SAFETY,
        description="切石头的车间灰很大，口罩两个星期才发一个。好几个师傅一直咳嗽。",
        route=Route.BUYERS,
        consent_sensitive=True,
    )
    handling.case_triage(
        case=dust,
        organisation=buyer,
        by=handler,
        issue="OHS",
        severity="critical",
        urgency="imminent",
    )
    handling.case_message(
        case=dust,
        organisation=buyer,
        by=handler,
        text="谢谢您告诉我们。请告诉我们是哪个车间。晚班也是这样吗？",  # noqa: RUF001
        question=True,
    )
    handling.case_note(
        case=dust,
        organisation=buyer,
        by=handler,
        text=_("Ask for the dust readings of March; plan an unannounced visit."),
    )

    # Wage deductions, answered and closed: the worker was satisfied.
    pay = submit(
        45,
        topic=Topic.PAY,
        description="上个月工资被扣了三百块，说是迟到，可是我没有迟到。",
        route=Route.BUYERS,
    )
    handling.case_triage(
        case=pay,
        organisation=buyer,
        by=handler,
        issue="HOURS_WAGES",
        severity="medium",
        urgency="normal",
    )
    handling.case_resolve(
        case=pay,
        organisation=buyer,
        by=handler,
        outcome="工厂查了考勤记录，扣钱是错的。三百块已经在这个月工资里补给您了。",
    )
    # The worker's own view closes the case, as on the worker's page.
    worker_feedback(case=_fresh(pay), satisfied=True, view="钱收到了，谢谢。")

    # A young worker, told by voice: written down, the recording deleted.
    young_route = Route.COVENANT if Route.COVENANT in routes else Route.BUYERS
    young = submit(
        10,
        topic=Topic.YOUNG,
        description="",
        route=young_route,
        consent_sensitive=True,
        voice=VOICE,
        voice_type="audio/amr",
    )
    reader = young.routings.select_related("organisation").first().organisation  # type: ignore[union-attr]
    young_handler = _owner(reader)
    handling.voice_transcribe(
        case=young,
        organisation=reader,
        by=young_handler,
        text="打磨车间有两个学生，看起来不到十六岁，晚上也在上班。",
    )
    handling.case_triage(
        case=young,
        organisation=reader,
        by=young_handler,
        issue="YOUTH",
        severity="high",
        urgency="child",
    )

    if Route.COMMITTEE in routes:
        # Overtime, to the factory's own committee, acknowledged and being handled.
        hours = submit(
            8,
            topic=Topic.HOURS,
            description="这个月每天都加班到晚上十点，周日也要上班。",
            route=Route.COMMITTEE,
        )
        handling.case_acknowledge(case=hours, organisation=supplier, by=manager)
        handling.case_message(
            case=hours,
            organisation=supplier,
            by=manager,
            text="收到了。我们下周一开会讨论排班，会告诉您结果。",
        )
        # Dormitory water, closed, then reopened: the worker was not satisfied.
        dorm = submit(
            60,
            topic=Topic.OTHER,
            description="宿舍三楼没有热水，已经一个月了。",
            route=Route.COMMITTEE,
        )
        handling.case_acknowledge(case=dorm, organisation=supplier, by=manager)
        handling.case_resolve(
            case=dorm, organisation=supplier, by=manager, outcome="热水器已经修好了。"
        )
        worker_feedback(case=_fresh(dorm), satisfied=False, view="只好了两天，又没有热水了。")
        handling.case_reopen(
            case=dorm, organisation=supplier, by=manager, reason="热水器又坏了，员工不满意。"
        )

    # Rest-day overtime paid at the weekday rate, late in the last reporting year: checked
    # against the time records and answered; the back pay follows (`voice_procedure`).
    today = timezone.localdate()
    received = into_last_year(today, 270)
    rest_days = submit(
        0,
        topic=Topic.PAY,
        description="我们星期天上班，加班费还是按平时算的，不是两倍。这几个月都是这样。",
        route=Route.BUYERS,
    )
    handling.case_triage(
        case=rest_days,
        organisation=buyer,
        by=handler,
        issue="HOURS_WAGES",
        severity="medium",
        urgency="normal",
    )
    handling.case_resolve(
        case=rest_days,
        organisation=buyer,
        by=handler,
        outcome="我们核对了考勤记录和工资表，休息日加班确实少算了。工厂会按两倍补发差额，"
        "每个人的金额会写在工资条上。",
    )
    worker_feedback(case=_fresh(rest_days), satisfied=True, view="知道了，谢谢，等补发。")
    made[-1] = _handled_then(rest_days, received, received + timedelta(days=12))

    # Just arrived: nobody has read it yet.
    submit(
        1,
        topic=Topic.INSURANCE,
        description="进厂一年了，工厂还没有给我们交社保。",
        route=Route.BUYERS,
    )
    return made

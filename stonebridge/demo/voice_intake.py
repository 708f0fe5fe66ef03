"""What workers of the demo's sawing plant sent through its grievance channel: a few cases in
their own words, over the last weeks, to different readers; one answered by the factory's
committee and closed by the worker's view, one with a question the worker answered."""

from datetime import timedelta

from django.utils import timezone

from stonebridge.accounts.models import Organisation
from stonebridge.voice.models import Case, CaseState, Message, Route, Sender, Topic
from stonebridge.voice.services.intake import case_submit
from stonebridge.voice.services.worker import worker_feedback, worker_reply

from .voice import demo_channel

# (days ago, what the worker filed)
CASES: list[tuple[int, dict[str, object]]] = [
    (
        40,
        {
            "topic": Topic.SAFETY,
            "description": "切割车间粉尘很大，口罩一个星期才发一次。好几个人一直咳嗽。",
            "route": Route.COMMITTEE,
            "consent_sensitive": True,
        },
    ),
    (
        18,
        {
            "topic": Topic.HOURS,
            "description": "这个月每天干到晚上十点，星期天也要上班。加班费没有按规定算。",
            "route": Route.BUYERS,
            "consent_abroad": True,
        },
    ),
    (
        9,
        {
            "topic": Topic.PAY,
            "description": "押金五百元，说干满一年才退。辞职的老乡到现在也没拿回来。",
            "route": Route.BUYERS,
            "share_with_factory": True,
            "consent_abroad": True,
            "anonymous": False,
            "contact_name": "老陈",
            "contact_phone": "13905950000",
        },
    ),
    (
        3,
        {
            "topic": Topic.YOUNG,
            "description": "磨光车间来了两个小孩，看起来只有十五岁左右，晚上也在干活。",
            "route": Route.BUYERS,
            "consent_sensitive": True,
            "consent_abroad": True,
        },
    ),
]


def _backdate(case: Case, days: int) -> None:
    """The case as if it had arrived `days` ago, its deadlines with it."""
    shift = timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(
        received_at=case.received_at - shift,
        acknowledge_by=case.acknowledge_by - shift,
        respond_by=case.respond_by - shift,
    )


def build(buyer: Organisation) -> list[Case]:
    """The demo's cases at the buyer's demo channel; none again if they are there already."""
    channel = demo_channel(buyer)
    if channel.cases.exists():
        return []
    filed = []
    for days, values in CASES:
        case, _secret = case_submit(channel=channel, **values)  # type: ignore[arg-type]
        _backdate(case, days)
        filed.append(Case.objects.get(pk=case.pk))
    dust, overtime = filed[0], filed[1]
    factory = channel.factory
    # The handling steps are shortened here: the committee's answer, then the worker's view.
    Message.objects.create(
        case=dust,
        sender=Sender.HANDLER,
        organisation=factory,
        body="已经给切割车间装了湿式切割，口罩改成每天发。请告诉我们现在好一些了吗。",
        created_at=timezone.now() - timedelta(days=20),
    )
    Case.objects.filter(pk=dust.pk).update(
        state=CaseState.RESOLVED, resolved_at=timezone.now() - timedelta(days=20)
    )
    dust.refresh_from_db()
    worker_feedback(case=dust, satisfied=True, view="粉尘少多了，谢谢。")
    Message.objects.create(
        case=overtime,
        sender=Sender.HANDLER,
        organisation=channel.sponsors.order_by("pk").first().organisation,  # type: ignore[union-attr]
        body="谢谢您告诉我们。请问是哪个车间？从几月开始的？",  # noqa: RUF001 - Chinese punctuation
        question=True,
        created_at=timezone.now() - timedelta(days=10),
    )
    Case.objects.filter(pk=overtime.pk).update(state=CaseState.IN_PROGRESS)
    overtime.refresh_from_db()
    worker_reply(case=overtime, text="是大板车间，从九月份开始的。")
    return filed

"""The demo covenant acting together: its three members buy from the Haichen exporter, and the
first proposes joint action on dust there, which the others join, with a joint plan of three
steps. Noordsteen and Pierre Bleue agreed to be named to each other; Steinwerk did not, so it
shows only in the count."""

from datetime import timedelta

from django.utils import timezone

from stonebridge.accounts.models import Organisation
from stonebridge.engagement.services import collective
from stonebridge.supplychain.models import Facility


def build(buyers: list[Organisation]) -> None:
    owners = {b: b.memberships.owners().select_related("user").get().user for b in buyers}
    first, second, third = buyers[:3]
    exporter = Facility.objects.get(name_en="Xiamen Haichen Stone Co., Ltd.")
    for buyer, named in ((first, True), (second, False), (third, True)):
        collective.covenant_sharing_set(
            organisation=buyer, by=owners[buyer], count_when_few=True, named_to_members=named
        )
    joint = collective.collective_propose(
        organisation=first,
        by=owners[first],
        facility=exporter,
        title="Dust control at the Haichen yard and its sawing plants",
        title_zh="海辰石业及其锯石厂的粉尘控制",
        description=(
            "Together we buy a large share of Haichen's output. We propose one plan with Haichen "
            "for wet cutting and dust extraction at its sawing plants, co-funded by the three of "
            "us, instead of three separate audits."
        ),
        description_zh=(
            "我们几家合起来占海辰石业很大一部分订单。我们建议和海辰一起定一个计划：在锯石厂推行"
            "湿法切割和除尘，三家共同出资，而不是各做各的审核。"
        ),
        named_to_others=True,
    )
    collective.collective_join(
        collective=joint, organisation=second, by=owners[second], named_to_others=False
    )
    collective.collective_join(
        collective=joint, organisation=third, by=owners[third], named_to_others=True
    )
    today = timezone.localdate()
    for days, title, title_zh, by in (
        (30, "Agree the plan with Haichen's management", "与海辰管理层商定计划", first),
        (90, "Share the cost of wet saws for two plants", "共同承担两家工厂湿锯的费用", third),
        (180, "Dust measured again by a local partner", "请本地合作机构再次测量粉尘", second),
    ):
        collective.joint_action_add(
            collective=joint,
            organisation=by,
            by=owners[by],
            title=title,
            title_zh=title_zh,
            due_on=today + timedelta(days=days),
        )

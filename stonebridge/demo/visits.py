"""Demo visits for the first buyer: the Qinghe auditors visited the Nan'an sawing plant, with
access to it for another month; one of their two findings is disputed by the plant. An announced
visit to the exporter is coming, and so is an unannounced one the supplier does not see yet."""

from datetime import timedelta

from django.utils import timezone

from stonebridge.accounts.models import Membership, Organisation
from stonebridge.assessments.services import visits
from stonebridge.engagement.models import Relationship


def build(buyer: Organisation) -> None:
    by = buyer.memberships.owners().select_related("user").get().user
    today = timezone.localdate()
    provider = Organisation.objects.get(kind=Organisation.Kind.SERVICE_PROVIDER)
    auditor = provider.memberships.owners().select_related("user").get().user
    sites = Relationship.objects.filter(organisation=buyer).select_related("facility", "supplier")
    plant = sites.get(facility__name_en="Nan'an Shuitou Xinyuan Stone Factory")
    exporter = sites.get(facility__name_en="Xiamen Haichen Stone Co., Ltd.")
    visit = visits.visit_create(
        organisation=buyer,
        by=by,
        kind="announced",
        visit_on=today - timedelta(days=20),
        sites=[plant],
        scope="Dust control in the cutting hall, working hours and contracts.",
        scope_zh="切割车间的粉尘控制、工时和劳动合同。",
        provider=provider,
        access_until=today + timedelta(days=30),
    )
    visits.visit_report(
        visit=visit,
        by=auditor,
        report="一天现场走访：查看了切割车间，抽查了二十份考勤记录，访谈了八名员工。",
    )
    dust = visits.finding_record(
        visit=visit,
        by=auditor,
        site=plant,
        issue="OHS",
        indicator=None,
        severity="high",
        description="Two dry-cutting stations run without water or dust extraction.",
        description_zh="有两个切割工位干切作业，没有喷水，也没有除尘设备。",
    )
    visits.finding_record(
        visit=visit,
        by=auditor,
        site=plant,
        issue="HOURS_WAGES",
        severity="medium",
        description="Attendance records show 66-hour weeks in the busy season.",
        description_zh="考勤记录显示旺季每周工作66小时。",
    )
    manager = Membership.objects.owners().get(organisation=plant.supplier_id).user
    visits.dispute_raise(
        finding=dust,
        by=manager,
        reasons="这两个工位在走访前一周已经停用，等待安装湿式切割设备，当天没有员工在那里工作。",
    )
    visits.visit_create(
        organisation=buyer,
        by=by,
        kind="announced",
        visit_on=today + timedelta(days=14),
        sites=[exporter],
        scope="Follow-up of the code of conduct.",
        scope_zh="供应商行为准则的跟进。",
    )
    visits.visit_create(
        organisation=buyer,
        by=by,
        kind="unannounced",
        visit_on=today + timedelta(days=45),
        sites=[plant],
        provider=provider,
        access_until=today + timedelta(days=60),
    )

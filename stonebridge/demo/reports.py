"""The demo covenant's reporting year (1 October – 30 September, as the Dutch-Flemish natural-stone
covenant's) and the first buyer's annual report for its last reporting year, with what it wrote
for each step."""

from stonebridge.accounts.models import Organisation, Role
from stonebridge.demo import timeline
from stonebridge.reports import annual, services

NARRATIVES = {
    1: "Our code of conduct, in English and Chinese, is part of every supplier agreement. "
    "The managing director signs off the due-diligence plan; the CSR officer runs it.",
    2: "We mapped our chain down to the quarries and scored each risk by severity and "
    "likelihood. Silica dust at sawing and finishing plants and working hours rank highest.",
    3: "We agreed improvement plans with our processors, co-funded wet cutting and trained "
    "supervisors. Purchasing now places orders earlier to avoid excessive overtime.",
    4: "We measure workers' conditions, not only steps taken: respirable dust and weekly hours, "
    "before and after, confirmed on site.",
    5: "We exchange progress with each supplier in Chinese every month and publish this plan "
    "of action.",
    6: "Workers reach us through an anonymous grievance channel. Back pay owed at one plant "
    "is being paid and checked.",
}


NARRATIVES_ZH = {
    1: "我们的供应商行为准则有中英文两个版本，是每份供货协议的一部分。总经理批准尽职调查计划，"
    "由企业社会责任负责人执行。",
    2: "我们把供应链一直梳理到矿山，按严重程度和可能性为每项风险评分。锯切和表面加工厂的矽尘以及"
    "工时问题优先级最高。",
    3: "我们与加工厂共同制定改进计划，共同出资改用湿法切割，并培训了班组长。采购部门现在提前下单，"
    "避免过度加班。",
    4: "我们衡量的是工人的实际状况，而不只是完成了哪些步骤：改进前后的呼吸性粉尘浓度和每周工时，"
    "并经现场核实。",
    5: "我们每月用中文与每家供应商沟通进展，并公开发布本行动计划。",
    6: "员工可以通过匿名申诉渠道联系我们。一家工厂拖欠的工资正在补发，并会核实。",
}


def build(covenant: Organisation, buyer: Organisation, language: str | None = None) -> None:
    secretary = covenant.memberships.get(role=Role.OWNER).user
    month, day = timeline.YEAR_STARTS
    services.reporting_period_set(
        covenant=covenant, by=secretary, starts_month=month, starts_day=day
    )
    owner = buyer.memberships.filter(role=Role.OWNER).first()
    by = owner.user if owner else None
    period = annual.default_period(buyer)
    texts = NARRATIVES_ZH if language == "zh-hans" else NARRATIVES
    for step, text in texts.items():
        services.narrative_save(organisation=buyer, by=by, period=period, step=step, text=text)
    # Written now rather than by the task worker, so the demo has its report at once.
    job = services.report_job_start(
        organisation=buyer,
        by=by,
        period=period,
        edition="confidential",
        language=language or "en",
        fmt="pdf",
    )
    services.report_job_run(job_id=job.pk)

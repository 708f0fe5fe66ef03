"""The demo covenant's reporting year (1 October – 30 September, as the Dutch-Flemish natural-stone
covenant's) and the first buyer's annual report for its last reporting year, with what it wrote
for each step."""

from stonebridge.accounts.models import Organisation, Role
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


def build(covenant: Organisation, buyer: Organisation) -> None:
    secretary = covenant.memberships.get(role=Role.OWNER).user
    services.reporting_period_set(covenant=covenant, by=secretary, starts_month=10, starts_day=1)
    owner = buyer.memberships.filter(role=Role.OWNER).first()
    by = owner.user if owner else None
    period = annual.default_period(buyer)
    for step, text in NARRATIVES.items():
        services.narrative_save(organisation=buyer, by=by, period=period, step=step, text=text)
    # Written now rather than by the task worker, so the demo has its report at once.
    job = services.report_job_start(
        organisation=buyer, by=by, period=period, edition="confidential", language="en", fmt="pdf"
    )
    services.report_job_run(job_id=job.pk)

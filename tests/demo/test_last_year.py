"""The demo's story spans the covenant's last completed reporting year and the current one, so
the report the demo buyer owes (for the last year) has figures in every step."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from stonebridge.accounts.models import Organisation
from stonebridge.demo import timeline
from stonebridge.reports import annual, pdf
from stonebridge.reports.models import ReportJob

NO_DATA = ("No data", "no data", "Nothing was written", "暂无", "没有数据")


@pytest.fixture
def demo(db):
    call_command("seed_demo")
    return Organisation.objects.get(slug="noordsteen")


def counts(section):
    return [f.value for f in section.figures if isinstance(f.value, int | float) and f.value]


def test_every_step_of_the_last_years_report_has_figures_in_both_editions(demo):
    period = annual.default_period(demo)
    assert period == timeline.last_year(timezone.localdate())
    for language in ("en", "zh-hans"):
        for edition in ("confidential", "public"):
            with translation.override(language):
                report = annual.gather(demo, period, edition)
                page = pdf.html(report)
            for section in report.sections:
                assert not section.empty, (language, edition, section.step, section.empty)
                assert counts(section), (language, edition, section.step)
            for said in NO_DATA:
                assert said not in page, (language, edition, said)

    # What was sent, said and put right in that year.
    report = annual.gather(demo, annual.default_period(demo), "confidential")
    policy, _risks, actions, tracking, talk, remedy = report.sections
    assert policy.figure("code_version") == 1
    assert policy.figure("code_sent") == 2
    assert policy.figure("code_acknowledged") == 1
    assert actions.figure("support_given") == 2
    assert tracking.figure("readings") >= 2
    assert talk.figure("requests_answered") >= 1
    assert talk.figure("updates_buyer") >= 1
    assert talk.figure("updates_supplier") >= 1
    assert remedy.figure("grievances") >= 1
    assert remedy.figure("grievances_closed") >= 1
    assert remedy.figure("remedies") == 1
    assert remedy.figure("workers_covered") == 37
    # The demo's report file is for that year.
    job = ReportJob.objects.get(organisation=demo)
    assert (job.period_start, job.period_end) == (report.period.start, report.period.end)


def test_the_current_year_has_activity_too_and_nothing_is_dated_before_its_cause(demo):
    today = timezone.localdate()
    current = annual.period_containing(today, *timeline.YEAR_STARTS)
    report = annual.gather(demo, current, "confidential")
    busy = {s.step for s in report.sections if not s.empty}
    assert {1, 3, 5, 6} <= busy
    assert report.sections[5].figure("grievances") >= 3
    _dated_in_order(demo)


def _dated_in_order(demo):
    from stonebridge.engagement.models import Commitment, Plan, Relationship, Request, Update
    from stonebridge.voice.models import Case, Channel, Remedy

    now = timezone.now()
    for relationship in Relationship.objects.filter(organisation=demo):
        assert relationship.created_at <= now
        for commitment in Commitment.objects.filter(relationship=relationship):
            assert relationship.created_at < commitment.sent_at < now
            assert commitment.code.created_at < commitment.sent_at
            if commitment.acknowledged_at:
                assert commitment.sent_at < commitment.acknowledged_at < now
        for plan in Plan.objects.filter(relationship=relationship):
            assert timezone.localdate(relationship.created_at) <= plan.starts_on
        for request in Request.objects.filter(relationship=relationship):
            assert relationship.created_at < request.created_at < now
            if request.answered_at:
                assert request.created_at < request.answered_at < now
    for update in Update.objects.filter(action__plan__relationship__organisation=demo):
        assert update.action.created_at <= update.created_at <= now
    channel = Channel.objects.get()
    for case in Case.objects.all():
        assert channel.created_at < case.received_at <= now
        if case.closed_at:
            assert case.received_at < case.closed_at <= now
        for message in case.messages.all():
            assert case.received_at <= message.created_at <= now
    for remedy in Remedy.objects.filter(organisation=demo):
        assert remedy.opened_at < now
        assert all(
            m.done_at is None or remedy.opened_at < m.done_at < now for m in remedy.milestones.all()
        )


@pytest.mark.parametrize(
    "today", [date(2026, 10, 1), date(2026, 12, 1), date(2027, 2, 28), date(2027, 9, 30)]
)
def test_the_story_falls_in_the_last_completed_year_whatever_day_it_is_seeded(today):
    year = timeline.last_year(today)
    assert year.end < today
    for days in (7, 14, 21, 30, 45, 45 + 200, 270, 300 + 30):
        day = timeline.into_last_year(today, days)
        assert year.start <= day <= year.end < today
    assert timeline.into_last_year(today, 400) == year.end
    assert year.end - year.start >= timedelta(days=364)


def test_months_are_written_in_chinese_across_a_new_year():
    assert timeline.months_zh(date(2026, 3, 30), date(2026, 5, 29)) == "2026年3月至5月"
    assert timeline.months_zh(date(2025, 11, 2), date(2026, 1, 3)) == "2025年11月至2026年1月"

"""Dates, numbers and people's own words read the same way everywhere, in each language."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import formats, translation

from stonebridge.display import isolate, notice, number, plain, written
from stonebridge.engagement.services import measures, plans, relationships

from .conftest import client_for


def test_a_date_is_written_one_way_in_each_language():
    day = date(2026, 11, 30)
    for style in ("DATE_FORMAT", "SHORT_DATE_FORMAT"):
        with translation.override("en"):
            assert formats.date_format(day, style) == "30 Nov 2026"
        with translation.override("zh-hans"):
            assert formats.date_format(day, style) == "2026年11月30日"


def test_numbers_lose_a_fraction_of_zeros_only():
    assert number(Decimal("52.00")) == "52"
    assert number(Decimal("38.50")) == Decimal("38.50")
    assert number(Decimal("1E+2")) == "100"
    assert number(None) is None


def test_a_persons_words_are_marked_with_their_language():
    assert written("Agents <b>?") == '<span lang="en">Agents &lt;b&gt;?</span>'
    assert written("车间在改造") == '<span lang="zh-Hans">车间在改造</span>'
    assert written("1200") == "1200"
    message = f"{isolate('Noordsteen')}询问：{isolate('Agents?')}"
    assert (
        notice(message) == '<span lang="en">Noordsteen</span>询问：<span lang="en">Agents?</span>'
    )
    assert plain(message) == "Noordsteen询问：Agents?"


def test_an_action_page_shows_dates_and_readings_as_people_write_them(
    buyer, owner, chain, supplier_org, supplier_user
):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["exporter"], supplier=supplier_org
    )
    plan = plans.plan_create(relationship=relationship, by=owner, title="Hours")
    due = date.today() + timedelta(days=30)
    action = plans.action_create(
        plan=plan, by=owner, title="Plan the peak", issue="HOURS_WAGES", due_on=due
    )
    measure = measures.measure_add(
        action=action, by=owner, kind="outcome", indicator="weekly_hours"
    )
    measures.measure_set_targets(measure=measure, by=owner, baseline=Decimal("68.00"), target=None)
    measures.reading_record(
        measure=measure, by=owner, by_supplier=False, measured_on=date.today(), value=Decimal(52)
    )
    url = reverse("engagement:action", args=[buyer.slug, action.pk])
    english = client_for(owner).get(url).content.decode()
    assert f"{due.day} {due:%b %Y}" in english
    assert "baseline 68 · target ?" in english
    assert "<strong>52</strong>" in english
    assert '<span lang="en">Plan the peak</span>' in english
    owner.language = "zh-hans"
    owner.save()
    chinese = client_for(owner).get(url).content.decode()
    assert f"{due.year}年{due.month}月{due.day}日" in chinese
    assert "平均每周工作小时数</strong> （小时）" in chinese
    assert due.isoformat() not in chinese.split("<main")[1].replace(f'value="{due}"', "")

"""The dashboard on a buyer's home page: where it stands, each figure a link to its list."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from stonebridge.accounts.services import api_token_create
from stonebridge.engagement.models import FlagState
from stonebridge.engagement.services import disclosure, escalation, measures, plans, relationships
from stonebridge.risk.models import Score
from stonebridge.supplychain import queries as chain_queries
from stonebridge.supplychain import services as supplychain
from stonebridge.supplychain.models import ChainPosition
from stonebridge.voice.models import Case, Channel, Route, Sponsor, Topic
from stonebridge.voice.services.intake import case_submit
from stonebridge.voice.services.remedies import remedy_open

from ..conftest import client_for

TODAY = timezone.localdate()


@pytest.fixture
def world(chain, buyer, owner, supplier_org, supplier_user):
    """The small chain; an engaged processor with a plan (one action overdue, one not, an
    outcome measured), a red flag, a grievance from its workers and a remedy; the workshop
    engaged without any of it."""
    processor = relationships.sharing_answer(
        relationship=relationships.relationship_create(
            organisation=buyer, by=owner, facility=chain["processor"], supplier=supplier_org
        ),
        by=supplier_user,
        accept=True,
    )
    quiet = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["workshop"]
    )
    plan = plans.plan_create(relationship=processor, by=owner, title="Hours")
    late = plans.action_create(
        plan=plan,
        by=owner,
        title="Rest day every week",
        issue="HOURS_WAGES",
        due_on=TODAY - timedelta(days=5),
    )
    plans.action_create(
        plan=plan, by=owner, title="Dust masks", issue="OHS", due_on=TODAY + timedelta(days=30)
    )
    hours = measures.measure_add(
        action=late,
        by=owner,
        kind="outcome",
        indicator="weekly_hours",
        baseline=Decimal(72),
        target=Decimal(60),
    )
    measures.reading_record(
        measure=hours, by=owner, by_supplier=False, measured_on=TODAY, value=Decimal(66)
    )
    disclosure.request_create(
        relationship=processor, by=owner, kind="question", text="?", due_on=TODAY - timedelta(45)
    )
    escalation.flags_refresh(relationship=processor, today=TODAY)
    channel = Channel.objects.create(
        facility=chain["processor"], token="k7Qm2xPa", factory=supplier_org
    )
    Sponsor.objects.create(channel=channel, organisation=buyer)
    case, _secret = case_submit(
        channel=channel,
        topic=Topic.HOURS,
        description="每个月加班超过一百个小时。",
        route=Route.BUYERS,
        consent_abroad=True,
    )
    # A grievance from before the last 90 days, counted in the period before.
    older, _secret = case_submit(
        channel=channel,
        topic=Topic.PAY,
        description="工资晚发两个月。",
        route=Route.BUYERS,
        consent_abroad=True,
    )
    Case.objects.filter(pk=older.pk).update(received_at=timezone.now() - timedelta(days=120))
    remedy = remedy_open(
        organisation=buyer,
        by=owner,
        facility=chain["processor"],
        kind="back_pay",
        description="Overtime premium owed since March",
        workers_covered=23,
        paid_by="supplier",
        case=case,
    )
    return {
        "processor": processor,
        "quiet": quiet,
        "plan": plan,
        "case": case,
        "older": older,
        "remedy": remedy,
    }


def home(user, org):
    return client_for(user).get(reverse("accounts:organisation", args=[org.slug]))


def figures(user, org, language="en"):
    api = client_for(None)
    token = api_token_create(user=user, name="t")[1]
    response = api.get(
        f"/api/organisations/{org.slug}/dashboard",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    return {
        section["key"]: {f["key"]: f for f in section["figures"] + section["bars"]}
        for section in body["sections"]
    }


def test_the_figures_match_the_data(world, chain, buyer, owner):
    found = figures(owner, buyer)

    traced = chain_queries.transparency(buyer).traced_volume_share
    assert found["transparency"]["traced_volume_share"]["value"] == float(traced * 100) == 60
    assert found["transparency"]["direct_suppliers"]["value"] == 1
    assert found["transparency"]["suppliers_traced"]["value"] == 0
    for tier in ChainPosition.objects.filter(organisation=buyer).values_list("tier", flat=True):
        expected = ChainPosition.objects.filter(organisation=buyer, tier=tier).count()
        assert found["transparency"][f"tier_{tier}"]["value"] == expected

    highest = dict(
        Score.objects.filter(organisation=buyer)
        .values("issue_id")
        .annotate(top=Max("priority"))
        .values_list("issue_id", "top")
    )
    assert highest, "the chain is scored"
    for issue, top in highest.items():
        assert found["risks"][issue]["value"] == pytest.approx(top, abs=0.051)
    first = Score.objects.filter(organisation=buyer).order_by("-priority", "facility_id").first()
    top_risks = [f for f in found["risks"].values() if f["key"].startswith("risk_")]
    assert len(top_risks) == 5
    assert top_risks[0]["value"] == pytest.approx(first.priority, abs=0.051)

    assert found["plans"]["plans_active"]["value"] == 1
    assert found["plans"]["outcomes"]["value"] == 1
    assert found["plans"]["outcomes_measured"]["value"] == 1
    assert found["plans"]["outcomes_achieved"]["value"] == 0
    assert found["actions"]["actions_overdue"]["value"] == 1
    assert found["actions"]["actions_open"]["value"] == 2

    standing = FlagState.objects.filter(relationship__organisation=buyer, cleared_at=None)
    assert found["red_flags"]["flagged_suppliers"]["value"] == 1
    for code in standing.values_list("code", flat=True):
        assert found["red_flags"][code]["value"] == 1

    assert found["grievances"]["cases_open"]["value"] == 2
    assert found["grievances"]["case_received"]["value"] == 2
    assert found["grievances"]["remedies_open"]["value"] == 1
    assert found["grievances"]["remedy_workers"]["value"] == 23

    changed = found["changes"]
    assert (changed["cases_received"]["value"], changed["cases_received"]["previous"]) == (1, 1)
    assert (changed["flags_raised"]["value"], changed["flags_raised"]["previous"]) == (1, 0)
    assert (changed["plans_started"]["value"], changed["plans_started"]["previous"]) == (1, 0)
    assert changed["remedies_opened"]["value"] == 1


def test_the_kept_chain_figures_follow_a_new_purchase(world, buyer, owner):
    before = figures(owner, buyer)["transparency"]
    extra = supplychain.facility_create(
        organisation=buyer, by=owner, kind="exporter", name_zh="泉州新兴石材贸易有限公司"
    )

    supplychain.sourcing_set(
        organisation=buyer, by=owner, facility=extra, annual_volume=Decimal(1000)
    )

    after = figures(owner, buyer)["transparency"]
    assert after["direct_suppliers"]["value"] == before["direct_suppliers"]["value"] + 1 == 2
    assert after["tier_1"]["value"] == before["tier_1"]["value"] + 1
    # The untraced purchase halves the traced share of the volume bought.
    assert after["traced_volume_share"]["value"] == before["traced_volume_share"]["value"] / 2


def test_the_home_page_opens_with_the_dashboard_and_its_charts(world, buyer, owner):
    body = home(owner, buyer).content.decode()
    assert body.index('id="dashboard"') < body.index('id="home-chain"')
    assert 'id="dashboard-data"' in body
    assert "reports/dashboard" in body
    assert "echarts" in body
    for key in ("transparency", "risks", "plans", "actions", "red_flags", "grievances"):
        assert f'id="dashboard-chart-{key}"' in body
    assert "Where you stand" in body
    assert "<script>" not in body, "no inline script: the charts obey the content policy"


def rows(user, url):
    response = client_for(user).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_each_figure_links_to_the_list_that_makes_it(world, chain, buyer, owner):
    found = figures(owner, buyer)
    for section in found.values():
        for figure in section.values():
            assert client_for(owner).get(figure["url"]).status_code == 200, figure

    processor = reverse("engagement:relationship", args=[buyer.slug, world["processor"].pk])
    quiet = reverse("engagement:relationship", args=[buyer.slug, world["quiet"].pk])
    for url in (
        found["actions"]["actions_overdue"]["url"],
        found["red_flags"]["flagged_suppliers"]["url"],
        found["plans"]["plans_active"]["url"],
    ):
        listed = rows(owner, url)
        assert processor in listed, url
        assert quiet not in listed, url
    code = FlagState.objects.filter(relationship=world["processor"]).first().code
    assert processor in rows(owner, found["red_flags"][code]["url"])

    cases = rows(owner, found["grievances"]["case_received"]["url"])
    assert world["case"].number in cases
    assert world["older"].number in cases
    assert "state=received" in found["grievances"]["case_received"]["url"]
    remedies = rows(owner, found["grievances"]["remedy_planned"]["url"])
    assert reverse("voice:remedy", args=[buyer.slug, world["remedy"].pk]) in remedies
    assert found["grievances"]["remedies_verified"]["url"].endswith("?state=verified")

    issue = next(k for k in found["risks"] if not k.startswith("risk_"))
    assert found["risks"][issue]["url"] == reverse("risk:register", args=[buyer.slug]) + (
        f"?issue={issue}"
    )
    assert rows(owner, found["transparency"]["tier_2"]["url"]).count(chain["processor"].name_zh)

    body = home(owner, buyer).content.decode()
    for section in found.values():
        for figure in section.values():
            assert f'href="{figure["url"].replace("&", "&amp;")}"' in body, figure


def test_an_empty_dashboard_says_plainly_there_is_no_data(buyer, owner):
    body = home(owner, buyer).content.decode()
    assert "Where you stand" in body
    for empty in (
        "No supply chain recorded yet",
        "No risk is scored yet",
        "No improvement plan yet.",
        "No action is open.",
        "No red flag is raised.",
        "No grievance has reached you and no remedy is recorded.",
        "Nothing changed in the last 180 days.",
    ):
        assert empty in body, empty
    assert 'id="dashboard-data"' not in body


def test_outsiders_get_not_found_on_the_page_and_the_api(world, buyer, other_buyer):
    assert home(other_buyer, buyer).status_code == 404
    token = api_token_create(user=other_buyer, name="t")[1]
    response = client_for(None).get(
        f"/api/organisations/{buyer.slug}/dashboard", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 404
    assert "Noordsteen" not in response.content.decode()


def test_a_supplier_organisation_sees_no_dashboard(world, supplier_user, supplier_org):
    body = home(supplier_user, supplier_org).content.decode()
    assert 'id="dashboard"' not in body
    token = api_token_create(user=supplier_user, name="t")[1]
    response = client_for(None).get(
        f"/api/organisations/{supplier_org.slug}/dashboard", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 404


def test_the_dashboard_reads_in_chinese(world, buyer, owner):
    owner.language = "zh-hans"
    owner.save()
    body = home(owner, buyer).content.decode()
    assert "您的尽职调查现状" in body
    assert "可追溯到矿山的采购量" in body
    assert "已逾期的措施" in body
    found = figures(owner, buyer, language="zh-hans")
    assert found["changes"]["cases_received"]["label"] == "收到的申诉"


def test_the_dashboard_takes_the_same_queries_however_much_data(
    world, buyer, owner, django_assert_max_num_queries
):
    from stonebridge.reports.dashboard import gather

    with django_assert_max_num_queries(20):
        gather(buyer)

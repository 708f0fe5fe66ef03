"""The supplier's workspace lists download as the workspace shows them: in Chinese for a Chinese
reader, its own rows only, with text a spreadsheet would run made inert."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from stonebridge.accounts.models import Organisation, Role
from stonebridge.engagement.services import disclosure, plans, relationships
from stonebridge.supplychain.services import facility_create

from ..conftest import OrganisationFactory, client_for, member
from ..downloads.sheets import downloaded

FORMATS = ("csv", "xlsx")
TODAY = timezone.localdate()
pytestmark = pytest.mark.django_db


def engage(buyer, owner, supplier, manager, name_zh):
    """A site of `supplier` that `buyer` engages, shared, with a plan, two actions (one done)
    and two requests (one answered)."""
    site = facility_create(
        organisation=buyer, by=owner, kind="processor", name_zh=name_zh, province="福建省"
    )
    made = relationships.relationship_create(
        organisation=buyer, by=owner, facility=site, supplier=supplier
    )
    relationship = relationships.sharing_answer(relationship=made, by=manager, accept=True)
    plan = plans.plan_create(relationship=relationship, by=owner, title_zh=f"{name_zh}改进计划")
    late = plans.action_create(
        plan=plan,
        by=owner,
        issue="HOURS_WAGES",
        title="=SUM(A1:A9)",
        title_zh="补发加班工资",
        due_on=TODAY - timedelta(days=3),
    )
    done = plans.action_create(
        plan=plan, by=owner, issue="OHS", title_zh="湿法切割", due_on=TODAY + timedelta(days=30)
    )
    done.status = "done"
    done.save(update_fields=["status"])
    asked = disclosure.request_create(
        relationship=relationship,
        by=owner,
        kind="documents",
        text="+Send the payroll",
        text_zh="请提供工资表",
        due_on=TODAY + timedelta(days=7),
    )
    answered = disclosure.request_create(
        relationship=relationship, by=owner, kind="visit", text_zh="走访时间", due_on=TODAY
    )
    disclosure.request_answer(request=answered, by=manager, answer="@下周二")
    return relationship, plan, late, asked


@pytest.fixture
def workspace(buyer, owner, supplier_org, supplier_user):
    """Haichen's workspace with one buyer; another supplier of the same buyer beside it."""
    mine = engage(buyer, owner, supplier_org, supplier_user, "海辰石业锯板厂")
    stranger = OrganisationFactory(kind=Organisation.Kind.SUPPLIER, slug="stranger")
    engage(buyer, owner, stranger, member(stranger, Role.OWNER), "别家石材厂")
    return mine


def chinese_client(user):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


def url(name, org, fmt, query=""):
    return reverse(f"engagement:{name}", kwargs={"org": org.slug, "fmt": fmt}) + query


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_buyers_download_in_chinese(workspace, supplier_org, supplier_user, buyer, fmt):
    rows = downloaded(
        chinese_client(supplier_user), url("workspace_buyers_export", supplier_org, fmt), fmt
    )
    assert rows[0][:3] == ["采购商", "厂矿（中文名）", "厂矿（英文或拼音名）"]
    assert [(row[0], row[1]) for row in rows[1:]] == [(buyer.name, "海辰石业锯板厂")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_plans_download_as_the_workspace_lists_them(
    workspace, supplier_org, supplier_user, fmt
):
    rows = downloaded(
        chinese_client(supplier_user), url("workspace_plans_export", supplier_org, fmt), fmt
    )
    assert rows[0][:3] == ["采购商", "中文标题", "英文标题"]
    assert [row[1] for row in rows[1:]] == ["海辰石业锯板厂改进计划"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_open_actions_download_with_a_formula_made_inert(
    workspace, supplier_org, supplier_user, fmt
):
    rows = downloaded(
        chinese_client(supplier_user), url("workspace_actions_export", supplier_org, fmt), fmt
    )
    assert rows[0] == [
        "采购商",
        "改进计划",
        "措施（中文）",
        "措施（英文）",
        "截止日期",
        "状态",
        "已逾期",
    ]
    # The done action is not open; the stranger's actions are not Haichen's.
    assert len(rows) == 2
    assert rows[1][1:4] == ["海辰石业锯板厂改进计划", "补发加班工资", "'=SUM(A1:A9)"]
    assert str(rows[1][4]).startswith((TODAY - timedelta(days=3)).isoformat())
    assert rows[1][6] == "是"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_open_requests_download(workspace, supplier_org, supplier_user, fmt):
    rows = downloaded(
        chinese_client(supplier_user), url("workspace_requests_export", supplier_org, fmt), fmt
    )
    assert rows[0][:3] == ["采购商", "类型", "请求内容（中文）"]
    assert [row[2:4] for row in rows[1:]] == [["请提供工资表", "'+Send the payroll"]]
    assert rows[1][5] == "否"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_history_downloads_with_the_answer(workspace, supplier_org, supplier_user, fmt):
    rows = downloaded(
        chinese_client(supplier_user), url("workspace_history_export", supplier_org, fmt), fmt
    )
    assert rows[0] == ["日期", "内容", "采购商", "文字"]
    assert len(rows) == 2
    assert rows[1][3].endswith("→ @下周二")


def test_the_workspace_links_each_download_and_stays_light(workspace, supplier_org, supplier_user):
    client = client_for(supplier_user)
    body = client.get(reverse("engagement:workspace_home", args=[supplier_org.slug])).content
    for name in ("buyers", "plans", "actions", "requests"):
        assert url(f"workspace_{name}_export", supplier_org, "xlsx") in body.decode()
    # Plain links: no script beyond what every page loads.
    plain = client.get(reverse("engagement:workspace_history", args=[supplier_org.slug])).content
    assert body.count(b"<script") == plain.count(b"<script")


@pytest.mark.parametrize(
    "name",
    [
        "workspace_buyers_export",
        "workspace_plans_export",
        "workspace_actions_export",
        "workspace_requests_export",
        "workspace_history_export",
    ],
)
def test_another_organisation_gets_404(workspace, supplier_org, owner, other_buyer, name):
    for outsider in (owner, other_buyer):
        assert client_for(outsider).get(url(name, supplier_org, "csv")).status_code == 404

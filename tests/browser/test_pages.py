import pytest

from stonebridge.accounts.models import Membership

from ..conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def test_switching_language_shows_the_pages_in_chinese(page, owner, buyer):
    log_in(page, owner.email)
    page.click("text=People")
    assert page.locator("h1").inner_text().startswith("People")
    page.click("button:has-text('简体中文')")
    page.wait_for_selector("html[lang=zh-hans]")
    assert page.locator("h1").inner_text().startswith("成员")
    assert page.locator("nav.sections").inner_text().split() == [
        "概览",
        "供应链",
        "风险",
        "供应商改进",
        "评估",
        "申诉",
        "年度报告",
        "厂矿",
        "成员",
        "操作记录",
    ]
    owner.refresh_from_db()
    assert owner.language == "zh-hans"
    page.click("button:has-text('English')")
    page.wait_for_selector("html[lang=en]")


def test_a_supplier_manager_uses_stonebridge_in_chinese_on_a_phone(
    phone, supplier_user, supplier_org
):
    log_in(phone, supplier_user.email)
    phone.wait_for_selector("h1")
    # A supplier lands on its workspace: what its buyers share with it.
    assert phone.url.endswith(f"/o/{supplier_org.slug}/workspace/")
    assert phone.locator("h1").inner_text() == "我的工作台"
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    # Nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_owner_changes_a_role_without_reloading_the_page(page, owner, viewer, buyer):
    log_in(page, owner.email)
    page.goto(f"/o/{buyer.slug}/members/")
    membership = Membership.objects.get(user=viewer)
    row = page.locator(f"#member-{membership.pk}")
    with page.expect_response(lambda r: "/role/" in r.url):
        row.locator("select").select_option("editor")
    page.wait_for_function(
        f"() => document.querySelector('#member-{membership.pk} select').value === 'editor'"
    )
    membership.refresh_from_db()
    assert membership.role == "editor"


def test_the_chain_is_drawn_as_a_graph_and_on_an_offline_map(page, owner, buyer, chain):
    log_in(page, owner.email)
    page.goto(f"/o/{buyer.slug}/chain/")
    # buyer + 4 facilities + 2 gaps + 2 countries of origin (CN for the quarry, IN for a gap)
    page.wait_for_selector("#chain-graph[data-rendered='9'] canvas")
    page.wait_for_selector("#chain-map[data-rendered='2'] canvas")
    assert page.locator("#traced-share").inner_text() == "60 %"
    # The map outline comes from a bundled file: no request leaves the server.
    assert page.evaluate(
        "performance.getEntriesByType('resource').every(e => e.name.startsWith(location.origin))"
    )


def test_the_main_pages_run_under_the_content_security_policy(page, owner, buyer, chain):
    log_in(page, owner.email)
    pages = ["chain/", "facilities/", "risks/", "engagement/", "members/", "audit/"]
    for path in pages:
        response = page.goto(f"/o/{buyer.slug}/{path}")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    page.goto(f"/o/{buyer.slug}/chain/")
    page.wait_for_selector("#chain-graph canvas")
    for path in ["/account/", "/account/tokens/", "/account/two-factor/", "/api/docs"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    # The API docs draw from the bundled Swagger UI, with no connection to the internet.
    page.wait_for_selector("#swagger-ui .opblock")
    assert page.evaluate(
        "performance.getEntriesByType('resource').every(e => e.name.startsWith(location.origin))"
    )
    assert page.csp_violations == []


def test_the_covenant_secretariat_finds_its_view_of_the_members(page, buyer, owner):
    from stonebridge.accounts.models import Organisation, Role

    from ..conftest import OrganisationFactory, member

    covenant = OrganisationFactory(
        slug="stone-covenant", name="Stone Covenant", kind=Organisation.Kind.COVENANT
    )
    secretary = member(covenant, Role.OWNER, email="secretariat@covenant.example")
    log_in(page, secretary.email)
    page.goto(f"/o/{covenant.slug}/")
    page.locator("nav.sections").get_by_text("Covenant").click()
    assert page.locator("h1").inner_text() == "Members' progress"
    page.click("text=Shared suppliers")
    assert page.locator("h1").inner_text() == "Shared suppliers"

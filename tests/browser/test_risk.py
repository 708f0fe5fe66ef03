import pytest

from .test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_buyer_reads_the_register_and_why_a_risk_comes_first_in_chinese(
    page, owner, buyer, small_chain
):
    owner.language = "zh-hans"
    owner.save()
    log_in(page, owner.email)
    page.click("nav.sections >> text=风险")
    assert page.locator("h1").inner_text() == "风险清单"
    # The heatmap: 2 tiers by 9 issues, drawn from the page's own data.
    page.wait_for_selector("#risk-heatmap[data-rendered='18'] canvas")
    first = page.locator("table.register tbody tr").first
    assert "惠安县崇武永兴雕刻厂" in first.inner_text()
    assert "不可补救" in first.inner_text()
    # Filtering by issue through htmx, without reloading the page.
    page.select_option("select[name=issue]", "HOURS_WAGES")
    first_row = "document.querySelector('table.register tbody tr').innerText"
    page.wait_for_function(f"() => {first_row}.includes('南安市水头鑫源石材厂')")
    page.select_option("select[name=issue]", "")
    page.wait_for_function(f"() => {first_row}.includes('惠安县')")
    page.locator("table.register tbody tr").first.locator("a.priority").click()
    assert page.locator("h1").inner_text().startswith("为什么是这个分数")
    assert page.locator(".contributions tbody tr").count() == 2
    assert "惠安县崇武永兴雕刻厂 → 厦门海辰石业有限公司 → 您" in page.locator(".path").inner_text()

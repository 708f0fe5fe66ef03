"""A plan from its creation by the buyer to the progress its supplier reports in Chinese."""

import base64

from stonebridge.engagement.models import Action, Reading, Update

from .test_pages import log_in

# A one-pixel PNG: the supplier's photo of the new safety committee notice.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_a_buyer_plans_with_a_supplier_who_reports_progress_in_chinese_on_a_phone(
    page, phone, owner, buyer, chain, supplier_org, supplier_user, tmp_path
):
    # The buyer engages the sawing plant, shares it with the supplier's account, starts a plan.
    log_in(page, owner.email)
    page.goto(f"/o/{buyer.slug}/engagement/")
    page.click("text=Engage a supplier")
    # Its account is not linked to the chain yet: the buyer finds it by name.
    page.fill("input[name=find]", "Haichen")
    page.click("form[role=search] button")
    page.select_option("select[name=facility]", str(chain["processor"].pk))
    page.select_option("select[name=supplier]", str(supplier_org.pk))
    page.click("main button:has-text('Save')")
    page.wait_for_selector("#red-flags")
    page.click("text=New plan")
    page.select_option("select[name=programme]", "ohs_system")
    page.click("text=Create and share with the supplier")
    page.wait_for_selector("#outcome-charts figure")
    # The programme's title in the reader's language first, its Chinese beside it.
    title = page.locator("h1")
    assert (
        title.locator("[lang=en]").inner_text()
        == "Occupational health and safety management system"
    )
    assert title.locator("[lang=zh-Hans]").inner_text() == "职业健康安全管理体系"
    assert page.locator("#only-milestones").count() == 0

    # The supplier's manager finds it in the workspace, in Chinese, on a phone.
    log_in(phone, supplier_user.email)
    phone.goto(f"/o/{supplier_org.slug}/workspace/")
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    assert phone.locator("h1").inner_text() == "我的工作台"
    # Nothing is shown before the supplier accepts to work with this buyer.
    assert phone.locator("#plans >> text=职业健康安全管理体系").count() == 0
    phone.click("#asking button:has-text('同意')")
    phone.wait_for_selector(".messages")
    phone.click("#plans >> text=职业健康安全管理体系")
    phone.click("text=成立安全委员会，排查每个工位的危害")
    photo = tmp_path / "通知.png"
    photo.write_bytes(PNG)
    phone.fill("textarea[name=text]", "安全委员会已经成立，有三名工人代表。")
    phone.select_option("select[name=status]", "in_progress")
    phone.set_input_files("input[name=files]", str(photo))
    phone.click("text=发送给采购商")
    phone.wait_for_selector(".messages")
    assert "已发送" in phone.locator(".messages").inner_text()
    assert phone.locator(".status").inner_text() == "进行中"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # And a first measurement, which waits for the buyer's confirmation.
    phone.click("#measures summary:has-text('记录测量值')")
    phone.fill("#measures input[name=value]", "2")
    phone.click("#measures button:has-text('保存')")
    phone.wait_for_selector("text=已报告，待确认")

    action = Action.objects.get(title_zh="成立安全委员会，排查每个工位的危害")
    assert action.status == "in_progress"
    update = Update.objects.get(action=action)
    assert update.by_supplier
    assert update.attachments.get().content_type == "image/png"

    # Back at the buyer: the report, its photo, and the measurement to confirm.
    page.goto(f"/o/{buyer.slug}/engagement/actions/{action.pk}/")
    assert "安全委员会已经成立" in page.locator("#thread").inner_text()
    assert page.locator("#thread a:has-text('通知.png')").count() == 1
    page.click("#measures button:has-text('Confirm')")
    page.wait_for_selector(".messages")
    assert Reading.objects.get().confirmed_at is not None

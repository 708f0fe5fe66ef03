"""Long texts keep a draft on the device until sent: an expired page costs nobody their words."""

import pytest

from stonebridge.engagement.services import relationships

from .test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Paid for 40 dust masks and a fit test. 支付了40个防尘口罩。"


def drafts(page):
    return page.evaluate("Object.keys(localStorage).filter((key) => key.startsWith('sb-draft:'))")


def fill_support(page):
    page.select_option("select[name=kind]", index=1)
    page.fill("input[name=given_on]", "2026-11-02")


def test_a_text_survives_an_expired_page_and_is_cleared_once_sent(
    page, live_server, owner, buyer, chain, supplier_org
):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["processor"], supplier=supplier_org
    )
    form = f"/o/{buyer.slug}/engagement/{relationship.pk}/support/new/"
    log_in(page, owner.email)
    page.wait_for_selector("h1")
    page.goto(form)
    page.fill("textarea[name=description]", TEXT)
    page.reload()
    assert page.input_value("textarea[name=description]") == TEXT
    assert page.locator(".draft-note").is_visible()

    # Logging in elsewhere gives the browser a new token: this page's form has expired.
    page.context.add_cookies([{"name": "csrftoken", "value": "x" * 32, "url": live_server.url}])
    fill_support(page)
    page.click("main button:has-text('Save')")
    page.wait_for_selector("text=This page had expired: nothing was sent.")
    assert page.locator("text=此页面已过期，内容还没有发送。").is_visible()
    assert TEXT in [typed.input_value() for typed in page.locator("main textarea").all()]

    page.click("text=Back to the form / 返回表单")
    assert page.input_value("textarea[name=description]") == TEXT
    fill_support(page)
    page.click("main button:has-text('Save')")
    page.wait_for_selector("text=The support was recorded.")
    assert drafts(page) == []
    page.goto(form)
    assert page.input_value("textarea[name=description]") == ""


def test_nothing_is_kept_for_someone_not_logged_in(page):
    page.goto("/accounts/login/")
    assert page.locator("meta[name=drafts]").count() == 0

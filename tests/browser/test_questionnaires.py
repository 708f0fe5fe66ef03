"""A supplier's manager fills StoneBridge's self-assessment in Chinese on a 360 px phone: a
condition reveals a question as the manager answers, a draft is saved, the answers are sent."""

import pytest

from stonebridge.assessments.models.questionnaires import Submission
from stonebridge.assessments.services import questionnaires
from stonebridge.engagement.services import relationships

from .conftest import watch_policy
from .test_accessibility import AXE, problems_on
from .test_pages import log_in

SMALL_PHONE = {"width": 360, "height": 740}


@pytest.fixture
def small_phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=SMALL_PHONE, is_mobile=True, locale="zh-CN"
    )
    page = watch_policy(context.new_page())
    page.set_default_timeout(15000)
    yield page
    context.close()
    assert page.csp_violations == []


@pytest.fixture
def sent(buyer, owner, chain, supplier_org, supplier_user):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["processor"], supplier=supplier_org
    )
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    version = questionnaires.questionnaire_load_shipped()
    return questionnaires.submission_start(
        organisation=supplier_org,
        buyer=buyer,
        version=version,
        facilities=[relationship.facility],
        by=owner,
    )


def block(phone, name):
    return phone.locator(f"[data-question='{name}']")


def answer_what_is_shown(phone):
    """Give an answer to each question on the page as it shows, in order: an answer may reveal
    the next question."""
    blocks = phone.locator("[data-question]")
    for index in range(blocks.count()):
        question = blocks.nth(index)
        if not question.is_visible():
            continue
        if question.locator("input[type=radio]").count():
            if not question.locator("input[type=radio]:checked").count():
                question.locator("input[type=radio]").last.check()
        elif question.locator("input[type=checkbox]").count():
            if not question.locator("input[type=checkbox]:checked").count():
                question.locator("input[type=checkbox]").first.check()
        elif question.locator("input[type=number]").count():
            if not question.locator("input[type=number]").input_value():
                question.locator("input[type=number]").fill("20")
        elif question.locator("input[type=date]").count():
            question.locator("input[type=date]").fill("2026-03-02")
        elif question.locator("textarea").count():
            question.locator("textarea").fill("没有。")


def test_a_manager_fills_the_self_assessment_in_chinese_on_a_small_phone(
    small_phone, supplier_org, supplier_user, sent
):
    phone = small_phone
    log_in(phone, supplier_user.email)
    phone.goto(f"/o/{supplier_org.slug}/workspace/")
    # The questionnaire waits at the top of the workspace the manager lands on.
    phone.click("#to-answer a")
    assert phone.locator("h1").inner_text() == "供应商自评问卷：工作条件与供应链"
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # The factory: how many people, which processes. Dry cutting calls for questions on dust.
    phone.fill("[data-question=workers_total] input", "85")
    phone.check("[data-question=processes] input[value=dry_cutting]")
    phone.click("button:has-text('保存草稿')")
    phone.wait_for_selector(".messages")
    assert "已保存为草稿" in phone.locator(".messages").inner_text()
    assert phone.locator("[data-question=workers_total] input").input_value() == "85"
    phone.click("button:has-text('保存并继续')")

    # Health and safety: the photo is asked for only once a dust control is chosen, at once.
    phone.wait_for_selector("[data-question=dust_controls]")
    assert block(phone, "dust_controls").is_visible()
    assert not block(phone, "dust_photo").is_visible()
    phone.check("[data-question=dust_controls] input[value=water]")
    assert block(phone, "dust_photo").is_visible()
    phone.uncheck("[data-question=dust_controls] input[value=water]")
    assert not block(phone, "dust_photo").is_visible()
    phone.check("[data-question=dust_controls] input[value=water]")
    # The form, as axe-core judges it on the small screen.
    assert problems_on(phone, AXE.read_text(), width_limit=360) == []

    # Every part in turn, to the last, which sends the answers.
    for _part in range(20):
        answer_what_is_shown(phone)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        if phone.locator("button[value=submit]").count():
            phone.click("button[value=submit]")
            break
        phone.click("button[value=next]")
        phone.wait_for_selector(".messages")
        assert phone.locator(".errors").count() == 0, phone.locator(".errors").inner_text()
    phone.wait_for_selector(".messages")
    assert "已发送" in phone.locator(".messages").inner_text(), phone.locator("main").inner_text()
    submission = Submission.objects.get()
    assert submission.status == "submitted"
    answers = {a.question.name: a.value for a in submission.answers.select_related("question")}
    assert answers["workers_total"] == "85"
    assert "dry_cutting" in answers["processes"]
    assert "water" in answers["dust_controls"]
    # Sent, the answers are there to read, no longer a form to change.
    assert phone.locator(".status").inner_text() == "已提交"
    assert phone.locator("button[name=action]").count() == 0

"""A worker files a grievance from WeChat's built-in browser on a 360 px Android phone, follows
it with the receipt code, and answers the question the factory's committee asks on its own case
page.

Only an emulated WeChat browser is driven here (its user agent and viewport in Chromium); real
phones were not checked.
"""

import pytest
from django.core.cache import cache

from stonebridge.supplychain.services import facility_create
from stonebridge.voice.models import Case, Channel, Message, Sender, Sponsor

from .conftest import watch_policy
from .test_accessibility import AXE, problems_on
from .test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WECHAT_ANDROID = (
    "Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 "
    "MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 "
    "Weixin NetType/WIFI Language/zh_CN ABI/arm64"
)
WIDTH = 360


@pytest.fixture
def channel(buyer, owner, supplier_org):
    cache.clear()
    facility = facility_create(
        organisation=buyer, by=owner, kind="processor", name_zh="南安市水头鑫源石材厂"
    )
    made = Channel.objects.create(facility=facility, token="k7Qm2xPa", factory=supplier_org)
    Sponsor.objects.create(channel=made, organisation=buyer)
    return made


def wechat(browser, live_server, javascript=True):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": WIDTH, "height": 740},
        is_mobile=True,
        has_touch=True,
        user_agent=WECHAT_ANDROID,
        locale="zh-CN",
        java_script_enabled=javascript,
    )
    page = watch_policy(context.new_page())
    page.set_default_timeout(15000)
    return context, page


@pytest.fixture
def worker(browser, live_server):
    context, page = wechat(browser, live_server)
    yield page
    context.close()
    assert page.csp_violations == []


@pytest.fixture
def worker_without_javascript(browser, live_server):
    context, page = wechat(browser, live_server, javascript=False)
    yield page
    context.close()


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def test_a_worker_files_follows_and_answers_a_grievance(
    worker, channel, supplier_org, supplier_user, browser, live_server
):
    axe = AXE.read_text() if AXE.exists() else None
    worker.goto("/v/k7Qm2xPa/")
    assert "南安市水头鑫源石材厂" in worker.locator("main").inner_text()
    assert fits_the_screen(worker)
    if axe:
        assert problems_on(worker, axe, WIDTH) == []
    worker.get_by_label("加班太多，休息太少").check()
    worker.get_by_label("发生了什么事").fill("这个月每天干到晚上十点，星期天也要上班。")
    worker.get_by_label("工厂自己的员工申诉委员会").check()
    worker.get_by_role("button", name="发送").click()

    worker.wait_for_selector("text=请现在截屏保存。")
    number, secret = (code.strip() for code in worker.locator(".code").all_inner_texts())
    assert len(number) == 6
    assert [len(group) for group in secret.split()] == [4, 4, 4]
    assert "找不回" in worker.locator("main").inner_text()
    assert fits_the_screen(worker)
    if axe:
        assert problems_on(worker, axe, WIDTH) == []

    # The factory's committee reads the case on its own pages, in Chinese, and asks a question.
    case = Case.objects.get(number=number)
    committee = browser.new_context(base_url=live_server.url, locale="zh-CN")
    manager = committee.new_page()
    manager.set_default_timeout(15000)
    log_in(manager, supplier_user.email)
    manager.goto(f"/o/{supplier_org.slug}/voice/cases/")
    manager.get_by_role("link", name=f"#{number}").click()
    assert "这个月每天干到晚上十点" in manager.locator("main").inner_text()
    manager.get_by_role("button", name="告诉员工已收到").click()
    manager.get_by_label("给员工的消息").fill("谢谢您告诉我们。请问是哪个车间")
    manager.get_by_label("向员工提问").check()
    manager.get_by_role("button", name="发给员工").click()
    manager.wait_for_selector("text=谢谢您告诉我们。请问是哪个车间")
    committee.close()

    worker.get_by_role("link", name="看回复").click()
    worker.get_by_label("申诉编号（6 位数字）").fill(number)
    worker.get_by_label("查询码（12 位数字）").fill(secret)
    worker.get_by_role("button", name="查看").click()
    worker.wait_for_selector("text=请问是哪个车间")
    assert "请回答问题" in worker.locator("main").inner_text()
    assert fits_the_screen(worker)
    if axe:
        assert problems_on(worker, axe, WIDTH) == []

    worker.get_by_label("您的回复").fill("是大板车间。")
    worker.get_by_role("button", name="发送").click()
    worker.wait_for_selector("text=您的回复已发送。")
    assert "是大板车间。" in worker.locator("main").inner_text()
    assert Message.objects.filter(case=case, sender=Sender.WORKER).get().body == "是大板车间。"
    # Nothing was left on the phone that could say who opened which case.
    assert worker.context.cookies() == []


def test_the_agreement_to_send_abroad_appears_when_buyers_are_chosen(worker, channel):
    worker.goto("/v/k7Qm2xPa/")
    abroad = worker.get_by_label("我同意把我的申诉发到国外给他们看")
    assert not abroad.is_visible()
    worker.get_by_label("工厂自己的员工申诉委员会").check()
    assert not abroad.is_visible()
    worker.locator("input[name=route][value=buyers]").check()
    assert abroad.is_visible()
    # The contact boxes too: only for a worker who gives a name.
    phone_box = worker.get_by_label("电话或微信号")
    assert not phone_box.is_visible()
    worker.get_by_label("要，可以联系我").check()
    assert phone_box.is_visible()


def test_without_javascript_every_part_shows_and_the_form_still_works(
    worker_without_javascript, channel
):
    page = worker_without_javascript
    page.goto("/v/k7Qm2xPa/")
    assert page.get_by_label("我同意把我的申诉发到国外给他们看").is_visible()
    page.get_by_label("加班太多，休息太少").check()
    page.get_by_label("发生了什么事").fill("星期天也要上班。")
    page.locator("input[name=route][value=buyers]").check()
    page.get_by_label("我同意把我的申诉发到国外给他们看").check()
    page.get_by_role("button", name="发送").click()
    page.wait_for_selector("text=请现在截屏保存。")
    assert Case.objects.get().route == "buyers"

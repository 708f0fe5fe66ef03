"""On a 360 px phone every button, link and field in a page's main content is at least 44 px
tall, so a thumb hits the one it means (WCAG 2.5.5)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from stonebridge.engagement.services import disclosure, plans, relationships

from .test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# StoneBridge default, from WCAG 2.5.5 and the phone makers' guidance.
MIN_TAP_PX = 44

TOO_SMALL = """(minimum) => [...document.querySelectorAll(
    "main a, main button, main summary, main select, main input:not([type=hidden])"
    + ":not([type=checkbox]):not([type=radio])"
  )].map((element) => [element, element.getBoundingClientRect()])
  .filter(([element, box]) => box.width > 0 && box.height > 0 && box.height < minimum)
  .map(([element, box]) => `${element.tagName} “${element.textContent.trim().slice(0, 40)}” `
    + `${Math.round(box.height)} px`)"""


@pytest.fixture
def phone_360(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def engaged(buyer, owner, chain, supplier_org, supplier_user):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["processor"], supplier=supplier_org
    )
    relationship = relationships.sharing_answer(
        relationship=relationship, by=supplier_user, accept=True
    )
    plan = plans.plan_create(relationship=relationship, by=owner, programme="ohs_system")
    asked = disclosure.request_create(
        relationship=relationship,
        by=owner,
        kind="subcontractors",
        text="Please list your sub-contractors for carving.",
        due_on=timezone.localdate() + timedelta(days=14),
    )
    return relationship, plan, asked


def too_small(page, path):
    page.goto(path)
    page.wait_for_selector("main")
    found = [f"{path}: {found}" for found in page.evaluate(TOO_SMALL, MIN_TAP_PX)]
    # Nor is anything wider than the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    return found + ([f"{path}: {width} px wide"] if width > 360 else [])


def test_a_buyers_pages_have_tap_targets_a_thumb_hits(phone_360, engaged, owner, buyer):
    relationship, plan, _asked = engaged
    log_in(phone_360, owner.email)
    phone_360.wait_for_selector("h1")
    org = f"/o/{buyer.slug}"
    paths = [
        f"{org}/",
        f"{org}/engagement/",
        f"{org}/engagement/{relationship.pk}/",
        f"{org}/engagement/plans/{plan.pk}/",
        f"{org}/risks/",
        f"{org}/facilities/",
    ]
    assert [found for path in paths for found in too_small(phone_360, path)] == []


def test_a_suppliers_pages_have_tap_targets_a_thumb_hits(
    phone_360, engaged, supplier_user, supplier_org
):
    _relationship, plan, asked = engaged
    log_in(phone_360, supplier_user.email)
    phone_360.wait_for_selector("h1")
    workspace = f"/o/{supplier_org.slug}/workspace/"
    paths = [
        workspace,
        f"{workspace}plans/{plan.pk}/",
        f"{workspace}actions/{plan.actions.first().pk}/",
        f"{workspace}requests/{asked.pk}/",
    ]
    assert [found for path in paths for found in too_small(phone_360, path)] == []

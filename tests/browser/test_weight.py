"""What a supplier's phone downloads on a first visit to each page, and how soon the page can be
read on a slow link, with the static files served as in production: collected, named by their
hash and compressed, through WhiteNoise (the test server's own static handler would bypass it).
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from pytest_django.live_server_helper import LiveServer

from stonebridge.assessments.services import questionnaires, visits
from stonebridge.assessments.services.records import records_check_submit
from stonebridge.engagement.models import Measure
from stonebridge.engagement.services import disclosure, measures, plans, relationships

from ..assessments import records_data
from ..assessments.conftest import files as records_files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# StoneBridge defaults for a cheap phone on a poor connection: at most 150 KB over the wire
# (compressed, headers included) for a page on a first visit with an empty cache, and its main
# content readable within 5 s on a link of 400 ms latency and 50 KB/s.
BUDGET_BYTES = 150_000
READABLE_WITHIN_MS = 5_000
SLOW_LINK = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 50_000,
    "uploadThroughput": 50_000,
}
# A year or more: a hashed name never changes its content.
LONG_LIVED = 365 * 24 * 3600

# The moment the page's main content is laid out with its stylesheets applied, in ms since the
# navigation started; polled on every animation frame.
READABLE = """(selector) => {
  const main = document.querySelector(selector);
  const styled = [...document.querySelectorAll("link[rel=stylesheet]")].every((link) => link.sheet);
  return Boolean(main && styled && main.getBoundingClientRect().height > 0) && performance.now();
}"""


@pytest.fixture(scope="module")
def production_server(tmp_path_factory, django_db_setup):
    """A live server whose static files are collected with the production storage and served
    by WhiteNoise alone."""
    from stonebridge import settings as production

    collected = tmp_path_factory.mktemp("static")
    with override_settings(STORAGES=production.STORAGES, STATIC_ROOT=collected):
        call_command("collectstatic", interactive=False, verbosity=0)
        server = LiveServer("127.0.0.1", start=False)
        server.thread.static_handler = lambda application: application
        server.start()
        yield server
        server.stop()


@pytest.fixture
def supplier_pages(buyer, owner, chain, supplier_org, supplier_user):
    """Every page of a supplier's workspace, with what makes each one full: a code of conduct to
    acknowledge, a request, and a plan whose outcomes have readings to chart."""
    today = timezone.localdate()
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["processor"], supplier=supplier_org
    )
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    code = relationships.code_publish(
        organisation=buyer,
        by=owner,
        title="Supplier code of conduct",
        text_en="No forced labour. Hours within the legal caps.\n" * 40,
        text_zh="禁止强迫劳动。工时不超过法定上限。\n" * 40,
    )
    commitment = relationships.code_send(relationship=relationship, by=owner, code=code)
    plan = plans.plan_create(relationship=relationship, by=owner, programme="ohs_system")
    for measure in Measure.objects.filter(action__plan=plan, kind=Measure.Kind.OUTCOME):
        measures.measure_set_targets(
            measure=measure, by=owner, baseline=Decimal(12), target=Decimal(2)
        )
        for weeks_ago, value in ((12, 11), (8, 9), (4, 6), (0, 4)):
            measures.reading_record(
                measure=measure,
                by=owner,
                by_supplier=False,
                measured_on=today - timedelta(weeks=weeks_ago),
                value=Decimal(value),
            )
    asked = disclosure.request_create(
        relationship=relationship,
        by=owner,
        kind="subcontractors",
        text="Please list your sub-contractors for carving.",
        due_on=today + timedelta(days=14),
    )
    # StoneBridge's self-assessment, the longest questionnaire a supplier fills in.
    self_assessment = questionnaires.submission_start(
        organisation=supplier_org,
        buyer=buyer,
        version=questionnaires.questionnaire_load_shipped(),
        facilities=[relationship.facility],
        by=owner,
    )
    visit = visits.visit_create(
        organisation=buyer, by=owner, kind="announced", visit_on=today, sites=[relationship]
    )
    finding = visits.finding_record(
        visit=visit,
        by=owner,
        site=relationship,
        issue="OHS",
        severity="high",
        description="Two saws cut dry, without water or extraction.",
        description_zh="两台锯机干切，没有用水，也没有吸尘。",
    )
    check = records_check_submit(
        relationship=relationship,
        by=owner,
        by_supplier=False,
        period_start=records_data.MARCH[0],
        period_end=records_data.MARCH[-1],
        minimum_wage=Decimal(records_data.MINIMUM_WAGE),
        **records_files(),
    )
    workspace = f"/o/{supplier_org.slug}/workspace/"
    org = f"/o/{supplier_org.slug}/"
    whole_page = "main > :last-child"
    return {
        "workspace": (workspace, "#actions"),
        "plan": (f"{workspace}plans/{plan.pk}/", "table.actions"),
        "action": (f"{workspace}actions/{plan.actions.first().pk}/", whole_page),
        "request": (f"{workspace}requests/{asked.pk}/", whole_page),
        "code of conduct": (f"{workspace}code/{commitment.pk}/", whole_page),
        "disclose": (f"{workspace}{relationship.pk}/disclose/", whole_page),
        "workforce": (f"{workspace}{relationship.pk}/workforce/", whole_page),
        "upstream": (f"{workspace}{relationship.pk}/upstream/", whole_page),
        "questionnaires": (f"{workspace}questionnaires/", "#questionnaires"),
        "self-assessment": (f"{workspace}questionnaires/{self_assessment.pk}/", "#section"),
        "assessments": (f"{org}assessments/", whole_page),
        "findings": (f"{workspace}findings/", whole_page),
        "finding": (f"{workspace}findings/{finding.pk}/", whole_page),
        "records checks": (f"{org}records/", whole_page),
        "records check": (f"{org}records/{check.pk}/", whole_page),
        "overview": (f"/o/{supplier_org.slug}/", whole_page),
        "facilities": (f"/o/{supplier_org.slug}/facilities/", whole_page),
        "people": (f"/o/{supplier_org.slug}/members/", whole_page),
        "audit log": (f"/o/{supplier_org.slug}/audit/", whole_page),
        "notifications": ("/notifications/", whole_page),
        "account": ("/account/", whole_page),
    }


def max_age(cache_control: str) -> int:
    found = re.search(r"max-age=(\d+)", cache_control)
    return int(found.group(1)) if found else 0


def first_visit(browser, server, session, path, main):
    """Open a page once on a 360 px phone with an empty cache over the slow link: the bytes it
    transferred, when its main content became readable, and the static responses."""
    context = browser.new_context(
        base_url=server.url,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        locale="zh-CN",
    )
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": server.url}]
    )
    page = context.new_page()
    network = context.new_cdp_session(page)
    transferred: dict[str, int] = {}
    static: list[dict] = []
    network.on(
        "Network.loadingFinished",
        lambda event: transferred.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    network.on(
        "Network.responseReceived",
        lambda event: (
            static.append(event["response"]) if "/static/" in event["response"]["url"] else None
        ),
    )
    network.send("Network.enable")
    network.send("Network.emulateNetworkConditions", SLOW_LINK)
    page.goto(path, wait_until="commit")
    readable_ms = page.wait_for_function(READABLE, arg=main, timeout=60_000).json_value()
    page.wait_for_load_state("networkidle", timeout=60_000)
    context.close()
    return sum(transferred.values()), readable_ms, static


def test_every_supplier_page_is_light_and_readable_within_five_seconds_on_a_slow_link(
    browser, production_server, supplier_pages, supplier_user
):
    client = Client()
    client.force_login(supplier_user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    measured = {}
    served = []
    for name, (path, main) in supplier_pages.items():
        transferred, readable_ms, static = first_visit(
            browser, production_server, session, path, main
        )
        measured[name] = (transferred, round(readable_ms))
        served += static
    print("\npage: bytes transferred, ms until readable on the slow link")
    for name, (transferred, readable_ms) in measured.items():
        print(f"{name}: {transferred} B, {readable_ms} ms")
    too_heavy_or_slow = {
        name: figures
        for name, figures in measured.items()
        if figures[0] > BUDGET_BYTES or figures[1] > READABLE_WITHIN_MS
    }
    assert too_heavy_or_slow == {}
    # Every static file came compressed, under a hashed name cached for good.
    for response in served:
        headers = {key.lower(): value for key, value in response["headers"].items()}
        assert headers.get("content-encoding") in ("gzip", "br"), response["url"]
        cache = headers.get("cache-control", "")
        assert "immutable" in cache, response["url"]
        assert max_age(cache) >= LONG_LIVED, response["url"]

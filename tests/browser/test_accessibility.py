"""Every page meets WCAG 2.1 AA as axe-core judges it in Chromium, and can be used without sight
of the screen or a mouse.

The demo's pages are checked as its buyer sees them (in English) and as the suppliers it engages
see them (in Chinese, on a 360 px phone), with every collapsed section opened as a person finds
them after tapping each one. The pages come from the URL conf with ids from the demo's data: a
new page is checked without anyone listing it, and a page the demo cannot fill fails the test
until its parameter is named in NOT_PAGES.
"""

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.db.models import Count
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from stonebridge.accounts.models import Membership, Organisation, User
from stonebridge.accounts.services import api_token_create, invitation_create
from stonebridge.assessments.models import Dispute, Finding, HoursApproval, RecordsCheck, Visit
from stonebridge.assessments.models.questionnaires import Questionnaire, Submission
from stonebridge.assessments.services import questionnaire_editing as editing
from stonebridge.demo.voice import TOKEN as DEMO_CHANNEL
from stonebridge.downloads.models import Download
from stonebridge.engagement.models import (
    Action,
    CollectiveEngagement,
    Commitment,
    DueDateChange,
    Reading,
    Relationship,
    Request,
)
from stonebridge.engagement.services import measures, plans, relationships
from stonebridge.notifications.models import Notification
from stonebridge.reports.models import ReportJob
from stonebridge.risk.models import Evidence, RegisterExport
from stonebridge.supplychain.importing import import_start
from stonebridge.supplychain.models import Link
from stonebridge.voice.models import Case, Channel, CommitteeMember, Remedy, Sponsor, Survey

from ..conftest import PASSWORD
from .conftest import watch_policy
from .test_pages import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "stonebridge-demo"  # seed_demo prints it for everyone
BUYER = "owner@noordsteen.example"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# WCAG 2.1 A and AA, and axe's best practices on top.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}

# URL parameters the demo has no value for, of routes that are no page to look at.
NOT_PAGES = {
    "attachment_id": "a file to download",
    "share_id": "accepting a disclosed facility is a button's target",
    "entry_id": "putting back a change to a facility is a button's target",
    "file_id": "a file to download",
    "finding_file_id": "a file to download",
    "answer_id": "asking about an answer is a form's target",
    "follow_up_id": "replying to a follow-up is a form's target",
    "case_file_id": "a worker's photo or voice message to download",
}
# Pages met only on the way elsewhere: logging out, switching the language, the second step of
# a staff login, the API's own root.
PASSING_THROUGH = {"accounts:logout", "accounts:language", "accounts:login_verify", "api_root"}
ANONYMOUS = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:invitation",
}
WORKSPACE = ("engagement:workspace_", "assessments:workspace_")
WORKER_PAGES = {"voice:intake", "voice:case_public", "voice:survey_public", "voice:survey_thanks"}
PROVIDER = "assessments:provider_"
REDIRECTS = {301, 302, 303, 307, 308}


def walk(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield namespace + p.name, p


def page_routes():
    return sorted(
        (name, pattern)
        for name, pattern in walk(get_resolver().url_patterns)
        if not name.startswith(("admin:", "api:")) and name not in PASSING_THROUGH
    )


def url_for(name, pattern, values):
    values = values | values.get(name, {})
    kwargs = {key: values.get(key) for key in pattern.pattern.converters}
    if None in kwargs.values():
        return None
    return reverse(name, kwargs=kwargs)


# --- the demo's records, and the few it leaves out --------------------------------------------


def pk_of(queryset):
    return queryset.values_list("pk", flat=True).first()


def richest_action(actions):
    """The action with the most readings: its pages show measures, charts and proposals."""
    return actions.annotate(n=Count("measures__readings")).order_by("-n", "pk").first()


def buyer_values(buyer: Organisation) -> dict:
    action = richest_action(Action.objects.filter(plan__relationship__organisation=buyer))
    relationship = action.plan.relationship
    evidence = Evidence.objects.filter(organisation=buyer).order_by("pk").first()
    joint = CollectiveEngagement.objects.filter(participants__organisation=buyer).first()
    return {
        "org": buyer.slug,
        "collective_id": joint and joint.pk,
        "joint_action_id": joint and pk_of(joint.actions.order_by("pk")),
        "relationship_id": relationship.pk,
        "facility_id": relationship.facility_id,
        "plan_id": action.plan_id,
        "action_id": action.pk,
        "measure_id": pk_of(action.measures.annotate(n=Count("readings")).order_by("-n", "pk")),
        "reading_id": pk_of(Reading.objects.filter(measure__action=action)),
        "change_id": pk_of(DueDateChange.objects.filter(action__plan__relationship=relationship)),
        "link_id": pk_of(Link.objects.filter(organisation=buyer).order_by("pk")),
        "evidence_id": evidence.pk,
        "issue": evidence.issue_id,
        "membership_id": pk_of(Membership.objects.filter(organisation=buyer, role="viewer")),
        "notification_id": pk_of(Notification.objects.filter(organisation=buyer)),
        "import_id": pk_of(buyer.imports.all()),
        "invitation_id": pk_of(buyer.invitations.all()),
        "token_id": pk_of(User.objects.get(email=BUYER).api_tokens.all()),
        "questionnaire_id": pk_of(Questionnaire.objects.order_by("pk")),
        "submission_id": pk_of(Submission.objects.filter(buyer=buyer, submitted_at__isnull=False)),
        "fmt": "csv",
        "kind": "facilities",
        "ext": "csv",
        "check_id": pk_of(RecordsCheck.objects.filter(relationship__organisation=buyer)),
        "approval_id": pk_of(HoursApproval.objects.filter(relationship__organisation=buyer)),
        "visit_id": pk_of(Visit.objects.filter(organisation=buyer, findings__isnull=False)),
        "finding_id": pk_of(
            Finding.objects.filter(visit__organisation=buyer, disputes__isnull=False)
        ),
        "dispute_id": pk_of(Dispute.objects.filter(finding__visit__organisation=buyer)),
        "channel_id": Sponsor.objects.filter(organisation=buyer)
        .values_list("channel_id", flat=True)
        .first(),
        "channel_token": Sponsor.objects.filter(organisation=buyer)
        .values_list("channel__token", flat=True)
        .first(),
        "case_id": pk_of(Case.objects.filter(routings__organisation=buyer).order_by("pk")),
        "remedy_id": pk_of(Remedy.objects.filter(organisation=buyer).order_by("pk")),
        "survey_id": pk_of(Survey.objects.filter(organisation=buyer).order_by("pk")),
        "survey_token": Survey.objects.filter(organisation=buyer)
        .values_list("token", flat=True)
        .first(),
        # The annual report the demo wrote, and a step to write about.
        "job_id": pk_of(ReportJob.objects.filter(organisation=buyer)),
        "step": 2,
        # A large register's download, finished: its progress page and file.
        "export_id": RegisterExport.objects.get_or_create(
            organisation=buyer,
            created_by=User.objects.get(email=BUYER),
            fmt="csv",
            status="done",
            defaults={"content": b"facility;issue\n"},
        )[0].pk,
        # A long list's download, finished: its progress page and file.
        "download_id": Download.objects.get_or_create(
            organisation=buyer,
            created_by=User.objects.get(email=BUYER),
            listing="stonebridge.voice.exports.CASES",
            fmt="csv",
            status="done",
            defaults={"content": b"case;state\n", "title": "Grievance cases", "language": "en"},
        )[0].pk,
    }


def provider_values(provider: Organisation) -> dict:
    return {
        "org": provider.slug,
        "visit_id": pk_of(Visit.objects.filter(provider=provider, findings__isnull=False)),
    }


def supplier_values(supplier: Organisation) -> dict:
    engaged = Relationship.objects.filter(supplier=supplier)
    action = richest_action(Action.objects.filter(plan__relationship__in=engaged))
    return {
        "org": supplier.slug,
        "relationship_id": pk_of(engaged.order_by("pk")),
        "commitment_id": pk_of(Commitment.objects.filter(relationship__in=engaged)),
        "plan_id": action and action.plan_id,
        "action_id": action and action.pk,
        "measure_id": action and pk_of(action.measures.filter(kind="outcome").order_by("pk")),
        "request_id": pk_of(Request.objects.filter(relationship__in=engaged)),
        "check_id": pk_of(RecordsCheck.objects.filter(relationship__in=engaged)),
        "approval_id": pk_of(HoursApproval.objects.filter(relationship__in=engaged)),
        "submission_id": pk_of(Submission.objects.filter(organisation=supplier).order_by("pk")),
        "finding_id": pk_of(Finding.objects.filter(relationship__in=engaged).order_by("pk")),
        "case_id": pk_of(Case.objects.filter(routings__organisation=supplier).order_by("pk")),
        "member_id": pk_of(CommitteeMember.objects.filter(procedure__organisation=supplier)),
        "remedy_id": pk_of(Remedy.objects.filter(relationship__in=engaged).order_by("pk")),
        "fmt": "csv",
    }


def anonymous_values(buyer: Organisation) -> dict:
    owner = User.objects.get(email=BUYER)
    _, invitation = invitation_create(
        organisation=buyer, email="newcomer@noordsteen.example", role="viewer", by=owner
    )
    return {
        "token": invitation,
        "uidb64": urlsafe_base64_encode(force_bytes(owner.pk)),
        # Both pages call their secret "token".
        "accounts:password_reset_confirm": {"token": default_token_generator.make_token(owner)},
    }


@pytest.fixture
def demo(transactional_db):
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: `npm ci` installs axe-core")
    call_command("seed_demo", stdout=io.StringIO())
    buyer = Organisation.objects.get(slug="noordsteen")
    # What the demo leaves out: an API token and an imported supplier list.
    owner = User.objects.get(email=BUYER)
    api_token_create(user=owner, name="ERP")
    import_start(
        organisation=buyer,
        by=owner,
        data="kind,name_zh\nquarry,莱州市某石场\n".encode(),
        filename="quarries.csv",
        kind="facilities",
    )
    return buyer


# --- what is checked on each page ---------------------------------------------------------------

OPEN_EVERYTHING = "document.querySelectorAll('details').forEach((d) => { d.open = true; })"
# What axe-core 4 no longer judges: ids used twice, and references to ids that are not there
# (a help text or an error a field says describes it); and what it cannot know: a chart's
# numbers, which must be readable as text beside it (a table, or a list marked as its numbers).
OWN_CHECKS = """() => {
  const problems = [];
  const counts = new Map();
  document.querySelectorAll("[id]").forEach((e) => counts.set(e.id, (counts.get(e.id) || 0) + 1));
  counts.forEach((n, id) => { if (n > 1) problems.push(`the id ${id} is on ${n} elements`); });
  for (const attribute of ["aria-describedby", "aria-labelledby", "aria-controls", "for"]) {
    document.querySelectorAll(`[${attribute}]`).forEach((e) => {
      for (const id of e.getAttribute(attribute).split(" ").filter(Boolean)) {
        if (!document.getElementById(id)) problems.push(`${attribute} names the missing id ${id}`);
      }
    });
  }
  document.querySelectorAll(".chart, .outcome-chart").forEach((chart) => {
    const numbers = chart.parentElement.querySelector("table, .chart-numbers");
    if (!numbers) problems.push("a chart without its numbers");
  });
  return problems;
}"""
# Two routes showing the same page (a form's target answers GET with the page the form is on)
# are checked once: the page's elements, their ids and classes, say which page it is.
SHAPE = """() => [...document.body.querySelectorAll("*")]
  .map((e) => `${e.tagName}#${e.id}.${e.className}`).join(" ")"""


def problems_on(page, axe_source, width_limit=None):
    """axe-core's violations on the page with every collapsed section open, ids used twice or
    missing, charts without their numbers, and whether the page is wider than the screen."""
    page.evaluate(OPEN_EVERYTHING)
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(axe_source)
    result = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in result["violations"]
    ]
    found += page.evaluate(OWN_CHECKS)
    if width_limit:
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > width_limit:
            found.append(f"the page is {width} px wide on a {width_limit} px screen")
    return found


def is_page(response):
    """A whole HTML page, not a file or a fragment htmx asks for."""
    text = response.text().lstrip()[:15].lower()
    return "text/html" in response.headers["content-type"] and text.startswith("<!doctype")


class Crawl:
    """Visits pages as one persona after another and keeps what it found on each."""

    def __init__(self, browser, base_url):
        self.browser, self.base_url = browser, base_url
        self.axe_source = AXE.read_text()
        self.checked: set[str] = set()
        self.not_pages: set[str] = set()
        self.problems: list[str] = []

    def visit(self, routes, values, *, email=None, language="en", viewport=DESKTOP):
        locale = "en-GB" if language == "en" else "zh-CN"
        context = self.browser.new_context(base_url=self.base_url, viewport=viewport, locale=locale)
        page = watch_policy(context.new_page())
        page.set_default_timeout(15000)
        if email:
            User.objects.filter(email=email).update(language=language)
            page.goto("/accounts/login/")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        width_limit = viewport["width"] if viewport == PHONE else None
        shapes = set()
        for name, pattern in routes:
            url = url_for(name, pattern, values)
            if url is None:
                continue
            # Asked without the page first: a download would not open in it.
            response = context.request.get(url, max_redirects=0)
            if response.status == 405 or not (response.status in REDIRECTS or is_page(response)):
                self.not_pages.add(name)
                continue
            if not page.goto(url).ok:
                continue
            self.checked.add(name)
            shape = page.evaluate(SHAPE)
            if shape in shapes:
                continue
            shapes.add(shape)
            for problem in problems_on(page, self.axe_source, width_limit):
                self.problems.append(f"{email or 'anonymous'} {page.url}: {problem}")
        context.close()
        assert page.csp_violations == []


EDITOR = {"assessments:questionnaire_edit", "assessments:questionnaire_remove"}


def test_every_page_of_both_demos_has_no_accessibility_violation(browser, live_server, demo):
    crawl = Crawl(browser, live_server.url)
    routes = page_routes()
    crawl.visit([r for r in routes if r[0] in ANONYMOUS], anonymous_values(demo))
    personal = [r for r in routes if r[0] not in ANONYMOUS and "org" not in r[1].pattern.converters]
    organisation = [r for r in routes if "org" in r[1].pattern.converters]
    crawl.visit(personal + organisation, buyer_values(demo), email=BUYER)
    # The worker pages, as a worker without an account opens them on a phone.
    crawl.visit(
        [r for r in routes if r[0] in WORKER_PAGES],
        buyer_values(demo),
        language="zh-hans",
        viewport=PHONE,
    )
    # The editor opens on the buyer's own draft (removing, asked for nothing, returns to it).
    draft = editing.questionnaire_create(owner=demo, by=None, title_en="Axe draft")
    section = editing.section_add(version=draft, by=None, label_en="Dust", label_zh="粉尘")
    editing.question_add(
        section=section, by=None, name="dust", kind="text", label_en="Dust?", label_zh="有粉尘吗"
    )
    crawl.visit(
        [r for r in organisation if r[0] in EDITOR],
        {**buyer_values(demo), "questionnaire_id": draft.questionnaire_id},
        email=BUYER,
    )
    # The auditors the demo buyer sends, in Chinese, on their assignment pages.
    provider = Organisation.objects.get(kind=Organisation.Kind.SERVICE_PROVIDER)
    crawl.visit(
        [r for r in organisation if r[0].startswith(PROVIDER)],
        provider_values(provider),
        email=provider.memberships.get(role="owner").user.email,
        language="zh-hans",
    )
    # The covenant's secretariat, on its view of the members.
    covenant = Organisation.objects.get(kind=Organisation.Kind.COVENANT)
    crawl.visit(
        [r for r in organisation if r[0].startswith("reports:covenant_")],
        {"org": covenant.slug},
        email=covenant.memberships.get(role="owner").user.email,
    )
    # The suppliers the demo buyer engages, on a phone: every page of the first, the workspace
    # of the others, whose records differ.
    suppliers = Organisation.objects.filter(shared_relationships__organisation=demo)
    workspace = [r for r in organisation if r[0].startswith(WORKSPACE)]
    for n, supplier in enumerate(suppliers.distinct().order_by("slug")):
        crawl.visit(
            workspace if n else personal + organisation,
            supplier_values(supplier),
            email=supplier.memberships.get(role="owner").user.email,
            language="zh-hans",
            viewport=PHONE,
        )
    # The factory that runs the demo channel's grievance committee, on its worker-voice pages.
    factory = Channel.objects.get(token=DEMO_CHANNEL).factory
    crawl.visit(
        [r for r in organisation if r[0].startswith("voice:")],
        supplier_values(factory),
        email=factory.memberships.get(role="owner").user.email,
        language="zh-hans",
        viewport=PHONE,
    )
    assert crawl.problems == []
    unchecked = {
        name
        for name, pattern in routes
        if name not in crawl.checked | crawl.not_pages
        and not set(pattern.pattern.converters) & set(NOT_PAGES)
    }
    assert unchecked == set()


# --- a keyboard and a screen reader -------------------------------------------------------------


@pytest.fixture
def shared_action(owner, buyer, chain, supplier_org, supplier_user):
    """An action of a plan the supplier accepted, measured by the dust its workers breathe."""
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["processor"], supplier=supplier_org
    )
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    plan = plans.plan_create(relationship=relationship, by=owner, title="Dust control")
    action = plans.action_create(
        plan=plan,
        by=owner,
        title="Install wet cutting",
        title_zh="安装湿法切割",
        issue="OHS",
        due_on=date.today() + timedelta(days=30),
    )
    dust = measures.measure_add(
        action=action, by=owner, kind="outcome", indicator="respirable_dust"
    )
    measures.measure_set_targets(
        measure=dust, by=owner, baseline=Decimal("1.6"), target=Decimal("0.5")
    )
    for day, value in ((5, "1.2"), (40, "0.85")):
        measures.reading_record(
            measure=dust,
            by=supplier_user,
            by_supplier=True,
            measured_on=date(2026, 1, 1) + timedelta(days=day),
            value=Decimal(value),
        )
    return action


def test_the_first_tab_stop_skips_to_the_content(phone, supplier_user, supplier_org, shared_action):
    log_in(phone, supplier_user.email)
    phone.goto(f"/o/{supplier_org.slug}/workspace/")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent") == "跳到正文"
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == "content"
    # The next stop is the content's first link, not the header's.
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement === document.querySelector('#content a[href]')")
    assert phone.evaluate("document.activeElement.closest('header')") is None


def test_after_a_failed_submit_the_focus_is_on_the_first_error(
    phone, supplier_user, supplier_org, shared_action
):
    log_in(phone, supplier_user.email)
    phone.goto(f"/o/{supplier_org.slug}/workspace/actions/{shared_action.pk}/")
    phone.click("#due-date summary")
    phone.fill("#due-date input[name=proposed_due_on]", "2020-01-06")
    phone.fill("#due-date textarea[name=reason]", "切割机晚到了。")
    phone.click("#due-date button")
    phone.wait_for_load_state()
    # The form comes back open, the date to correct has the focus and is described by its error.
    assert phone.evaluate("document.activeElement.name") == "proposed_due_on"
    description = phone.evaluate(
        "document.getElementById(document.activeElement.getAttribute('aria-describedby'))"
        ".textContent"
    )
    assert "今天" in description
    assert problems_on(phone, AXE.read_text(), width_limit=390) == []


def test_a_refused_login_puts_the_focus_on_why(page, owner):
    page.goto("/accounts/login/")
    page.fill("input[name=email]", owner.email)
    page.fill("input[name=password]", PASSWORD + "-wrong")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.matches('.errors[role=alert]')")


def test_an_outcome_chart_has_its_numbers_beside_it(
    phone, supplier_user, supplier_org, shared_action
):
    log_in(phone, supplier_user.email)
    phone.goto(f"/o/{supplier_org.slug}/workspace/plans/{shared_action.plan_id}/")
    card = phone.locator("#outcome-charts .card").first
    card.locator("summary").click()
    rows = [row.split("\t") for row in card.locator("tbody").inner_text().splitlines()]
    # Baseline, the readings (not yet confirmed by the buyer), target: as the chart draws them.
    unconfirmed = "已报告，待确认"
    assert [row[1] for row in rows] == [
        "1.60",
        f"1.20 {unconfirmed}",
        f"0.85 {unconfirmed}",
        "0.50",
    ]
    assert [row[0] for row in rows[1:3]] == ["2026年1月6日", "2026年2月10日"]

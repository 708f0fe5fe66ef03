"""Every page of the Chinese demo reads in Chinese.

The demo is seeded with every person reading Chinese (`seed_demo --language zh-hans`); each
person logs in and opens every page of the URL conf, with every id of the demo the page takes
(the owner of an organisation opens them all, the others one of each). On each page's text, and
on what a screen reader or a tooltip says (`title`, `aria-label`, `placeholder`, `alt`), no
English word may stand outside an allow-list: names (of organisations, people, facilities,
places, time zones), units and codes (CSV, API, EUR, CN, a credit code). What people wrote
stays as they wrote it: templates mark it with its language (`<span lang="en">`, see
`stonebridge/display.py`), which tells a screen reader how to read it, and the scan leaves
those parts out. Dates read "2026年11月30日", never "2026-11-30" or "11/30/2026", no number
ends in ".00", and Chinese takes full-width punctuation ("原因：", not "原因:").
"""

import re
import zoneinfo
from collections import defaultdict
from html.parser import HTMLParser
from itertools import product

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stonebridge.accounts.models import Membership, Organisation, Role, User
from stonebridge.assessments import models as assessments
from stonebridge.assessments.models import HoursApproval, RecordsCheck, questionnaires
from stonebridge.downloads.models import Download
from stonebridge.engagement import models as engagement
from stonebridge.notifications.models import Notification
from stonebridge.reports.models import ReportJob
from stonebridge.risk import models as risk
from stonebridge.supplychain import models as supplychain
from stonebridge.voice import models as voice

# Codes and product names a Chinese page writes in Latin letters, and Latin units.
CODES = {
    "StoneBridge", "API", "CSV", "XLSX", "PDF", "JPEG", "PNG", "Excel", "Word", "Office", "ERP",
    "ISO", "UTF-8", "GB18030", "MB", "Open", "Supply", "Hub", "ID", "NUL", "ref", "confirm_new",
    "Google", "Microsoft", "Authenticator", "FreeOTP", "English", "m²", "m³", "mg", "ILO",
    # Organisations whose reports the reference data cites by name.
    "SwedWatch", "SOMO", "IHLO", "ITUC",
    # The currency code a remedy's amount is given in.
    "CNY",
    # The parts of the UN Guiding Principles Reporting Framework the annual report maps to.
    "A1", "A2", "B1", "B2", "C2", "C3", "C4", "C5", "C6",
}  # fmt: skip
WORD = re.compile("[A-Za-z][A-Za-z0-9_²³'\u2019.\\-]*[A-Za-z0-9²³]|[A-Za-z]")
EMAIL_OR_ADDRESS = re.compile(
    r"[\w.+-]+@[\w-]+(\.[\w-]+)+|https?://[\w./?=&%#-]+|\b[\w-]+\.(cn|com|org|net)\b|/[a-z][\w/.-]*"
)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
ZEROS = re.compile(r"\b\d+\.00\b")
HANZI = "\u3400-\u4dbf\u4e00-\u9fff"
HALF_WIDTH = re.compile(f"[{HANZI}][,:;?!(]|[)][{HANZI}]")
# Pages that are no page to read: downloads, and what only changes something.
SKIPPED_PARAMETERS = {"fmt", "ext", "attachment_id", "file_id", "finding_file_id"}


class VisibleText(HTMLParser):
    """The text a person sees or hears, without what people wrote and what is machine text."""

    HIDDEN = {"head", "script", "style", "textarea", "code"}
    VOID = {"area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"}
    SPOKEN = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden_stack: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        language = attributes.get("lang") or ""
        hidden = tag in self.HIDDEN or (bool(language) and not language.lower().startswith("zh"))
        if not any(self.hidden_stack) and not hidden:
            self.parts += [attributes[name] or "" for name in self.SPOKEN if name in attributes]
        if tag not in self.VOID:
            self.hidden_stack.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.hidden_stack:
            self.hidden_stack.pop()

    def handle_data(self, data: str) -> None:
        if not any(self.hidden_stack):
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def names() -> re.Pattern[str]:
    """Every name the demo holds: taken out of a page before its words are read."""
    zones = zoneinfo.available_timezones()
    # A time zone by its name and by its place's ("Europe/Isle_of_Man", "Isle of Man").
    found = zones | {zone.rpartition("/")[2].replace("_", " ") for zone in zones}
    for values in (
        Organisation.objects.values_list("name", "city", "country", "slug"),
        User.objects.values_list("name"),
        supplychain.Facility.objects.values_list("name_en", "country", "credit_code", "os_hub_id"),
        supplychain.Link.objects.values_list("origin_country"),
        supplychain.Sourcing.objects.values_list("currency"),
        engagement.Support.objects.values_list("currency"),
        engagement.Order.objects.values_list("currency"),
        risk.Baseline.objects.values_list("country"),
    ):
        for row in values:
            found |= {str(value).strip() for value in row if value}
    for aliases in supplychain.Facility.objects.values_list("aliases", flat=True):
        found |= set(aliases)
    return any_of(found)


def any_of(names: set[str]) -> re.Pattern[str]:
    """Any of these names, whole: never from inside a word ("EG" from "JPEG"), longest first."""
    longest_first = sorted((name for name in names if name), key=len, reverse=True)
    alternatives = "|".join(re.escape(name) for name in longest_first)
    return re.compile(f"(?<![A-Za-z])(?:{alternatives})(?![A-Za-z])")


def latin_words(text: str, known: re.Pattern[str]) -> list[str]:
    text = known.sub(" ", EMAIL_OR_ADDRESS.sub(" ", text))
    return [word for word in WORD.findall(text) if word not in CODES]


def misprints(text: str) -> list[str]:
    found = ISO_DATE.findall(text) + US_DATE.findall(text) + ZEROS.findall(text)
    return found + HALF_WIDTH.findall(text)


def walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern


def ids(model, **filters) -> list[int]:
    return list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True))


def demo_values(user: User, organisation: Organisation | None) -> dict[str, list]:
    """The ids of the demo each URL parameter takes; a page outside the person's reach answers
    404 and is left out."""
    return {
        "relationship_id": ids(engagement.Relationship),
        "collective_id": ids(engagement.CollectiveEngagement),
        "joint_action_id": ids(engagement.JointAction),
        "plan_id": ids(engagement.Plan),
        "action_id": ids(engagement.Action),
        "measure_id": ids(engagement.Measure),
        "reading_id": ids(engagement.Reading),
        "change_id": ids(engagement.DueDateChange),
        "request_id": ids(engagement.Request),
        "commitment_id": ids(engagement.Commitment),
        "visit_id": ids(assessments.Visit),
        "finding_id": ids(assessments.Finding),
        "dispute_id": ids(assessments.Dispute),
        "facility_id": ids(supplychain.Facility),
        "link_id": ids(supplychain.Link, organisation=organisation),
        "import_id": ids(supplychain.ImportJob, organisation=organisation),
        "evidence_id": ids(risk.Evidence, organisation=organisation),
        "notification_id": ids(Notification, user=user),
        "check_id": ids(RecordsCheck),
        "approval_id": ids(HoursApproval),
        "membership_id": ids(Membership, organisation=organisation),
        "questionnaire_id": ids(questionnaires.Questionnaire),
        "submission_id": ids(questionnaires.Submission),
        "member_id": ids(voice.CommitteeMember),
        "remedy_id": ids(voice.Remedy),
        "export_id": ids(risk.RegisterExport),
        "download_id": ids(Download, created_by=user),
        "job_id": ids(ReportJob),
        "step": [1, 2, 3, 4, 5, 6],
        "case_id": ids(voice.Case),
        "case_file_id": ids(voice.Attachment),
        "channel_id": ids(voice.Channel),
        "channel_token": list(voice.Channel.objects.values_list("token", flat=True)),
        "survey_id": ids(voice.Survey),
        "survey_token": list(voice.Survey.objects.values_list("token", flat=True)),
        "answer_id": [],
        "follow_up_id": [],
        "invitation_id": [],
        "token_id": [],
        "share_id": [],
        "entry_id": [],
        "token": [],
        "uidb64": [],
    }


def urls(user: User | None):
    """Each route with the URLs of its pages for this person (anonymous: no organisation)."""
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    for name, pattern in walk(get_resolver().url_patterns):
        if name.startswith(("admin:", "api:")):
            continue
        keys = set(pattern.pattern.converters)
        if keys & SKIPPED_PARAMETERS:
            continue
        for membership in memberships if "org" in keys else [None]:
            organisation = membership.organisation if membership else None
            values = demo_values(user, organisation)
            org = {"org": organisation.slug} if organisation else {}
            if "issue" in keys:
                scores = risk.Score.objects.filter(organisation=organisation)
                combinations = [
                    {"facility_id": facility, "issue": issue}
                    for facility, issue in scores.values_list("facility_id", "issue_id")
                ]
            else:
                others = sorted(keys - {"org"})
                combinations = [
                    dict(zip(others, chosen, strict=True))
                    for chosen in product(*(values[key] for key in others))
                ]
            yield name, [reverse(name, kwargs={**org, **kwargs}) for kwargs in combinations]


def read(client: Client, urls_of_a_route: list[str], every_id: bool):
    for url in urls_of_a_route:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            yield response.content.decode()
            if not every_id:
                return


@pytest.fixture
def chinese_demo(db):
    call_command("seed_demo", language="zh-hans", stdout=None)


def test_the_scan_finds_english_outside_names_units_and_codes():
    page = (
        '<html><head><title>Plan</title></head><body><h1 title="Due soon">计划</h1>'
        '<p>厂矿（CSV）· 12 m³ · <span lang="en">Wet cutting</span> · Anna de Vries</p>'
        "<code>TIWOXVDQ</code><p>Save 2026-11-30 52.00 JPEG 原因: 无</p></body></html>"
    )
    text = visible_text(page)
    assert latin_words(text, any_of({"Anna de Vries", "EG"})) == ["Due", "soon", "Save"]
    assert misprints(text) == ["2026-11-30", "52.00", "因:"]


def test_every_page_of_the_chinese_demo_reads_in_chinese(chinese_demo):
    known = names()
    found: dict[str, set[str]] = defaultdict(set)
    pages = 0
    people = [None, *User.objects.filter(is_staff=False).order_by("email")]
    for user in people:
        owner = Membership.objects.filter(user=user, role=Role.OWNER).exists()
        client = Client()
        if user is None:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        else:
            client.force_login(user)
        for name, route_urls in urls(user):
            for html in read(client, route_urls, every_id=owner):
                pages += 1
                text = visible_text(html)
                for word in latin_words(text, known) + misprints(text):
                    found[word].add(name)
    assert pages > 300
    assert {word: sorted(routes) for word, routes in found.items()} == {}

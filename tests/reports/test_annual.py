"""The annual due-diligence report: both editions in both languages, as PDF and XLSX, from the
page, the API and the command line; only the organisation's members download it."""

import re
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from stonebridge.accounts.models import Organisation
from stonebridge.engagement.services import measures, plans, relationships, support
from stonebridge.reports import annual, pdf, services, svg
from stonebridge.reports.models import ReportJob
from stonebridge.risk.models import Score
from stonebridge.supplychain.services import facility_create
from stonebridge.voice.models import Channel, Sponsor
from stonebridge.voice.services import remedies
from stonebridge.voice.services.intake import case_submit

from ..conftest import OrganisationFactory, client_for

SUPPLIER_NAME = "Xiamen Haichen Stone Co., Ltd."
SUPPLIER_NAME_ZH = "厦门海辰石业有限公司"
TODAY = date.today()
PERIOD = annual.period_containing(TODAY)


@pytest.fixture
def report_world(buyer, owner, supplier_org, supplier_user):
    """One supplier engaged on dust: a code, a plan with an outcome measured, support, a risk
    score, a grievance and a remedy, all in this calendar year."""
    facility = facility_create(
        organisation=buyer,
        by=owner,
        kind="processor",
        name_zh=SUPPLIER_NAME_ZH,
        name_en=SUPPLIER_NAME,
    )
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=facility, supplier=supplier_org
    )
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    code = relationships.code_publish(
        organisation=buyer, by=owner, title="Code", text_en="Contracts.", text_zh="合同。"
    )
    relationships.code_send(relationship=relationship, by=owner, code=code)
    plan = plans.plan_create(relationship=relationship, by=owner, title="Dust control")
    action = plans.action_create(
        plan=plan,
        by=owner,
        title="Install wet cutting",
        issue="OHS",
        due_on=TODAY + timedelta(days=30),
    )
    measure = measures.measure_add(
        action=action,
        by=owner,
        kind="outcome",
        indicator="respirable_dust",
        baseline=Decimal("2.4"),
        target=Decimal("0.7"),
    )
    measures.reading_record(
        measure=measure, by=owner, by_supplier=False, measured_on=TODAY, value=Decimal("0.9")
    )
    support.support_record(
        relationship=relationship,
        by=owner,
        kind="co_funding",
        description="Wet saws.",
        given_on=TODAY,
        amount=Decimal("4200"),
        currency="EUR",
    )
    Score.objects.create(
        organisation=buyer,
        facility=facility,
        issue_id="OHS",
        tier=1,
        severity=80,
        likelihood=70,
        priority=73.5,
        irremediable=True,
    )
    channel = Channel.objects.create(facility=facility, token="rEport1x", factory=supplier_org)
    Sponsor.objects.create(channel=channel, organisation=buyer)
    case_submit(
        channel=channel,
        topic="hours",
        description="加班太多。",
        route="buyers",
        consent_abroad=True,
    )
    remedies.remedy_open(
        organisation=buyer,
        by=owner,
        facility=facility,
        kind="back_pay",
        description="Back pay.",
        workers_covered=7,
        paid_by="supplier",
    )
    services.narrative_save(
        organisation=buyer,
        by=owner,
        period=PERIOD,
        step=3,
        text="We co-funded wet saws at our largest processor.",
    )
    return facility


def test_it_gathers_each_step_with_its_figures(report_world, buyer):
    report = annual.gather(buyer, PERIOD, "confidential")
    steps = {s.step: s for s in report.sections}
    assert [s.step for s in report.sections] == [1, 2, 3, 4, 5, 6]
    assert steps[1].figure("code_sent") == 1
    assert steps[2].figure("risks_scored") == 1
    assert steps[2].figure("irremediable_risks") == 1
    assert steps[3].figure("plans") == 1
    assert steps[3].figure("support_amount_EUR") == 4200.0
    assert steps[3].narrative.startswith("We co-funded")
    assert steps[4].figure("indicators_improved") == 1
    assert steps[6].figure("grievances") == 1
    assert steps[6].figure("workers_covered") == 7
    assert all(not s.empty for s in steps.values() if s.step != 5)


def test_each_step_says_plainly_when_it_has_no_data(buyer):
    report = annual.gather(buyer, PERIOD, "public")
    assert all(s.empty for s in report.sections)


def test_the_period_follows_the_covenant(buyer, owner):
    assert annual.default_period(buyer, date(2026, 12, 1)) == annual.Period(
        date(2025, 1, 1), date(2025, 12, 31)
    )
    covenant = OrganisationFactory(slug="cov", kind=Organisation.Kind.COVENANT)
    buyer.covenant = covenant
    buyer.save()
    services.reporting_period_set(covenant=covenant, by=None, starts_month=10)
    assert annual.default_period(buyer, date(2026, 12, 1)) == annual.Period(
        date(2025, 10, 1), date(2026, 9, 30)
    )
    assert annual.period_containing(date(2026, 9, 30), 10) == annual.Period(
        date(2025, 10, 1), date(2026, 9, 30)
    )


def _pdf_text(content: bytes) -> tuple[str, set[str]]:
    reader = PdfReader(BytesIO(content))
    fonts: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(f"{font.get('/BaseFont')}{'' if embedded else ' (not embedded)'}")
    return "\n".join(page.extract_text() for page in reader.pages), fonts


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("edition", ["confidential", "public"])
def test_the_pdf_reads_well(report_world, buyer, edition, language, tmp_path):
    content, name = services.render(buyer, PERIOD, edition=edition, language=language, fmt="pdf")
    assert name.endswith(f"{edition}-{language}.pdf")
    text, fonts = _pdf_text(content)
    assert fonts
    assert all("Noto" in f and "not embedded" not in f for f in fonts), fonts
    assert "\ufffd" not in text
    assert "4200" in text
    assert "73.5" in text
    assert "We co-funded wet saws" in text
    if language == "zh-hans":
        assert "年度尽职调查报告" in text
    if edition == "public":
        assert SUPPLIER_NAME not in text
        assert SUPPLIER_NAME_ZH not in text
    else:
        assert SUPPLIER_NAME in text or SUPPLIER_NAME_ZH in text
    # Every page renders to an image that is not blank.
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "install poppler-utils (make system-deps)"
    subprocess.run([pdftoppm, "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == len(PdfReader(BytesIO(content)).pages) >= 7
    assert all(p.stat().st_size > 2000 for p in pages)


@pytest.mark.parametrize("edition", ["confidential", "public"])
def test_the_workbook_holds_the_figures(report_world, buyer, edition):
    content, _name = services.render(buyer, PERIOD, edition=edition, language="zh-hans", fmt="xlsx")
    book = load_workbook(BytesIO(content))
    assert len(book.sheetnames) == 8  # cover, six steps, annex
    figures = {}
    for sheet in book.worksheets[1:7]:
        for row in sheet.iter_rows(values_only=True):
            if len(row) >= 3 and row[2]:
                figures[row[2]] = row[1]
    assert figures["support_amount_EUR"] == 4200
    assert figures["workers_covered"] == 7
    assert figures["risks_scored"] == 1
    cells = " ".join(
        str(c)
        for s in book.worksheets
        for r in s.iter_rows(values_only=True)
        for c in r
        if c is not None
    )
    assert (SUPPLIER_NAME_ZH in cells) == (edition == "confidential")


def test_the_command_writes_the_file(report_world, buyer, tmp_path):
    out = tmp_path / "report.xlsx"
    call_command(
        "report",
        "--organisation",
        buyer.slug,
        "--from",
        str(PERIOD.start),
        "--to",
        str(PERIOD.end),
        "--edition",
        "public",
        "--language",
        "en",
        "--format",
        "xlsx",
        "-o",
        str(out),
    )
    assert load_workbook(out).sheetnames[-1] == "Annex"


def test_the_page_writes_a_report_and_members_download_it(
    report_world, buyer, owner, viewer, other_buyer
):
    url = reverse("reports:annual", kwargs={"org": buyer.slug})
    page = client_for(viewer).get(url, {"from": PERIOD.start, "to": PERIOD.end})
    assert page.status_code == 200
    assert "We co-funded wet saws" in page.content.decode()
    response = client_for(owner).post(
        url,
        {
            "from": PERIOD.start,
            "to": PERIOD.end,
            "edition": "public",
            "language": "en",
            "fmt": "pdf",
        },
    )
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert job.status == "done"
    assert job.progress == 100
    status = client_for(viewer).get(
        reverse("reports:annual_job", kwargs={"org": buyer.slug, "job_id": job.pk})
    )
    assert "100" in status.content.decode()
    file_url = reverse("reports:annual_file", kwargs={"org": buyer.slug, "job_id": job.pk})
    download = client_for(viewer).get(file_url)
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    assert client_for(other_buyer).get(file_url).status_code == 404
    assert client_for(None).get(file_url).status_code == 302


def test_the_buyer_writes_a_narrative_per_step(report_world, buyer, owner, viewer):
    url = reverse("reports:annual_narrative", kwargs={"org": buyer.slug, "step": 6})
    query = f"?from={PERIOD.start}&to={PERIOD.end}"
    form = client_for(owner).get(url + query)
    assert form.status_code == 200
    assert "Grievances received in the period" in form.content.decode()
    client_for(owner).post(url + query, {"text": "Back pay paid in full."})
    report = annual.gather(buyer, PERIOD, "public")
    assert report.sections[5].narrative == "Back pay paid in full."
    assert client_for(viewer).post(url + query, {"text": "x"}).status_code == 403


def test_the_api_job_flow(report_world, buyer, owner, other_buyer):
    body = {
        "period_start": str(PERIOD.start),
        "period_end": str(PERIOD.end),
        "edition": "confidential",
        "language": "zh-hans",
        "format": "xlsx",
    }
    base = f"/api/organisations/{buyer.slug}/report-jobs"
    created = client_for(owner).post(base, body, content_type="application/json")
    assert created.status_code == 201, created.content
    job = created.json()
    assert job["status"] == "done"
    assert job["progress"] == 100
    status = client_for(owner).get(f"{base}/{job['id']}")
    assert status.json()["filename"].endswith(".xlsx")
    download = client_for(owner).get(f"{base}/{job['id']}/file")
    assert download.status_code == 200
    assert load_workbook(BytesIO(download.content)).sheetnames[-1] == "附录"
    assert client_for(other_buyer).get(f"{base}/{job['id']}").status_code == 404
    assert client_for(other_buyer).get(f"{base}/{job['id']}/file").status_code == 404
    assert (
        client_for(other_buyer).post(base, body, content_type="application/json").status_code == 404
    )


def test_the_covenant_sets_the_year_for_its_members(db, owner):
    from ..conftest import member

    covenant = OrganisationFactory(slug="cov", kind=Organisation.Kind.COVENANT)
    secretary = member(covenant)
    url = reverse("reports:reporting_period", kwargs={"org": covenant.slug})
    response = client_for(secretary).post(url, {"starts_month": 10, "starts_day": 1})
    assert response.status_code == 302
    assert covenant.reporting_period.starts_month == 10


# A whole number written from a float or a Decimal sum: "4200.0", "80.0", "4200.00".
FRACTION_OF_ZEROS = re.compile(r"(?<![\d.])\d+\.0+(?![\d])")
# What a reader sees of a page: no tags, no scripts (whose file names carry versions).
HIDDEN = re.compile(r"<script.*?</script>|<[^>]+>", re.DOTALL)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_numbers_read_as_people_write_them(report_world, buyer, owner, language):
    """4200, never 4200.0: on the report's pages, in its PDF and charts, in its workbook and on
    the dashboard."""
    owner.language = language
    owner.save(update_fields=["language"])
    client = client_for(owner)
    query = {"from": PERIOD.start, "to": PERIOD.end}
    pages = [
        client.get(reverse("reports:annual", args=[buyer.slug]), query),
        client.get(reverse("reports:annual_narrative", args=[buyer.slug, 3]), query),
        client.get(reverse("accounts:organisation", args=[buyer.slug])),
    ]
    texts = [HIDDEN.sub(" ", page.content.decode()) for page in pages]
    with translation.override(language):
        for edition in ("confidential", "public"):
            report = annual.gather(buyer, PERIOD, edition)
            texts.append(HIDDEN.sub(" ", pdf.html(report)))
            texts.extend(HIDDEN.sub(" ", svg.bar_chart(s.chart)) for s in report.sections)
    assert all("4200" in text for text in texts[:2] + texts[3:4])
    for text in texts:
        assert not FRACTION_OF_ZEROS.findall(text)
    content, _name = services.render(
        buyer, PERIOD, edition="confidential", language=language, fmt="xlsx"
    )
    cells = [
        cell
        for sheet in load_workbook(BytesIO(content)).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]
    assert 4200 in cells
    assert not [c for c in cells if isinstance(c, float) and c.is_integer()]
    assert not [c for c in cells if isinstance(c, str) and FRACTION_OF_ZEROS.search(c)]


def test_a_chart_writes_its_values_as_pages_do():
    drawn = svg.bar_chart([("Co-funding", 4200.0), ("Volume", 1234567.0), ("Share", 72.35)])
    assert ">4200<" in drawn
    assert ">1234567<" in drawn
    assert ">72.3<" in drawn or ">72.4<" in drawn
    assert "e+" not in drawn
    assert not FRACTION_OF_ZEROS.findall(HIDDEN.sub(" ", drawn))

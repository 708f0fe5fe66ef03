import math
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.template.defaultfilters import floatformat
from django.urls import reverse

from stonebridge.audit.models import Entry
from stonebridge.risk import queries, services
from stonebridge.risk.models import Evidence, Score
from stonebridge.supplychain import services as supplychain
from stonebridge.supplychain.models import Link, Sourcing

from ..conftest import client_for, member


def order(buyer, **filters):
    scores = Score.objects.filter(organisation=buyer, **filters).order_by(
        "-priority", "facility_id"
    )
    return [(s.facility.name_zh, s.issue_id) for s in scores.select_related("facility")]


def test_the_register_puts_the_dusty_workshop_with_youth_workers_above_the_long_hours(
    small_chain, buyer, owner
):
    """Silica dust without extraction and juveniles cutting stone are irremediable harm found by
    an audit; 66-hour weeks at the sawing plant are confirmed but can be put right. The sawing
    plant's baseline risk of crushed hands (cited level 5, remediable) comes next, then the
    exporter's Fujian silicosis baseline, then the irremediable but unevidenced forced-labour
    baseline (China, level 3)."""
    response = client_for(owner).get(reverse("risk:register", args=[buyer.slug]))
    assert response.status_code == 200
    rows = [(s.facility.name_zh, s.issue_id) for s in response.context["page"].object_list]
    assert rows[:6] == [
        ("惠安县崇武永兴雕刻厂", "OHS"),
        ("惠安县崇武永兴雕刻厂", "YOUTH"),
        ("南安市水头鑫源石材厂", "HOURS_WAGES"),
        ("南安市水头鑫源石材厂", "OHS"),
        ("厦门海辰石业有限公司", "OHS"),
        ("南安市水头鑫源石材厂", "FORCED_LABOUR"),
    ]
    assert len(order(buyer)) == 3 * 9


def test_risk_upstream_shows_at_the_direct_supplier_with_its_path_and_leverage(
    small_chain, buyer, owner
):
    workshop, exporter = small_chain["workshop"], small_chain["exporter"]
    score = Score.objects.for_register().get(organisation=buyer, facility=workshop, issue="OHS")
    assert (score.via_id, score.path_share, score.path_ids()) == (
        exporter.pk,
        pytest.approx(0.2),
        [workshop.pk, exporter.pk],
    )
    assert score.exposure == pytest.approx(score.priority * 0.2)
    response = client_for(owner).get(reverse("risk:register", args=[buyer.slug]))
    body = response.content.decode()
    assert '厦门海辰石业有限公司 <small class="muted">(20 %)</small>' in body
    assert "30 %" in body  # the buyer buys 30 % of the exporter's output
    # Sorted by exposure, the plant that carries 80 % of the exporter's input comes first.
    response = client_for(owner).get(
        reverse("risk:register", args=[buyer.slug]), {"sort": "exposure"}
    )
    first = response.context["page"].object_list[0]
    assert (first.facility_id, first.issue_id) == (small_chain["plant"].pk, "HOURS_WAGES")


def test_why_this_score_lists_every_contribution_with_its_source(small_chain, buyer, owner):
    workshop = small_chain["workshop"]
    url = reverse("risk:explain", args=[buyer.slug, workshop.pk, "OHS"])
    response = client_for(owner).get(url)
    x = response.context["explained"]
    assert math.isclose(x.total, x.score.priority, abs_tol=1e-9)
    assert [line.contribution.kind for line in x.lines] == ["baseline", "finding"]
    baseline = x.lines[0].baseline
    assert baseline.year
    assert baseline.url.startswith("http")
    body = response.content.decode()
    assert baseline.source.replace('"', "&quot;") in body
    assert "StoneBridge default" in body
    assert "Dry cutting and polishing, no dust extraction." in body
    assert "惠安县崇武永兴雕刻厂 → 厦门海辰石业有限公司" in body


def test_the_explanation_is_in_chinese(small_chain, buyer, owner):
    owner.language = "zh-hans"
    owner.save()
    url = reverse("risk:explain", args=[buyer.slug, small_chain["workshop"].pk, "YOUTH"])
    body = client_for(owner).get(url).content.decode()
    assert "为什么是这个分数" in body
    assert "童工、未成年工与实习学生" in body
    assert "未成年工做危险工作" in body


def test_filters_narrow_the_register(small_chain, buyer, owner):
    url = reverse("risk:register", args=[buyer.slug])
    client = client_for(owner)
    page = client.get(url, {"issue": "YOUTH"}).context["page"]
    assert {s.issue_id for s in page.object_list} == {"YOUTH"}
    page = client.get(url, {"tier": 2, "irremediable": "on"}).context["page"]
    assert page.object_list
    assert all(s.tier == 2 and s.irremediable for s in page.object_list)
    response = client.get(url, {"province": "广东"}, HTTP_HX_REQUEST="true")
    assert "No risk matches these filters." in response.content.decode()


def test_a_new_finding_recomputes_that_facility_for_that_buyer_only(
    small_chain, buyer, owner, other_buyer_org
):
    plant, workshop = small_chain["plant"], small_chain["workshop"]
    other_owner = member(other_buyer_org)
    supplychain.sourcing_set(
        organisation=other_buyer_org, by=other_owner, facility=plant, annual_volume=10
    )
    theirs = Score.objects.get(organisation=other_buyer_org, facility=plant, issue="YOUTH")
    untouched = Score.objects.get(organisation=buyer, facility=workshop, issue="YOUTH")
    before = Score.objects.get(organisation=buyer, facility=plant, issue="YOUTH")
    services.evidence_record(
        organisation=buyer,
        by=owner,
        facility=plant,
        issue="YOUTH",
        indicator="YOUTH_CHILD",
        kind="finding",
        observed_on=date(2026, 11, 1),
        source_type="worker_interview",
        confidence="high",
        summary="A 15-year-old stacking slabs.",
    )
    after = Score.objects.get(organisation=buyer, facility=plant, issue="YOUTH")
    assert after.priority > before.priority
    assert after.irremediable
    # Evidence is the buyer's own: another buyer's view of the same plant does not move.
    assert (
        Score.objects.get(
            pk__isnull=False, organisation=other_buyer_org, facility=plant, issue="YOUTH"
        ).priority
        == theirs.priority
    )
    # Only that facility's rows were replaced.
    assert (
        Score.objects.get(organisation=buyer, facility=workshop, issue="YOUTH").pk == untouched.pk
    )


def test_a_registry_change_recomputes_every_buyer_holding_the_facility(
    small_chain, buyer, owner, other_buyer_org
):
    plant = small_chain["plant"]
    other_owner = member(other_buyer_org)
    supplychain.sourcing_set(
        organisation=other_buyer_org, by=other_owner, facility=plant, annual_volume=10
    )
    before = {
        s.organisation_id: s.priority for s in Score.objects.filter(facility=plant, issue="OHS")
    }
    supplychain.facility_update(
        facility=plant, organisation=buyer, by=owner, activities=["sawing", "flaming"]
    )
    after = {s.organisation_id: s for s in Score.objects.filter(facility=plant, issue="OHS")}
    for org in (buyer.pk, other_buyer_org.pk):
        assert after[org].priority > before[org]
        assert after[org].irremediable  # flaming: silica dust


def test_verified_remediation_lowers_the_score_and_keeps_the_record(small_chain, buyer, owner):
    plant = small_chain["plant"]
    before = Score.objects.get(organisation=buyer, facility=plant, issue="HOURS_WAGES").priority
    fixed = services.evidence_record(
        organisation=buyer,
        by=owner,
        facility=plant,
        issue="HOURS_WAGES",
        kind="remediation",
        observed_on=date(2026, 11, 20),
        source_type="document",
        summary="Second shift hired; time records show 48-hour weeks.",
    )
    after = Score.objects.get(organisation=buyer, facility=plant, issue="HOURS_WAGES").priority
    assert after < before
    url = reverse("risk:explain", args=[buyer.slug, plant.pk, "HOURS_WAGES"])
    kinds = [
        line.contribution.kind for line in client_for(owner).get(url).context["explained"].lines
    ]
    assert kinds == ["baseline", "finding", "remediation"]
    assert Evidence.objects.filter(facility=plant).count() == 2
    assert fixed.pk


def test_withdrawn_evidence_stops_counting_but_stays_on_record(small_chain, buyer, owner):
    workshop = small_chain["workshop"]
    evidence = Evidence.objects.get(facility=workshop, issue="YOUTH")
    before = Score.objects.get(organisation=buyer, facility=workshop, issue="YOUTH").priority
    url = reverse("risk:evidence_retract", args=[buyer.slug, evidence.pk])
    client = client_for(owner)
    assert "Withdraw only what was recorded by mistake" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert Evidence.objects.get(pk=evidence.pk).retracted_at is None
    response = client.post(url, {"reason": "Ages checked: both workers are 19."})
    assert response.status_code == 302
    after = Score.objects.get(organisation=buyer, facility=workshop, issue="YOUTH").priority
    assert after < before
    evidence.refresh_from_db()
    assert evidence.retraction_reason == "Ages checked: both workers are 19."
    entry = Entry.objects.order_by("-pk").first()
    assert entry.verb == "risk.evidence_retracted"


def test_recording_evidence_writes_one_audit_entry_and_bad_input_changes_nothing(
    small_chain, buyer, owner
):
    plant = small_chain["plant"]
    entries, evidence = Entry.objects.count(), Evidence.objects.count()
    values = {
        "organisation": buyer,
        "by": owner,
        "facility": plant,
        "issue": "HOURS_WAGES",
        "kind": "finding",
        "observed_on": date(2026, 11, 1),
        "source_type": "audit",
        "summary": "x",
    }
    bad = [
        ({"indicator": "OHS_SILICA"}, "indicator"),
        ({"observed_on": date.today() + timedelta(days=3)}, "observed_on"),
        ({"kind": "outcome"}, "improved"),
    ]
    for change, field in bad:
        with pytest.raises(ValidationError) as error:
            services.evidence_record(**{**values, **change})
        assert field in error.value.message_dict
    assert (Entry.objects.count(), Evidence.objects.count()) == (entries, evidence)
    services.evidence_record(**values)
    assert Entry.objects.count() == entries + 1
    assert Entry.objects.order_by("-pk").first().verb == "risk.evidence_recorded"


def test_the_facility_page_records_evidence_and_shows_the_profile(small_chain, buyer, editor):
    plant = small_chain["plant"]
    url = reverse("risk:facility", args=[buyer.slug, plant.pk])
    client = client_for(editor)
    response = client.get(url)
    assert len(response.context["profile"]) == 9
    response = client.post(
        url,
        {
            "kind": "finding",
            "issue": "CONTRACTS",
            "indicator": "OHS_CUTS",
            "observed_on": "2026-11-02",
            "source_type": "audit",
            "confidence": "high",
            "summary": "No contracts.",
            "improved": "unknown",
        },
    )
    assert response.status_code == 200
    assert "This indicator belongs to another issue." in response.content.decode()
    response = client.post(
        url,
        {
            "kind": "finding",
            "issue": "CONTRACTS",
            "indicator": "",
            "observed_on": "2026-11-02",
            "source_type": "audit",
            "confidence": "high",
            "summary": "Half the workers have no written contract.",
            "improved": "unknown",
        },
    )
    assert response.status_code == 302
    assert Evidence.objects.filter(facility=plant, issue="CONTRACTS").count() == 1


def test_a_viewer_cannot_record_evidence(small_chain, buyer, viewer):
    url = reverse("risk:facility", args=[buyer.slug, small_chain["plant"].pk])
    assert client_for(viewer).post(url, {"kind": "finding"}).status_code == 403


def test_recompute_risk_rebuilds_everything_or_one_buyer(small_chain, buyer):
    Score.objects.filter(organisation=buyer).delete()
    call_command("recompute_risk", "--organisation", buyer.slug)
    assert Score.objects.filter(organisation=buyer).count() == 27
    Score.objects.filter(organisation=buyer).delete()
    call_command("recompute_risk")
    assert Score.objects.filter(organisation=buyer).count() == 27
    with pytest.raises(Exception, match="No organisation"):
        call_command("recompute_risk", "--organisation", "nobody")


def test_removing_the_chain_removes_its_scores(small_chain, buyer, owner):
    sourcing = Sourcing.objects.get(organisation=buyer, facility=small_chain["exporter"])
    supplychain.sourcing_delete(sourcing=sourcing, by=owner)
    assert not Score.objects.filter(organisation=buyer).exists()


def test_the_heatmap_has_a_cell_per_tier_and_issue(small_chain, buyer, owner):
    response = client_for(owner).get(reverse("risk:register", args=[buyer.slug]))
    heatmap = response.context["heatmap"]
    assert heatmap["rows"] == ["1", "2"]
    assert len(heatmap["cells"]) == 18
    top = max(heatmap["cells"], key=lambda c: c[2])
    assert (heatmap["codes"][top[0]], heatmap["rows"][top[1]]) == ("OHS", "2")
    response = client_for(owner).get(
        reverse("risk:register", args=[buyer.slug]), {"rows": "cluster"}
    )
    assert response.context["heatmap"]["rows"] == ["福建省 厦门市", "福建省 泉州市"]


def test_the_heatmap_numbers_are_written_beside_it(small_chain, buyer, owner):
    response = client_for(owner).get(reverse("risk:register", args=[buyer.slug]))
    heatmap = response.context["heatmap"]
    issue, row, top, count = max(heatmap["cells"], key=lambda c: c[2])
    body = response.content.decode()
    table = body[body.index('<details class="numbers">') :]
    assert '<th scope="col">Tier 1</th><th scope="col">Tier 2</th>' in table
    # The highest cell, in its issue's row and its tier's column.
    cells = table.split(f'<th scope="row">{heatmap["issues"][issue]}</th>')[1].split("</tr>")[0]
    assert cells.split("</td>")[row].endswith(f"{floatformat(top, 0)} ({count})")


def test_a_recompute_rewrites_only_what_changed(small_chain, buyer, owner):
    def stored():
        return set(
            Score.objects.filter(organisation=buyer).values_list("facility_id", "issue_id", "pk")
        )

    before = stored()
    assert services.recompute_organisation(organisation=buyer) == 27
    assert stored() == before  # nothing changed, nothing was rewritten
    # The workshop leaves the chain: its scores go, the others stay as they were.
    link = Link.objects.get(organisation=buyer, supplier=small_chain["workshop"])
    supplychain.link_delete(link=link, by=owner)
    workshop = small_chain["workshop"].pk
    assert stored() == {row for row in before if row[0] != workshop}


def test_changing_where_blocks_come_from_rescores_the_chain(small_chain, buyer, owner):
    plant = small_chain["plant"]
    gap = supplychain.link_create(
        organisation=buyer,
        by=owner,
        customer=plant,
        supplier=None,
        kind="supplies_blocks",
        origin_country="IN",
    )

    def forced_labour():
        return Score.objects.get(organisation=buyer, facility=plant, issue="FORCED_LABOUR").priority

    from_india = forced_labour()
    supplychain.link_update(link=gap, by=owner, origin_country="BR")
    assert forced_labour() < from_india  # Brazil's cited level is lower than India's


def test_the_tier_filter_speaks_chinese(small_chain, buyer, owner):
    owner.language = "zh-hans"
    owner.save()
    body = client_for(owner).get(reverse("risk:register", args=[buyer.slug])).content.decode()
    assert "2级供应商" in body


def test_a_province_spelt_in_pinyin_finds_its_baseline(buyer, owner):
    facility = supplychain.facility_create(
        organisation=buyer, by=owner, kind="exporter", name_en="Fujian Trading", province="Fujian"
    )
    (ohs,) = queries.explain(buyer, facility, "OHS")
    assert ohs.lines[0].baseline.province == "福建省"


def test_a_chain_recompute_requested_before_the_last_one_is_skipped(small_chain, buyer):
    from datetime import timedelta

    from django.utils import timezone

    from stonebridge.risk.tasks import recompute_organisation

    earlier = (timezone.now() - timedelta(minutes=1)).isoformat()
    assert recompute_organisation.call(organisation_id=buyer.pk, requested_at=earlier) == 0
    later = (timezone.now() + timedelta(seconds=1)).isoformat()
    assert recompute_organisation.call(organisation_id=buyer.pk, requested_at=later) == 27


def test_the_register_downloads_as_a_workbook_with_its_sources(small_chain, buyer, owner):
    import io

    import openpyxl

    url = reverse("risk:register_export", args=[buyer.slug, "xlsx"])
    response = client_for(owner).get(url)
    assert response["Content-Disposition"] == 'attachment; filename="risk-register.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    register, sources = workbook.worksheets
    rows = list(register.iter_rows(values_only=True))
    assert rows[0][:5] == ("Priority", "Severity", "Likelihood", "Irremediable", "Issue")
    assert len(rows) == 1 + 27
    assert (rows[1][4], rows[1][5], rows[1][3]) == (
        "Occupational health and safety",
        "惠安县崇武永兴雕刻厂",
        "yes",
    )
    assert rows[1][0] == round(Score.objects.order_by("-priority").first().priority, 1)
    assert rows[1][12] == str(small_chain["exporter"])
    cited = list(sources.iter_rows(values_only=True))
    assert len(cited) == 1 + 45
    assert all(row[6] and row[8].startswith("http") for row in cited[1:])


def test_the_csv_download_keeps_the_filters(small_chain, buyer, owner):
    url = reverse("risk:register_export", args=[buyer.slug, "csv"])
    response = client_for(owner).get(url, {"issue": "YOUTH"})
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 1 + 3
    assert all('"Decent work for youth"' in line for line in lines[1:])
    assert (
        client_for(owner).get(reverse("risk:register_export", args=[buyer.slug, "pdf"])).status_code
        == 404
    )


def test_a_list_imported_by_another_buyer_that_fills_in_a_blank_does_not_move_the_score(
    small_chain, buyer, other_buyer_org
):
    from stonebridge.supplychain.importing import import_start

    plant = small_chain["plant"]
    before = Score.objects.get(organisation=buyer, facility=plant, issue="YOUTH").priority
    job = import_start(
        organisation=other_buyer_org,
        by=member(other_buyer_org),
        data="kind,name_zh,city,intern_share\nprocessor,南安市水头鑫源石材厂,泉州市,20%\n".encode(),
        filename="suppliers.csv",
        kind="facilities",
    )
    job.refresh_from_db()
    assert job.status == "done", job.errors or job.review
    plant.refresh_from_db()
    assert str(plant.intern_share) == "0.200"
    # Another buyer's figures are its own: the first buyer's youth risk for the plant stays.
    assert Score.objects.get(organisation=buyer, facility=plant, issue="YOUTH").priority == before


def test_the_direct_supplier_shows_the_risks_that_reach_you_through_it(small_chain, buyer, owner):
    exporter, plant, workshop = (small_chain[k] for k in ("exporter", "plant", "workshop"))
    response = client_for(owner).get(reverse("risk:facility", args=[buyer.slug, exporter.pk]))
    upstream = response.context["upstream"]
    assert {s.facility_id for s in upstream} == {plant.pk, workshop.pk}
    exposures = [s.exposure for s in upstream]
    assert exposures == sorted(exposures, reverse=True)
    # The plant carries 80 % of the exporter's input: its long hours outweigh the workshop's
    # youth risk once weighted, though the workshop's ranks higher on its own.
    first = upstream[0]
    assert (first.facility_id, first.issue_id) == (plant.pk, "HOURS_WAGES")
    assert "Risks upstream that reach you through this supplier" in response.content.decode()
    # The register narrows to what comes through one direct supplier.
    page = (
        client_for(owner)
        .get(reverse("risk:register", args=[buyer.slug]), {"via": exporter.pk})
        .context["page"]
    )
    assert len(page.object_list) == 27
    page = (
        client_for(owner)
        .get(reverse("risk:register", args=[buyer.slug]), {"via": workshop.pk})
        .context["page"]
    )
    assert len(page.object_list) == 27  # not a direct supplier: the filter is ignored


def test_a_full_width_formula_in_a_facility_name_downloads_inert(small_chain, buyer, owner):
    import csv
    import io

    import openpyxl

    from stonebridge.supplychain.models import Facility

    formula = '\uff1dHYPERLINK("https://evil.example","Click")'
    Facility.objects.filter(pk=small_chain["workshop"].pk).update(name_zh=formula)
    client = client_for(owner)
    text = client.get(reverse("risk:register_export", args=[buyer.slug, "csv"])).content
    cells = {cell for row in csv.reader(io.StringIO(text.decode("utf-8-sig"))) for cell in row}
    assert "'" + formula in cells
    assert formula not in cells
    response = client.get(reverse("risk:register_export", args=[buyer.slug, "xlsx"]))
    register = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = {cell.value for row in register.iter_rows() for cell in row}
    assert "'" + formula in values
    assert formula not in values

"""Visits and findings as the buyer, its auditor and its suppliers meet them.

Noordsteen engages two sites: Haichen's exporter (shared with Haichen's account) and the Xinyuan
sawing plant (shared with Xinyuan's). It sends the Qinghe auditors to both, with access until a
date; their findings become risk evidence, each supplier sees only its own, and Haichen disputes
one."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stonebridge.accounts.access import granted
from stonebridge.accounts.models import Membership, Organisation
from stonebridge.assessments.models import Dispute, Finding, FindingFile, Visit
from stonebridge.assessments.services import visits
from stonebridge.notifications.models import Notification
from stonebridge.risk.models import Evidence

from ...conftest import OrganisationFactory, client_for, member
from .helpers import EXE, PNG, TODAY, plan_visit, record


def page(user, name, org, **kwargs):
    return client_for(user).get(reverse(f"assessments:{name}", kwargs={"org": org, **kwargs}))


# --- the grant -----------------------------------------------------------------------------------


def test_the_auditor_sees_its_assignment_until_the_grant_ends_and_not_a_day_longer(
    audited, provider, auditor
):
    visit = audited["visit"]
    Visit.objects.filter(pk=visit.pk).update(access_until=TODAY)
    listing = page(auditor, "provider_visits", provider.slug)
    assert "Noordsteen" in listing.content.decode()
    response = page(auditor, "provider_visit", provider.slug, visit_id=visit.pk)
    assert response.status_code == 200
    assert "No masks at the saws." in response.content.decode()

    Visit.objects.filter(pk=visit.pk).update(access_until=TODAY - timedelta(days=1))
    assert page(auditor, "provider_visit", provider.slug, visit_id=visit.pk).status_code == 404
    files = FindingFile.objects.filter(finding__visit=visit)
    for evidence_file in files:
        response = page(
            auditor, "provider_finding_file", provider.slug, finding_file_id=evidence_file.pk
        )
        assert response.status_code == 404
    assert "Noordsteen" not in page(auditor, "provider_visits", provider.slug).content.decode()
    posted = client_for(auditor).post(
        reverse("assessments:provider_finding_create", args=[provider.slug, visit.pk]),
        {"site": visit.visit_sites.first().relationship_id, "issue": "OHS", "severity": "low",
         "description": "Late finding."},
    )  # fmt: skip
    assert posted.status_code == 404
    assert not Finding.objects.filter(description="Late finding.").exists()


def test_access_reads_the_grant_by_date(audited, provider, auditor):
    membership = Membership.objects.get(user=auditor)
    last_day = audited["visit"].access_until
    assert granted(Visit.objects.all(), membership, today=last_day).count() == 1
    assert granted(Visit.objects.all(), membership, today=last_day + timedelta(days=1)).count() == 0


def test_another_provider_and_another_buyer_find_nothing(audited, other_buyer, other_buyer_org):
    rival = OrganisationFactory(kind=Organisation.Kind.SERVICE_PROVIDER)
    rival_auditor = member(rival)
    visit, finding = audited["visit"], audited["haichen"]
    assert page(rival_auditor, "provider_visit", rival.slug, visit_id=visit.pk).status_code == 404
    for name, kwargs in (
        ("visit", {"visit_id": visit.pk}),
        ("finding", {"finding_id": finding.pk}),
    ):
        assert page(other_buyer, name, other_buyer_org.slug, **kwargs).status_code == 404


def test_a_provider_needs_an_end_date_and_a_buyer_visits_only_its_own_sites(
    buyer, owner, provider, haichen_site, other_buyer_org, other_buyer, chain
):
    with pytest.raises(ValidationError) as refused:
        visits.visit_create(organisation=buyer, by=owner, kind="announced", visit_on=TODAY,
                            sites=[haichen_site], provider=provider)  # fmt: skip
    assert "access_until" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        plan_visit(other_buyer_org, other_buyer, [haichen_site])
    assert "sites" in refused.value.message_dict


# --- unannounced visits --------------------------------------------------------------------------


def test_an_unannounced_visit_stays_hidden_from_the_supplier_until_its_day(
    buyer, owner, haichen_site, supplier_org, supplier_user
):
    tomorrow = TODAY + timedelta(days=1)
    unannounced = plan_visit(buyer, owner, [haichen_site], kind="unannounced", on=tomorrow)
    plan_visit(buyer, owner, [haichen_site], kind="announced", on=tomorrow + timedelta(days=5))
    text = page(supplier_user, "workspace_findings", supplier_org.slug).content.decode()
    assert "不预先通知的走访" not in text
    assert "预先通知的走访" in text  # the announced one
    # Its day comes: the supplier learns of it, and the finding can be recorded.
    with pytest.raises(ValidationError):
        record(unannounced, owner, haichen_site)
    Visit.objects.filter(pk=unannounced.pk).update(visit_on=TODAY)
    unannounced.refresh_from_db()
    finding = record(unannounced, owner, haichen_site)
    text = page(supplier_user, "workspace_findings", supplier_org.slug).content.decode()
    assert "不预先通知的走访" in text
    assert page(supplier_user, "workspace_finding", supplier_org.slug,
                finding_id=finding.pk).status_code == 200  # fmt: skip


def test_a_finding_of_a_visit_moved_to_a_later_day_is_hidden_again(
    buyer, owner, haichen_site, supplier_org, supplier_user
):
    visit = plan_visit(buyer, owner, [haichen_site], kind="unannounced")
    finding = record(visit, owner, haichen_site)
    Visit.objects.filter(pk=visit.pk).update(visit_on=TODAY + timedelta(days=3))
    response = page(supplier_user, "workspace_finding", supplier_org.slug, finding_id=finding.pk)
    assert response.status_code == 404


# --- the supplier's side -------------------------------------------------------------------------


def test_each_supplier_sees_only_the_findings_about_its_own_sites(
    audited, supplier_org, supplier_user, xinyuan, xinyuan_user
):
    haichen, xinyuan_finding = audited["haichen"], audited["xinyuan"]
    text = page(supplier_user, "workspace_findings", supplier_org.slug).content.decode()
    findings = text[text.index("<main") :]
    assert "职业健康安全" in findings
    assert "Seventy hours" not in findings
    assert "工时与工资" not in findings
    response = page(supplier_user, "workspace_finding", supplier_org.slug, finding_id=haichen.pk)
    assert "No masks at the saws." in response.content.decode()
    for user, org, other in ((supplier_user, supplier_org, xinyuan_finding),
                             (xinyuan_user, xinyuan, haichen)):  # fmt: skip
        assert page(user, "workspace_finding", org.slug, finding_id=other.pk).status_code == 404
    # The auditor's own photos are not the supplier's to download: they may show who spoke.
    auditor_file = FindingFile.objects.filter(finding=haichen).first()
    if auditor_file is not None:
        response = page(
            supplier_user,
            "workspace_finding_file",
            supplier_org.slug,
            finding_file_id=auditor_file.pk,
        )
        assert response.status_code == 404


def test_the_supplier_is_told_of_a_new_finding_in_chinese(audited, supplier_user):
    notice = Notification.objects.get(user=supplier_user, kind="finding")
    assert "职业健康安全" in notice.message
    assert notice.url.endswith(f"/workspace/findings/{audited['haichen'].pk}/")


# --- disputes ------------------------------------------------------------------------------------


def dispute(supplier_user, supplier_org, finding, files=None):
    return client_for(supplier_user).post(
        reverse("assessments:workspace_dispute", args=[supplier_org.slug, finding.pk]),
        {"reasons": "Masks were handed out on 3 March.", "files": files or []},
    )


def confidence(finding) -> str:
    finding.refresh_from_db()
    return Evidence.objects.get(pk=finding.evidence_id).confidence


def test_a_finding_becomes_risk_evidence_trusted_by_how_it_was_found(audited, buyer):
    evidence = Evidence.objects.get(origin=f"assessments.finding:{audited['haichen'].pk}")
    assert (evidence.kind, evidence.source_type, evidence.confidence) == (
        "finding", "audit", "medium"
    )  # fmt: skip
    assert evidence.organisation == buyer
    assert evidence.facility == audited["haichen"].relationship.facility


def test_a_disputed_finding_counts_less_until_upheld(
    audited, owner, supplier_org, supplier_user, buyer
):
    finding = audited["haichen"]
    photo = SimpleUploadedFile("masks.png", PNG)
    assert dispute(supplier_user, supplier_org, finding, [photo]).status_code == 302
    assert confidence(finding) == "low"
    assert finding.state == "disputed"
    notice = Notification.objects.get(user=owner, kind="finding_disputed")
    assert notice.url == reverse("assessments:finding", args=[buyer.slug, finding.pk])
    pending = Dispute.objects.get(finding=finding)
    text = page(owner, "finding", buyer.slug, finding_id=finding.pk).content.decode()
    assert "Masks were handed out on 3 March." in text
    assert "masks.png" in text
    response = client_for(owner).post(
        reverse("assessments:dispute_resolve", args=[buyer.slug, pending.pk]),
        {"outcome": "upheld", "note": "Our auditor saw no masks in use."},
    )
    assert response.status_code == 302
    assert confidence(finding) == "medium"
    assert finding.state == "stands"
    assert Notification.objects.filter(user=supplier_user, kind="dispute_resolved").exists()


def test_a_corrected_finding_stands_as_corrected_with_its_confidence_back(
    audited, owner, supplier_org, supplier_user
):
    finding = audited["haichen"]
    dispute(supplier_user, supplier_org, finding)
    visits.dispute_resolve(dispute=finding.disputes.get(), by=owner, outcome="corrected",
                           note="Masks were there, not worn.",
                           description="Masks handed out but not worn at the saws.")  # fmt: skip
    assert confidence(finding) == "medium"
    assert finding.description == "Masks handed out but not worn at the saws."
    # The risk register reads the corrected wording; the first stays on record, withdrawn.
    counting = Evidence.objects.counting().filter(origin=f"assessments.finding:{finding.pk}")
    assert [e.summary for e in counting] == ["Masks handed out but not worn at the saws."]
    first = Evidence.objects.get(
        origin=f"assessments.finding:{finding.pk}", summary="No masks at the saws."
    )
    assert first.retracted_at is not None
    assert first.retraction_reason == "Masks were there, not worn."


def test_a_withdrawn_finding_stops_counting_with_the_buyers_reason(
    audited, owner, supplier_org, supplier_user
):
    finding = audited["haichen"]
    dispute(supplier_user, supplier_org, finding)
    visits.dispute_resolve(dispute=finding.disputes.get(), by=owner, outcome="withdrawn",
                           note="The photos show masks in use.")  # fmt: skip
    finding.refresh_from_db()
    evidence = Evidence.objects.get(pk=finding.evidence_id)
    assert evidence.retracted_at is not None
    assert evidence.retraction_reason == "The photos show masks in use."
    assert finding.state == "withdrawn"
    assert not Evidence.objects.counting().filter(pk=evidence.pk).exists()


def test_a_finding_is_disputed_once_at_a_time(audited, supplier_org, supplier_user):
    finding = audited["haichen"]
    dispute(supplier_user, supplier_org, finding)
    again = dispute(supplier_user, supplier_org, finding)
    assert again.status_code == 200
    assert Dispute.objects.filter(finding=finding).count() == 1


# --- files ---------------------------------------------------------------------------------------


def test_a_program_named_as_a_photo_is_refused_and_nothing_is_recorded(
    audited, supplier_org, supplier_user, auditor, haichen_site
):
    finding = audited["haichen"]
    response = dispute(supplier_user, supplier_org, finding,
                       [SimpleUploadedFile("photo.png", EXE)])  # fmt: skip
    assert response.status_code == 200
    assert "photo.png" in response.content.decode()
    assert not Dispute.objects.exists()
    assert confidence(finding) == "medium"
    with pytest.raises(ValidationError):
        record(audited["visit"], auditor, haichen_site, files=[SimpleUploadedFile("a.jpg", EXE)])
    assert Finding.objects.count() == 2


def test_files_are_served_as_downloads_named_by_what_they_are(
    audited, owner, buyer, auditor, haichen_site, supplier_user, supplier_org
):
    finding = record(audited["visit"], auditor, haichen_site,
                     files=[SimpleUploadedFile("saws.exe", PNG)])  # fmt: skip
    stored = finding.files.get()
    assert stored.name == "saws.png"
    response = page(owner, "finding_file", buyer.slug, finding_file_id=stored.pk)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    dispute(supplier_user, supplier_org, audited["haichen"], [SimpleUploadedFile("m.png", PNG)])
    own = FindingFile.objects.get(dispute__isnull=False)
    response = page(
        supplier_user, "workspace_finding_file", supplier_org.slug, finding_file_id=own.pk
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


# --- pages ---------------------------------------------------------------------------------------


def test_the_auditor_records_a_finding_from_its_assignment_page(
    audited, provider, auditor, haichen_site
):
    visit = audited["visit"]
    form = page(auditor, "provider_visit", provider.slug, visit_id=visit.pk).content.decode()
    # The picker names issues and indicators in the reader's language, never by a code.
    assert "职业健康安全" in form
    assert ">OHS<" not in form
    response = client_for(auditor).post(
        reverse("assessments:provider_finding_create", args=[provider.slug, visit.pk]),
        {"site": haichen_site.pk, "issue": "OHS", "indicator": "OHS_SILICA", "severity": "high",
         "description_zh": "切割区无除尘设备。", "files": [SimpleUploadedFile("a.png", PNG)]},
    )  # fmt: skip
    assert response.status_code == 302
    finding = Finding.objects.get(description_zh="切割区无除尘设备。")
    assert finding.indicator.code == "OHS_SILICA"
    assert finding.files.count() == 1


def test_an_indicator_of_another_issue_is_refused(audited, provider, auditor, haichen_site):
    response = client_for(auditor).post(
        reverse("assessments:provider_finding_create", args=[provider.slug, audited["visit"].pk]),
        {"site": haichen_site.pk, "issue": "HOURS_WAGES", "indicator": "OHS_SILICA",
         "severity": "high", "description": "Mixed up."},
    )  # fmt: skip
    assert response.status_code == 200
    assert not Finding.objects.filter(description="Mixed up.").exists()


def test_the_buyer_plans_a_visit_with_its_auditor(buyer, owner, provider, haichen_site, auditor):
    response = client_for(owner).post(
        reverse("assessments:visit_create", args=[buyer.slug]),
        {"kind": "worker_interviews", "visit_on": TODAY.isoformat(), "sites": [haichen_site.pk],
         "provider": provider.pk, "access_until": (TODAY + timedelta(days=7)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.provider == provider
    assert Notification.objects.filter(user=auditor, kind="visit_assigned").exists()
    finding = record(visit, auditor, haichen_site, issue="HOURS_WAGES")
    evidence = Evidence.objects.get(pk=finding.evidence_id)
    assert (evidence.source_type, evidence.confidence) == ("worker_interview", "high")


def test_the_visit_list_takes_a_fixed_number_of_queries(
    audited, owner, buyer, django_assert_max_num_queries
):
    client = client_for(owner)
    url = reverse("assessments:visits", args=[buyer.slug])
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200

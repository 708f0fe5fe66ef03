"""The shipped taxonomy and baseline: complete, cited, and editable with an audit trail."""

from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from stonebridge.audit.models import Entry
from stonebridge.risk import reference
from stonebridge.risk.models import Baseline, Indicator, Issue, Score

from ..conftest import PASSWORD, UserFactory


def test_the_taxonomy_is_loaded_with_chinese_names(db):
    assert Issue.objects.count() == 9
    assert all(i.name_zh and i.name_en and i.description_zh for i in Issue.objects.all())
    ilo = Indicator.objects.filter(ilo_forced_labour=True)
    assert ilo.count() == 11
    assert {i.issue_id for i in ilo} == {"FORCED_LABOUR"}
    assert Indicator.objects.get(code="FL_DEBT").name_zh == "债务劳役"


def test_every_baseline_row_is_cited_with_year_and_status(db):
    rows = reference.baseline_file()
    assert Baseline.objects.count() == len(rows) >= 40
    issues = {i["code"] for i in reference.taxonomy_file()}
    for row in rows:
        assert row["issue"] in issues
        assert row["context"] in reference.CONTEXTS
        assert 1 <= int(row["level"]) <= 5
        assert row["source"]
        assert row["url"].startswith("http")
        assert row["fact_zh"]
        # Only what the evidence file marks verified; a missing year is said, not invented.
        assert row["status"].startswith("Verified"), row
        assert row["year"] or "year not confirmed" in row["status"], row
    for issue in issues:
        assert any(r["issue"] == issue and r["country"] == "CN" for r in rows), issue


def test_a_baseline_change_in_the_admin_is_audited_and_recomputes_scores(
    small_chain, buyer, client
):
    staff = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.post(reverse("accounts:login"), {"email": staff.email, "password": PASSWORD})
    client.post(reverse("accounts:login_verify"), {"code": f"{totp(device.bin_key):06d}"})
    row = Baseline.objects.get(issue="HOURS_WAGES", country="CN", source__startswith="Xinhua")
    exporter = small_chain["exporter"]
    before = Score.objects.get(organisation=buyer, facility=exporter, issue="HOURS_WAGES").priority
    url = reverse("admin:risk_baseline_change", args=[row.pk])
    form = {
        f: getattr(row, f) or ""
        for f in ("country", "province", "context", "fact_en", "fact_zh", "source", "year", "url")
    }
    form.update(
        issue=row.issue_id,
        level=5,
        status=row.status,
        updated_at_0="2026-11-26",
        updated_at_1="10:00",
    )
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = Entry.objects.order_by("-pk").first()
    assert (entry.verb, entry.actor) == ("admin.changed", staff)
    assert "level" in entry.changes["fields"]
    after = Score.objects.get(organisation=buyer, facility=exporter, issue="HOURS_WAGES").priority
    assert after > before


def test_deleting_baseline_rows_from_the_list_is_audited(small_chain, client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.post(reverse("accounts:login"), {"email": staff.email, "password": PASSWORD})
    client.post(reverse("accounts:login_verify"), {"code": f"{totp(device.bin_key):06d}"})
    rows = list(Baseline.objects.filter(issue="VOICE", country="TR"))
    response = client.post(
        reverse("admin:risk_baseline_changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in rows], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Baseline.objects.filter(issue="VOICE", country="TR").exists()
    deleted = Entry.objects.filter(verb="admin.deleted", actor=staff)
    assert deleted.count() == len(rows) >= 1

import math

import pytest
from django.test import Client

from stonebridge.accounts.services import api_token_create
from stonebridge.risk.models import Evidence


@pytest.fixture
def api(owner):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=owner, name='t')[1]}")


def test_the_register_comes_in_priority_order_with_path_and_leverage(api, small_chain, buyer):
    body = api.get(f"/api/organisations/{buyer.slug}/risks").json()
    assert body["count"] == 27
    first = body["items"][0]
    assert (first["facility_id"], first["issue"], first["irremediable"]) == (
        small_chain["workshop"].pk,
        "OHS",
        True,
    )
    assert first["path"] == [small_chain["workshop"].pk, small_chain["exporter"].pk]
    assert first["leverage"] == pytest.approx(0.3)
    priorities = [item["priority"] for item in body["items"]]
    assert priorities == sorted(priorities, reverse=True)
    youth = api.get(f"/api/organisations/{buyer.slug}/risks", {"issue": "YOUTH"}).json()
    assert {item["issue"] for item in youth["items"]} == {"YOUTH"}
    bad = api.get(f"/api/organisations/{buyer.slug}/risks", {"sort": "name"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "sort"


def test_the_explanation_adds_up_and_cites_its_sources(api, small_chain, buyer):
    workshop = small_chain["workshop"]
    x = api.get(f"/api/organisations/{buyer.slug}/facilities/{workshop.pk}/risk/OHS").json()
    assert math.isclose(sum(c["points"] for c in x["contributions"]), x["priority"])
    baseline = x["contributions"][0]
    assert baseline["kind"] == "baseline"
    assert baseline["source_url"].startswith("http")
    assert baseline["source_year"]
    assert 1 <= baseline["baseline_level"] <= 5
    assert x["irremediability"]["detail"] == "OHS_SILICA"
    profile = api.get(f"/api/organisations/{buyer.slug}/facilities/{workshop.pk}/risk").json()
    assert [p["issue"] for p in profile][:3] == ["OHS", "HOURS_WAGES", "YOUTH"]
    missing = api.get(f"/api/organisations/{buyer.slug}/facilities/{workshop.pk}/risk/NOPE")
    assert missing.status_code == 404


def test_evidence_is_recorded_listed_and_withdrawn(api, small_chain, buyer):
    plant = small_chain["plant"]
    url = f"/api/organisations/{buyer.slug}/evidence"
    payload = {
        "facility_id": plant.pk,
        "issue": "SOCIAL_SECURITY",
        "indicator": "SS_NOT_ENROLLED",
        "kind": "finding",
        "observed_on": "2026-11-03",
        "source_type": "document",
        "confidence": "high",
        "summary": "Payroll shows 40 of 120 workers insured.",
        "people_affected": 80,
    }
    created = api.post(url, payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["indicator"] == "SS_NOT_ENROLLED"
    wrong = api.post(url, {**payload, "indicator": "OHS_CUTS"}, content_type="application/json")
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == [
        {"field": "indicator", "message": "This indicator belongs to another issue."}
    ]
    listed = api.get(url, {"facility_id": plant.pk}).json()
    assert listed["count"] == 2
    evidence_id = created.json()["id"]
    gone = api.post(
        f"{url}/{evidence_id}/withdraw",
        {"reason": "Wrong facility."},
        content_type="application/json",
    )
    assert gone.status_code == 200
    assert gone.json()["retraction_reason"] == "Wrong facility."
    assert Evidence.objects.get(pk=evidence_id).retracted_at is not None


def test_the_taxonomy_lists_nine_issues_and_the_ilo_indicators(api):
    issues = api.get("/api/risk/issues").json()
    assert [i["code"] for i in issues] == [
        "OHS",
        "HOURS_WAGES",
        "YOUTH",
        "CONTRACTS",
        "SOCIAL_SECURITY",
        "ENVIRONMENT",
        "FORCED_LABOUR",
        "VOICE",
        "TRANSPARENCY",
    ]
    forced = next(i for i in issues if i["code"] == "FORCED_LABOUR")
    assert sum(i["ilo_forced_labour"] for i in forced["indicators"]) == 11


def test_the_heatmap_by_cluster(api, small_chain, buyer):
    body = api.get(f"/api/organisations/{buyer.slug}/risks/heatmap", {"rows": "cluster"}).json()
    assert body["rows"] == ["福建省 厦门市", "福建省 泉州市"]


def test_an_unknown_issue_code_is_a_field_error(api, small_chain, buyer):
    response = api.post(
        f"/api/organisations/{buyer.slug}/evidence",
        {
            "facility_id": small_chain["plant"].pk,
            "issue": "SAFETY",
            "kind": "finding",
            "observed_on": "2026-11-03",
            "source_type": "audit",
            "summary": "   ",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "issue"


def test_the_register_narrows_to_one_direct_supplier(api, small_chain, buyer):
    exporter = small_chain["exporter"]
    body = api.get(f"/api/organisations/{buyer.slug}/risks", {"via_id": exporter.pk}).json()
    assert body["count"] == 27
    assert {item["via_id"] for item in body["items"]} == {exporter.pk}
    none = api.get(f"/api/organisations/{buyer.slug}/risks", {"via_id": small_chain["plant"].pk})
    assert none.json()["count"] == 0

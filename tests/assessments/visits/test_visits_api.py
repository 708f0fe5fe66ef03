"""The visits API: the same services and checks as the pages, for the buyer, its auditor and
the supplier."""

import base64
import json
from datetime import timedelta

from django.test import Client

from stonebridge.accounts.services import api_token_create
from stonebridge.assessments.models import Visit
from stonebridge.risk.models import Evidence

from .helpers import EXE, PNG, TODAY


def client(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


def post(user, url, data):
    return client(user).post(url, json.dumps(data), content_type="application/json")


def test_a_visit_its_finding_and_the_dispute_go_round_through_the_api(
    buyer, owner, provider, auditor, haichen_site, supplier_org, supplier_user
):
    created = post(owner, f"/api/organisations/{buyer.slug}/visits", {
        "kind": "unannounced", "visit_on": TODAY.isoformat(), "site_ids": [haichen_site.pk],
        "provider": provider.slug, "access_until": (TODAY + timedelta(days=3)).isoformat(),
    })  # fmt: skip
    assert created.status_code == 201, created.content
    visit_id = created.json()["id"]
    photo = base64.b64encode(PNG).decode()
    finding = post(auditor, f"/api/organisations/{provider.slug}/assignments/{visit_id}/findings", {
        "site_id": haichen_site.pk, "issue": "OHS", "indicator": "OHS_SILICA",
        "severity": "high", "description_zh": "切割区无除尘设备。",
        "files": [{"name": "saws.png", "content_base64": photo}],
    })  # fmt: skip
    assert finding.status_code == 201, finding.content
    finding_id = finding.json()["id"]
    assert finding.json()["issue_name"] == "Occupational health and safety"
    evidence = Evidence.objects.get(origin=f"assessments.finding:{finding_id}")
    assert evidence.confidence == "high"

    seen = client(supplier_user).get(f"/api/organisations/{supplier_org.slug}/workspace/findings")
    assert [item["id"] for item in seen.json()["items"]] == [finding_id]
    assert seen.json()["items"][0]["evidence_id"] is None
    disputed = post(
        supplier_user,
        f"/api/organisations/{supplier_org.slug}/workspace/findings/{finding_id}/disputes",
        {"reasons": "除尘设备三月已安装。"},
    )
    assert disputed.status_code == 201, disputed.content
    evidence.refresh_from_db()
    assert evidence.confidence == "medium"

    dispute_id = disputed.json()["id"]
    resolved = post(
        owner,
        f"/api/organisations/{buyer.slug}/disputes/{dispute_id}/resolve",
        {"outcome": "withdrawn", "note": "Installed in March, as the photos show."},
    )
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["outcome"] == "withdrawn"
    evidence.refresh_from_db()
    assert evidence.retracted_at is not None


def test_the_auditor_loses_the_api_too_when_the_grant_ends(audited, provider, auditor):
    visit = audited["visit"]
    url = f"/api/organisations/{provider.slug}/assignments/{visit.pk}"
    assert client(auditor).get(url).status_code == 200
    Visit.objects.filter(pk=visit.pk).update(access_until=TODAY - timedelta(days=1))
    assert client(auditor).get(url).status_code == 404
    listed = client(auditor).get(f"/api/organisations/{provider.slug}/assignments").json()
    assert listed["items"] == []


def test_a_program_sent_as_a_photo_is_a_field_error(audited, supplier_org, supplier_user):
    finding = audited["haichen"]
    response = post(
        supplier_user,
        f"/api/organisations/{supplier_org.slug}/workspace/findings/{finding.pk}/disputes",
        {"reasons": "See the photo.",
         "files": [{"name": "photo.png", "content_base64": base64.b64encode(EXE).decode()}]},
    )  # fmt: skip
    assert response.status_code == 422
    assert "files" in response.content.decode()
    finding.refresh_from_db()
    assert finding.state == "stands"


def test_a_supplier_reads_no_finding_of_another_suppliers_site(audited, xinyuan, xinyuan_user):
    finding = audited["haichen"]
    response = client(xinyuan_user).get(
        f"/api/organisations/{xinyuan.slug}/workspace/findings/{finding.pk}"
    )
    assert response.status_code == 404

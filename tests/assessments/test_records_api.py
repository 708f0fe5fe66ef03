"""The records check over the API: submit, poll, fetch the report, with the pages' access."""

import base64

import pytest

from stonebridge.accounts.services import api_token_create
from stonebridge.assessments.models import RecordsCheck

from ..conftest import client_for
from . import records_data

pytestmark = pytest.mark.django_db


def encoded(content: bytes, name: str) -> dict:
    return {"name": name, "content_base64": base64.b64encode(content).decode()}


def body(relationship, **replaced):
    files = {
        "workers": records_data.workers(),
        "attendance": records_data.attendance(),
        "payroll": records_data.payroll(),
        **replaced,
    }
    return {
        "relationship_id": relationship.pk,
        "period_start": "2026-03-01",
        "period_end": "2026-03-31",
        "minimum_wage": records_data.MINIMUM_WAGE,
        **{kind: encoded(content, f"{kind}.csv") for kind, content in files.items()},
    }


def call(user, method, url, data=None):
    _, token = api_token_create(user=user, name="records")
    return getattr(client_for(None), method)(
        url, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_submit_poll_and_fetch_the_report(owner, buyer, relationship):
    base = f"/api/organisations/{buyer.slug}/records-checks"
    response = call(owner, "post", base, body(relationship))
    assert response.status_code == 201, response.content
    check_id = response.json()["id"]
    polled = call(owner, "get", f"{base}/{check_id}").json()
    assert (polled["status"], polled["progress"]) == ("done", 100)
    report = call(owner, "get", f"{base}/{check_id}/report").json()
    rules = sorted(v["rule"] for v in report["violations"])
    assert rules == sorted(rule for _ref, rule in records_data.EXPECTED)
    assert all(v["source"] for v in report["violations"])
    assert all(
        len(v["worker"]) == 64 for v in report["violations"] if v["rule"] != "DISPATCH_SHARE"
    )


def test_a_file_that_is_no_spreadsheet_is_a_field_error(owner, buyer, relationship):
    base = f"/api/organisations/{buyer.slug}/records-checks"
    response = call(owner, "post", base, body(relationship, payroll=b"\x89PNG\r\n\x1a\nimage"))
    assert response.status_code == 422
    assert "payroll" in response.content.decode()
    assert not RecordsCheck.objects.exists()


def test_another_buyer_cannot_reach_the_facility_or_the_check(
    owner, other_buyer, buyer, relationship
):
    call(owner, "post", f"/api/organisations/{buyer.slug}/records-checks", body(relationship))
    check = RecordsCheck.objects.get()
    response = call(
        other_buyer, "post", "/api/organisations/steinwerk/records-checks", body(relationship)
    )
    assert response.status_code == 404
    response = call(other_buyer, "get", f"/api/organisations/steinwerk/records-checks/{check.pk}")
    assert response.status_code == 404

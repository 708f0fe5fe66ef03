"""The cases API: routed organisations only, no identity, the same steps as the pages."""

import pytest

from stonebridge.accounts.services import api_token_create
from stonebridge.voice.models import CaseState
from stonebridge.voice.services import handling

from ..conftest import client_for
from .conftest import submit


def call(user, method, path, body=None):
    token = api_token_create(user=user, name="t")[1]
    return getattr(client_for(None), method)(
        f"/api/v1{path}" if not path.startswith("/api") else path,
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.fixture
def api_base():
    from django.urls import reverse

    return reverse("api:api-root").rstrip("/")


@pytest.fixture
def case(channel):
    return submit(channel, anonymous=False, contact_name="王芳", contact_phone="13800001111")[0]


def url(api_base, org, case=None, step=""):
    path = f"{api_base}/organisations/{org.slug}/voice/cases"
    if case is not None:
        path += f"/{case.pk}"
    return path + (f"/{step}" if step else "")


def test_the_list_shows_the_buyers_cases(api_base, case, buyer, owner):
    body = call(owner, "get", url(api_base, buyer)).json()
    assert [c["number"] for c in body["items"]] == [case.number]


def test_the_detail_never_shows_the_identity(api_base, case, buyer, owner):
    response = call(owner, "get", url(api_base, buyer, case))
    assert response.status_code == 200
    text = response.content.decode()
    assert "13800001111" not in text
    assert "王芳" not in text
    assert response.json()["description"].startswith("每个月加班")


def test_a_supplier_cannot_see_a_buyer_only_case(api_base, case, supplier_org, supplier_user):
    assert call(supplier_user, "get", url(api_base, supplier_org, case)).status_code == 404
    assert call(supplier_user, "get", url(api_base, supplier_org)).json()["items"] == []


def test_internal_notes_of_another_organisation_are_not_returned(
    api_base, channel, buyer, owner, supplier_org, supplier_user
):
    case = submit(channel, share_with_factory=True)[0]
    handling.case_note(case=case, organisation=buyer, by=owner, text="Call the auditor.")
    body = call(supplier_user, "get", url(api_base, supplier_org, case)).json()
    assert body["messages"] == []
    mine = call(owner, "get", url(api_base, buyer, case)).json()
    assert [m["body"] for m in mine["messages"]] == ["Call the auditor."]


def test_triage_message_resolve_close_and_reopen(api_base, case, buyer, owner):
    triaged = call(
        owner,
        "post",
        url(api_base, buyer, case, "triage"),
        {"issue": "HOURS_WAGES", "severity": "high", "urgency": "urgent"},
    ).json()
    assert (triaged["issue"], triaged["state"]) == ("HOURS_WAGES", CaseState.IN_PROGRESS)
    sent = call(
        owner, "post", url(api_base, buyer, case, "messages"), {"text": "哪个月?", "question": True}
    ).json()
    assert sent["messages"][0]["question"] is True
    call(owner, "post", url(api_base, buyer, case, "resolve"), {"outcome": "Paid."})
    closed = call(owner, "post", url(api_base, buyer, case, "close"), {"worker_satisfied": False})
    assert closed.json()["state"] == "closed"
    reopened = call(owner, "post", url(api_base, buyer, case, "reopen"), {"reason": "Not paid."})
    assert reopened.json()["reopened"] == 1


def test_an_invalid_step_answers_422_with_the_reason(api_base, case, buyer, owner):
    response = call(owner, "post", url(api_base, buyer, case, "resolve"), {"outcome": "Paid."})
    assert response.status_code == 422


def test_an_unknown_issue_is_refused_on_its_field(api_base, case, buyer, owner):
    response = call(
        owner,
        "post",
        url(api_base, buyer, case, "triage"),
        {"issue": "NOPE", "severity": "low", "urgency": "normal"},
    )
    assert response.json()["errors"][0]["field"] == "issue"


def test_a_viewer_cannot_act(api_base, case, buyer, viewer):
    response = call(viewer, "post", url(api_base, buyer, case, "notes"), {"text": "x"})
    assert response.status_code == 403

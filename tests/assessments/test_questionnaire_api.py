"""Questionnaires over the API: the buyer imports, sends, reads and accepts; the supplier saves,
submits, replies and shares; the same checks as the pages."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from stonebridge.accounts.services import api_token_create
from stonebridge.assessments.models.questionnaires import Questionnaire, Submission
from stonebridge.engagement.services import relationships
from stonebridge.risk.models import Evidence
from stonebridge.supplychain.services import facility_create

from .questionnaire_world import SPEC, draft, form_bytes, questionnaire, relationship, submitted

__all__ = ["draft", "questionnaire", "relationship", "submitted"]

pytestmark = pytest.mark.django_db


def client_with_token(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='t')[1]}")


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_an_xlsform_uploads_and_downloads_the_same(buyer, owner):
    api = client_with_token(owner)
    created = api.post(
        f"/api/organisations/{buyer.slug}/questionnaires",
        {"file": io.BytesIO(form_bytes())},
    )
    assert created.status_code == 201, created.content
    assert created.json()["number"] == 1
    found = Questionnaire.objects.get(owner=buyer)
    detail = api.get(f"/api/organisations/{buyer.slug}/questionnaires/{found.pk}").json()
    assert [q["name"] for q in detail["latest"]["questions"]] == [q.name for q in SPEC.questions()]
    assert detail["latest"]["questions"][1]["relevant"] == "${overtime} = 'yes'"
    exported = api.get(f"/api/organisations/{buyer.slug}/questionnaires/{found.pk}/xlsform")
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content))["survey"]
    assert "overtime_hours" in [cell.value for cell in sheet["B"]]


def test_a_broken_xlsform_is_refused_with_its_rows_and_nothing_is_kept(buyer, owner):
    workbook = load_workbook(io.BytesIO(form_bytes()))
    header = [cell.value for cell in workbook["survey"][1]]
    workbook["survey"].cell(row=3, column=header.index("relevant") + 1, value="count(${x}) > 1")
    broken = io.BytesIO()
    workbook.save(broken)
    broken.seek(0)
    refused = client_with_token(owner).post(
        f"/api/organisations/{buyer.slug}/questionnaires", {"file": broken}
    )
    assert refused.status_code == 422
    assert any("row 3" in e["message"] for e in refused.json()["errors"])
    assert not Questionnaire.objects.exists()


def test_the_buyer_publishes_and_sends_and_the_supplier_answers_and_submits(
    buyer, owner, relationship, supplier_org, supplier_user
):
    api = client_with_token(owner)
    api.post(f"/api/organisations/{buyer.slug}/questionnaires", {"file": io.BytesIO(form_bytes())})
    found = Questionnaire.objects.get(owner=buyer)
    base = f"/api/organisations/{buyer.slug}/questionnaires/{found.pk}"
    assert post(api, f"{base}/publish").json()["published_at"]
    sent = post(api, f"{base}/send", {"relationship_id": relationship.pk})
    assert sent.status_code == 201, sent.content
    submission_id = sent.json()["id"]
    supplier = client_with_token(supplier_user)
    workspace = f"/api/organisations/{supplier_org.slug}/workspace/submissions/{submission_id}"
    saved = post(supplier, f"{workspace}/answers", {"answers": {"overtime": "no"}})
    assert saved.json()["status"] == "draft"
    # The buyer reads nothing of a draft.
    assert (
        api.get(f"/api/organisations/{buyer.slug}/submissions/{submission_id}").status_code == 404
    )
    # The hours question is hidden while overtime is "no", so it is not required.
    assert post(supplier, f"{workspace}/submit").json()["status"] == "submitted"
    detail = api.get(f"/api/organisations/{buyer.slug}/submissions/{submission_id}").json()
    assert [a["question"] for a in detail["answers"]][:2] == ["overtime", "dust_masks"]
    assert detail["age_days"] == 0


def test_a_refused_answer_names_its_question(supplier_org, supplier_user, draft):
    supplier = client_with_token(supplier_user)
    workspace = f"/api/organisations/{supplier_org.slug}/workspace/submissions/{draft.pk}"
    refused = post(supplier, f"{workspace}/answers", {"answers": {"overtime": "perhaps"}})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "overtime"
    submit = post(supplier, f"{workspace}/submit")
    assert submit.status_code == 422
    assert {e["field"] for e in submit.json()["errors"]} == {"overtime"}


def test_the_review_marks_adverse_and_stated_answers_then_accepting_records_evidence(
    buyer, owner, submitted
):
    api = client_with_token(owner)
    url = f"/api/organisations/{buyer.slug}/submissions/{submitted.pk}"
    answers = {a["question"]: a for a in api.get(url).json()["answers"]}
    assert answers["overtime_hours"]["adverse"] is True
    assert answers["dust_masks"]["stated"] is True
    assert answers["dust_masks"]["adverse"] is False
    assert api.get(url).json()["age_days"] == 95
    accepted = post(api, f"{url}/accept")
    assert accepted.status_code == 200
    assert set(accepted.json()["evidence"]) == set(
        Evidence.objects.filter(organisation=buyer).values_list("pk", flat=True)
    )
    assert post(api, f"{url}/accept").status_code == 422


def test_a_follow_up_is_answered_by_the_supplier(
    buyer, owner, submitted, supplier_org, supplier_user
):
    answer = submitted.answers.get(question__name="overtime_hours")
    asked = post(
        client_with_token(owner),
        f"/api/organisations/{buyer.slug}/answers/{answer.pk}/follow-ups",
        {"question": "Which months?"},
    )
    assert asked.status_code == 201
    assert Submission.objects.get().status == "follow_up"
    reply = post(
        client_with_token(supplier_user),
        f"/api/organisations/{supplier_org.slug}/workspace/follow-ups/{asked.json()['id']}/reply",
        {"reply": "三月到五月。"},
    )
    assert reply.status_code == 200
    assert reply.json()["reply"] == "三月到五月。"


def test_answers_are_shared_only_with_a_buyer_the_supplier_works_with(
    submitted, supplier_org, supplier_user, other_buyer_org, other_buyer
):
    supplier = client_with_token(supplier_user)
    shares = f"/api/organisations/{supplier_org.slug}/workspace/submissions/{submitted.pk}/shares"
    other = client_with_token(other_buyer)
    read = f"/api/organisations/{other_buyer_org.slug}/submissions/{submitted.pk}"
    assert post(supplier, shares, {"buyer": other_buyer_org.slug}).status_code == 422
    assert other.get(read).status_code == 404
    site = facility_create(
        organisation=other_buyer_org, by=other_buyer, kind="processor", name_zh="某石材厂"
    )
    relationship = relationships.relationship_create(
        organisation=other_buyer_org, by=other_buyer, facility=site, supplier=supplier_org
    )
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    assert post(supplier, shares, {"buyer": other_buyer_org.slug}).status_code == 201
    # Which buyer asked first is not the other buyer's business.
    assert other.get(read).json()["buyer"] is None
    listed = other.get(f"/api/organisations/{other_buyer_org.slug}/submissions").json()
    assert [s["id"] for s in listed["items"]] == [submitted.pk]


def test_the_supplier_withdraws_a_share_and_the_buyer_reads_no_more(
    submitted, supplier_org, supplier_user, other_buyer_org, other_buyer
):
    site = facility_create(
        organisation=other_buyer_org, by=other_buyer, kind="processor", name_zh="某石材厂"
    )
    relationship = relationships.relationship_create(
        organisation=other_buyer_org, by=other_buyer, facility=site, supplier=supplier_org
    )
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    supplier = client_with_token(supplier_user)
    base = f"/api/organisations/{supplier_org.slug}/workspace/submissions/{submitted.pk}"
    assert post(supplier, f"{base}/shares", {"buyer": other_buyer_org.slug}).status_code == 201
    other = client_with_token(other_buyer)
    read = f"/api/organisations/{other_buyer_org.slug}/submissions/{submitted.pk}"
    assert other.get(read).status_code == 200
    withdrawn = post(supplier, f"{base}/unshare", {"buyer": other_buyer_org.slug})
    assert withdrawn.status_code == 200
    assert other.get(read).status_code == 404
    # Nothing left to withdraw.
    assert post(supplier, f"{base}/unshare", {"buyer": other_buyer_org.slug}).status_code == 404

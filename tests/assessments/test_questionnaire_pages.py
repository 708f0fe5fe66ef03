"""The questionnaire pages as a buyer and a supplier use them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from stonebridge.assessments.models.questionnaires import (
    Answer,
    FollowUp,
    Questionnaire,
    Submission,
    SubmissionShare,
)
from stonebridge.assessments.services import questionnaires as services
from stonebridge.engagement.services import relationships
from stonebridge.risk.models import Evidence

from ..accounts.test_access_matrix import PNG_BYTES
from ..conftest import client_for, member
from .questionnaire_world import SPEC, draft, form_bytes, questionnaire, relationship, submitted

__all__ = ["draft", "questionnaire", "relationship", "submitted"]

pytestmark = pytest.mark.django_db


def q_url(name, org, **kwargs):
    return reverse(f"assessments:{name}", kwargs={"org": org.slug, **kwargs})


# --- the buyer's questionnaires ---------------------------------------------------------------


def test_the_list_searches_pages_and_says_when_there_is_none(buyer, owner, questionnaire):
    client = client_for(owner)
    page = client.get(q_url("questionnaires", buyer)).content.decode()
    assert "Working conditions check" in page
    page = client.get(q_url("questionnaires", buyer) + "?q=hours+of+rest").content.decode()
    assert "Working conditions check" not in page
    assert "No questionnaire matches your search." in page
    assert client.get(q_url("questionnaires", buyer) + "?page=9").status_code == 404


def test_an_empty_list_says_how_to_start(buyer, owner):
    page = client_for(owner).get(q_url("questionnaires", buyer)).content.decode()
    assert "No questionnaire yet. Import one from an Excel file." in page


def test_importing_an_xlsform_makes_a_draft_to_publish(buyer, owner):
    client = client_for(owner)
    response = client.post(
        q_url("questionnaire_import", buyer),
        {"file": SimpleUploadedFile("form.xlsx", form_bytes())},
        follow=True,
    )
    page = response.content.decode()
    assert "Imported as a draft." in page
    assert "How many overtime hours a month, at most?" in page
    assert "${overtime} = &#x27;yes&#x27;" in page  # the condition, shown as written
    found = Questionnaire.objects.get(owner=buyer)
    response = client.post(
        q_url("questionnaire_publish", buyer, questionnaire_id=found.pk), follow=True
    )
    assert "Published. You can now send it to suppliers." in response.content.decode()
    assert found.latest_published().number == 1
    response = client.post(
        q_url("questionnaire_new_version", buyer, questionnaire_id=found.pk), follow=True
    )
    assert "version 2" in response.content.decode()
    assert found.draft().number == 2


def test_a_file_with_mistakes_lists_its_rows_and_imports_nothing(buyer, owner):
    workbook = load_workbook(io.BytesIO(form_bytes()))
    survey = workbook["survey"]
    header = [cell.value for cell in survey[1]]
    relevant = header.index("relevant") + 1
    survey.cell(row=3, column=relevant, value="${overtime} = 'yes' and string-length(${note}) > 3")
    survey.cell(row=4, column=header.index("stonebridge_issue") + 1, value="NO_SUCH_ISSUE")
    broken = io.BytesIO()
    workbook.save(broken)
    response = client_for(owner).post(
        q_url("questionnaire_import", buyer),
        {"file": SimpleUploadedFile("form.xlsx", broken.getvalue())},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "row 3" in page
    assert "row 4" in page
    assert not Questionnaire.objects.exists()


def test_the_export_reads_back_as_the_same_form(buyer, owner, questionnaire):
    from stonebridge.assessments import xlsform
    from stonebridge.assessments.questionnaire_queries import issue_taxonomy

    response = client_for(owner).get(
        q_url("questionnaire_export", buyer, questionnaire_id=questionnaire.pk)
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    spec = xlsform.read(
        b"".join(response.streaming_content) if response.streaming else response.content,
        taxonomy=issue_taxonomy(),
    )
    assert [q.name for q in spec.questions()] == [q.name for q in SPEC.questions()]


def test_the_buyer_sends_a_questionnaire_to_a_supplier_it_works_with(
    buyer, owner, questionnaire, relationship, supplier_org
):
    response = client_for(owner).post(
        q_url("questionnaire_send", buyer, questionnaire_id=questionnaire.pk),
        {"relationship": relationship.pk},
        follow=True,
    )
    assert "Sent. The supplier finds it in its workspace." in response.content.decode()
    sent = Submission.objects.get()
    assert (sent.organisation, sent.buyer, sent.status) == (supplier_org, buyer, "draft")
    assert list(sent.facilities.all()) == [relationship.facility]


# --- the supplier fills it in ---------------------------------------------------------------


def fill_url(supplier_org, submission, section=1):
    url = q_url("workspace_submission", supplier_org, submission_id=submission.pk)
    return f"{url}?section={section}"


def test_the_supplier_finds_it_in_its_workspace_in_chinese(supplier_org, supplier_user, draft):
    client = client_for(supplier_user)
    page = client.get(q_url("workspace_questionnaires", supplier_org)).content.decode()
    assert "工作条件自查" in page
    page = client.get(fill_url(supplier_org, draft)).content.decode()
    assert "工人加班吗" in page
    # The question that depends on an answer is there for the script, hidden until then.
    assert 'data-question="overtime_hours" hidden' in page


def test_saving_without_script_reveals_the_question_the_answer_calls_for(
    supplier_org, supplier_user, draft
):
    client = client_for(supplier_user)
    response = client.post(
        fill_url(supplier_org, draft), {"action": "save", "overtime": "yes"}, follow=True
    )
    page = response.content.decode()
    assert "已保存为草稿" in page
    assert 'data-question="overtime_hours">' in page
    assert Answer.objects.get(question__name="overtime").value == "yes"


def test_the_answers_go_section_by_section_and_are_sent_with_a_file(
    supplier_org, supplier_user, draft, buyer
):
    client = client_for(supplier_user)
    response = client.post(
        fill_url(supplier_org, draft),
        {"action": "next", "overtime": "yes", "overtime_hours": "48", "dust_masks": "yes"},
    )
    assert response["Location"].endswith("?section=2")
    response = client.post(
        fill_url(supplier_org, draft, 2),
        {
            "action": "submit",
            "note": "旺季加班多。",
            "contract_copy": SimpleUploadedFile("contract.png", PNG_BYTES),
        },
        follow=True,
    )
    assert "已发送" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.answers.get(question__name="contract_copy").files.count() == 1


def test_a_required_answer_missing_stops_the_sending(supplier_org, supplier_user, draft):
    client = client_for(supplier_user)
    client.post(fill_url(supplier_org, draft), {"action": "save", "overtime": "yes"})
    response = client.post(fill_url(supplier_org, draft, 2), {"action": "submit"})
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == "draft"
    # The question to answer is in the first part: its name and part are said on the second.
    assert "第1部分，“每月加班最多多少小时" in response.content.decode()


def test_a_viewer_of_the_supplier_reads_but_cannot_save(supplier_org, draft):
    reader = member(supplier_org, role="viewer")
    client = client_for(reader)
    page = client.get(fill_url(supplier_org, draft)).content.decode()
    assert 'name="action"' not in page
    assert client.post(fill_url(supplier_org, draft), {"overtime": "no"}).status_code == 403


# --- the buyer reviews ------------------------------------------------------------------------


def test_the_review_shows_the_age_the_problem_and_what_is_only_stated(buyer, owner, submitted):
    page = (
        client_for(owner)
        .get(q_url("submission", buyer, submission_id=submitted.pk))
        .content.decode()
    )
    assert "submitted 3 months ago" in page
    assert "points to a problem" in page  # overtime, 60 hours
    assert "as stated by the supplier, not verified" in page  # dust masks worn
    assert "Anything to add?" not in page or "not answered" in page


def test_a_follow_up_reopens_the_answers_and_the_supplier_replies(
    buyer, owner, submitted, supplier_org, supplier_user
):
    answer = submitted.answers.get(question__name="overtime_hours")
    client_for(owner).post(
        q_url("follow_up", buyer, answer_id=answer.pk),
        {"question": "Which months?"},
    )
    asked = FollowUp.objects.get()
    page = client_for(supplier_user).get(fill_url(supplier_org, submitted)).content.decode()
    assert "Which months?" in page
    response = client_for(supplier_user).post(
        q_url("workspace_reply", supplier_org, follow_up_id=asked.pk),
        {"reply": "三月到五月。"},
        follow=True,
    )
    assert "您的回复已发送" in response.content.decode()
    page = (
        client_for(owner)
        .get(q_url("submission", buyer, submission_id=submitted.pk))
        .content.decode()
    )
    assert "三月到五月。" in page


def test_accepting_turns_adverse_answers_into_evidence(buyer, owner, submitted):
    response = client_for(owner).post(
        q_url("submission_accept", buyer, submission_id=submitted.pk), follow=True
    )
    assert "Accepted." in response.content.decode()
    found = Evidence.objects.filter(organisation=buyer)
    assert {e.issue_id for e in found} == {"HOURS_WAGES"}


# --- answer once, share many ------------------------------------------------------------------


def test_the_supplier_shares_its_answers_with_another_buyer_it_works_with(
    submitted, supplier_org, supplier_user, other_buyer_org, other_buyer, chain
):
    url = q_url("submission", other_buyer_org, submission_id=submitted.pk)
    assert client_for(other_buyer).get(url).status_code == 404
    from stonebridge.supplychain.services import facility_create

    site = facility_create(
        organisation=other_buyer_org, by=other_buyer, kind="processor", name_zh="某石材厂"
    )
    relationship = relationships.relationship_create(
        organisation=other_buyer_org, by=other_buyer, facility=site, supplier=supplier_org
    )
    relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)
    page = client_for(supplier_user).get(fill_url(supplier_org, submitted)).content.decode()
    assert "Steinwerk Import GmbH" in page
    client_for(supplier_user).post(
        q_url("workspace_share", supplier_org, submission_id=submitted.pk),
        {"buyer": other_buyer_org.pk},
    )
    assert SubmissionShare.objects.filter(buyer=other_buyer_org).exists()
    page = client_for(other_buyer).get(url).content.decode()
    assert "submitted 3 months ago" in page
    assert "shared with you by the supplier" in page
    # The supplier withdraws its consent: the buyer reads the answers no more.
    response = client_for(supplier_user).post(
        q_url("workspace_unshare", supplier_org, submission_id=submitted.pk),
        {"buyer": other_buyer_org.pk},
        follow=True,
    )
    assert "这家采购商已不能再看到这些回答" in response.content.decode()
    assert client_for(other_buyer).get(url).status_code == 404


def test_the_lists_take_the_same_queries_however_many_questionnaires_and_answers(
    buyer, owner, submitted, supplier_org, supplier_user
):
    def count(url, user):
        with CaptureQueriesContext(connection) as queries:
            assert client_for(user).get(url).status_code == 200
        return len(queries)

    lists = [
        (q_url("questionnaires", buyer), owner),
        (q_url("submissions", buyer), owner),
        (q_url("workspace_questionnaires", supplier_org), supplier_user),
    ]
    before = [count(url, user) for url, user in lists]
    for n in range(3):
        version = services.questionnaire_import(
            owner=buyer, by=owner, content=form_bytes(), slug=f"check-{n}"
        )
        version = services.questionnaire_publish(version=version, by=owner)
        answered = services.submission_start(
            organisation=supplier_org,
            buyer=buyer,
            version=version,
            facilities=submitted.facilities.all(),
            by=owner,
        )
        services.submission_save(submission=answered, by=supplier_user, answers={"overtime": "no"})
        services.submission_submit(submission=answered, by=supplier_user)
    assert [count(url, user) for url, user in lists] == before


def test_a_new_version_imports_into_the_same_questionnaire(buyer, owner, questionnaire):
    url = q_url("questionnaire_import", buyer) + f"?questionnaire={questionnaire.pk}"
    page = client_for(owner).get(url).content.decode()
    assert "As a new draft version of “Working conditions check”" in page
    response = client_for(owner).post(
        url, {"file": SimpleUploadedFile("form.xlsx", form_bytes())}, follow=True
    )
    assert "Imported as a draft." in response.content.decode()
    assert Questionnaire.objects.filter(owner=buyer).count() == 1
    assert questionnaire.draft().number == 2
    assert questionnaire.latest_published().number == 1


def test_a_questionnaire_shipped_for_everyone_is_not_imported_into(buyer, owner):
    shipped = services.questionnaire_load_shipped()
    url = q_url("questionnaire_import", buyer) + f"?questionnaire={shipped.questionnaire_id}"
    assert client_for(owner).get(url).status_code == 404

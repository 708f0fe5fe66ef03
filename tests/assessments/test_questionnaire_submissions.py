"""The supplier answers, saves drafts, attaches files and submits; the buyer asks follow-ups and
accepts; adverse answers become evidence, and the answers reach only the buyers the supplier
chose."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from stonebridge.assessments.models import Answer, Submission
from stonebridge.assessments.questionnaire_queries import (
    answers_for_review,
    buyers_to_share_with,
    submissions_for_buyer,
)
from stonebridge.assessments.services.questionnaires import (
    questionnaire_import,
    questionnaire_publish,
    submission_accept,
    submission_follow_up,
    submission_reply,
    submission_save,
    submission_share,
    submission_start,
    submission_submit,
    submission_unshare,
)
from stonebridge.risk.models import Evidence
from tests.assessments.questionnaire_helpers import facility_elsewhere, works_with, xlsform

__all__ = ["works_with"]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
GOOD = {"dry_cutting": "yes", "dust_control": "yes", "overtime": "20"}


@pytest.fixture
def version(buyer, owner):
    return questionnaire_publish(
        version=questionnaire_import(owner=buyer, by=owner, content=xlsform()), by=owner
    )


@pytest.fixture
def submission(version, works_with, buyer, supplier_org, supplier_user):
    return submission_start(
        organisation=supplier_org,
        buyer=buyer,
        version=version,
        facilities=[works_with["exporter"]],
        by=supplier_user,
    )


def answered(submission, user, answers, **files):
    submission_save(submission=submission, by=user, answers=answers, files=files)
    return submission_submit(submission=submission, by=user)


def errors_of(call, **kwargs):
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def test_the_supplier_starts_only_on_a_published_version_for_its_own_sites_and_buyers(
    buyer, owner, version, works_with, supplier_org, supplier_user
):
    draft = questionnaire_import(owner=buyer, by=owner, content=xlsform(), slug="draft")
    errors = errors_of(
        submission_start,
        organisation=supplier_org,
        buyer=works_with["stranger"],
        version=draft,
        facilities=[facility_elsewhere(buyer, owner)],
        by=supplier_user,
    )
    assert set(errors) == {"version", "buyer", "facilities"}
    assert not Submission.objects.exists()


def test_submit_asks_for_each_required_question_that_is_shown(submission, supplier_user):
    # Nothing answered: the dust question is hidden until dry cutting is answered "yes".
    assert set(errors_of(submission_submit, submission=submission, by=supplier_user)) == {
        "dry_cutting",
        "overtime",
    }
    submission_save(submission=submission, by=supplier_user, answers={"dry_cutting": "yes"})
    assert set(errors_of(submission_submit, submission=submission, by=supplier_user)) == {
        "dust_control",
        "overtime",
    }
    submission.refresh_from_db()
    assert submission.status == "draft"
    assert submission.submitted_at is None


def test_answers_to_questions_hidden_at_submission_are_dropped(submission, supplier_user):
    submission_save(submission=submission, by=supplier_user, answers=GOOD)
    # The factory stopped dry cutting: the dust answer no longer applies.
    submitted = answered(submission, supplier_user, {"dry_cutting": "no"})
    assert submitted.status == "submitted"
    assert submitted.submitted_at is not None
    assert set(submitted.answers.values_list("question__name", flat=True)) == {
        "dry_cutting",
        "overtime",
    }


def test_a_bad_answer_is_a_field_error_and_saves_nothing(submission, supplier_user):
    errors = errors_of(
        submission_save,
        submission=submission,
        by=supplier_user,
        answers={"dry_cutting": "sometimes", "overtime": "twelve", "comments": "好"},
    )
    assert set(errors) == {"dry_cutting", "overtime"}
    assert not Answer.objects.exists()


def test_a_file_is_checked_by_its_bytes_and_kept_with_the_answer(submission, supplier_user):
    program = SimpleUploadedFile("dust.png", b"MZ\x90\x00 not a picture")
    errors = errors_of(
        submission_save,
        submission=submission,
        by=supplier_user,
        answers=GOOD,
        files={"photo": [program]},
    )
    assert list(errors) == ["photo"]
    submission_save(
        submission=submission,
        by=supplier_user,
        answers=GOOD,
        files={"photo": [SimpleUploadedFile("抽风罩.jpeg", PNG)]},
    )
    stored = Answer.objects.get(question__name="photo").files.get()
    assert (stored.name, stored.content_type, stored.size) == ("抽风罩.png", "image/png", len(PNG))


def test_acceptance_turns_only_adverse_answers_into_the_suppliers_own_disclosure(
    submission, supplier_user, buyer, owner, works_with
):
    answered(
        submission, supplier_user, {"dry_cutting": "yes", "dust_control": "no", "overtime": "48"}
    )
    submitted_on = timezone.localdate(submission.submitted_at)
    Submission.objects.filter(pk=submission.pk).update(
        submitted_at=submission.submitted_at - timedelta(days=10)
    )
    submission.refresh_from_db()
    evidence = submission_accept(submission=submission, buyer=buyer, by=owner)
    rows = Evidence.objects.filter(organisation=buyer).order_by("issue__order")
    assert [(e.issue_id, e.indicator.code) for e in rows] == [
        ("OHS", "OHS_SILICA"),
        ("HOURS_WAGES", "HW_OVERTIME_CAP"),
    ]
    assert {e.pk for e in evidence} == {e.pk for e in rows}
    for row in rows:
        assert row.kind == "finding"
        assert row.source_type == "self_assessment"
        assert row.disclosed_by_supplier
        assert row.facility == works_with["exporter"]
        assert row.observed_on == submitted_on - timedelta(days=10)
        answer = Answer.objects.get(pk=int(row.origin.removeprefix("assessments.answer:")))
        assert answer.submission == submission
    submission.refresh_from_db()
    assert submission.status == "accepted"


def test_reassuring_answers_are_as_stated_and_lower_nothing(
    submission, supplier_user, buyer, owner
):
    answered(submission, supplier_user, GOOD)
    assert submission_accept(submission=submission, buyer=buyer, by=owner) == []
    assert not Evidence.objects.exists()
    notes = {row.question.name: row.note for row in answers_for_review(submission)}
    assert notes["dust_control"] == "As stated by the supplier; lowers no risk until verified"


def test_a_follow_up_reopens_the_answers_until_the_supplier_submits_again(
    submission, supplier_user, buyer, owner
):
    answered(submission, supplier_user, {**GOOD, "overtime": "36"})
    answer = submission.answers.get(question__name="overtime")
    follow_up = submission_follow_up(
        answer=answer, buyer=buyer, by=owner, question="Is this the peak month?"
    )
    submission.refresh_from_db()
    assert submission.status == "follow_up"
    assert "submission" in errors_of(
        submission_accept, submission=submission, buyer=buyer, by=owner
    )
    submission_reply(follow_up=follow_up, by=supplier_user, reply="是的，六月最忙。")
    answered(submission, supplier_user, {"overtime": "40"})
    assert len(submission_accept(submission=submission, buyer=buyer, by=owner)) == 1


def test_sharing_reaches_only_the_buyer_the_supplier_consents_to(
    submission, supplier_user, buyer, owner, other_buyer_org, other_buyer, works_with
):
    stranger = works_with["stranger"]
    assert list(submissions_for_buyer(buyer)) == []  # a draft reaches no buyer
    answered(
        submission, supplier_user, {"dry_cutting": "yes", "dust_control": "no", "overtime": "8"}
    )
    assert list(submissions_for_buyer(buyer)) == [submission]
    assert list(submissions_for_buyer(other_buyer_org)) == []
    assert list(buyers_to_share_with(submission)) == [other_buyer_org]
    errors = errors_of(submission_share, submission=submission, buyer=stranger, by=supplier_user)
    assert list(errors) == ["buyer"]
    share = submission_share(submission=submission, buyer=other_buyer_org, by=supplier_user)
    assert list(submissions_for_buyer(other_buyer_org)) == [submission]
    assert list(submissions_for_buyer(stranger)) == []
    # The other buyer sees how old the answers are, and accepts them for its own register.
    assert submission.age() >= timedelta(0)
    submission_accept(submission=submission, buyer=other_buyer_org, by=other_buyer)
    assert set(Evidence.objects.values_list("organisation__slug", flat=True)) == {"steinwerk"}
    submission.refresh_from_db()
    assert submission.status == "submitted"  # Noordsteen's own review is still to come
    submission_unshare(share=share, by=supplier_user)
    assert list(submissions_for_buyer(other_buyer_org)) == []
    assert "submission" in errors_of(
        submission_follow_up,
        answer=submission.answers.first(),
        buyer=other_buyer_org,
        by=other_buyer,
        question="?",
    )


def test_answers_for_a_merged_away_record_are_answers_for_the_kept_one(
    submission, supplier_user, buyer, owner
):
    from stonebridge.supplychain.merge import facility_merge
    from tests.conftest import UserFactory

    removed = submission.facilities.get()
    kept = facility_elsewhere(buyer, owner)
    facility_merge(keep=kept, remove=removed, by=UserFactory(is_staff=True))
    assert list(submission.facilities.all()) == [kept]

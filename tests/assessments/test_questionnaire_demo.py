"""The demo has one self-assessment sent by a Chinese supplier and waiting for a buyer's review."""

from django.core.management import call_command

from stonebridge.accounts.models import Organisation
from stonebridge.assessments.questionnaire_queries import (
    adverse_answers,
    submissions_for_buyer,
)


def test_the_demo_buyer_has_a_submitted_self_assessment_to_review(db):
    call_command("seed_demo", stdout=None)
    noordsteen = Organisation.objects.get(slug="noordsteen")
    [submission] = submissions_for_buyer(noordsteen)
    assert submission.organisation.slug == "haichen-stone"
    assert submission.status == "submitted"
    assert submission.age().days == 21
    assert submission.answers.filter(files__isnull=False).count() == 2
    # Overtime above the legal cap and rest days skipped in the busy season, among others.
    raised = {(item.issue, item.indicator) for item in adverse_answers(submission)}
    assert {("HOURS_WAGES", "HW_OVERTIME_CAP"), ("HOURS_WAGES", "HW_SEVEN_DAYS")} <= raised
    for other in Organisation.objects.filter(kind="buyer").exclude(pk=noordsteen.pk):
        assert not submissions_for_buyer(other).exists()

"""A small questionnaire a person can check by hand, sent by the buyer to its supplier.

Section "Working hours": overtime (yes adverse) → overtime_hours, shown only when overtime is
"yes" and adverse above 36; dust_masks (yes reassuring). Section "Papers": a contract copy (file)
and a free note.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from stonebridge.assessments import xlsform
from stonebridge.assessments.models.questionnaires import Submission
from stonebridge.assessments.services import questionnaires as services
from stonebridge.engagement.services import relationships

YES_NO = (
    xlsform.ChoiceSpec("yes", "Yes", "是", adverse=True),
    xlsform.ChoiceSpec("no", "No", "否"),
)
SPEC = xlsform.FormSpec(
    title_en="Working conditions check",
    title_zh="工作条件自查",
    form_id="working_conditions",
    sections=(
        xlsform.SectionSpec(
            "hours",
            "Working hours",
            "工作时间",
            questions=(
                xlsform.QuestionSpec(
                    "overtime",
                    "select_one",
                    "Do workers work overtime?",
                    "工人加班吗？",  # noqa: RUF001
                    required=True,
                    issue="HOURS_WAGES",
                    list_name="yes_no",
                    choices=YES_NO,
                ),
                xlsform.QuestionSpec(
                    "overtime_hours",
                    "integer",
                    "How many overtime hours a month, at most?",
                    "每月加班最多多少小时？",  # noqa: RUF001
                    relevant="${overtime} = 'yes'",
                    required=True,
                    issue="HOURS_WAGES",
                    indicator="HW_OVERTIME_CAP",
                    adverse_when="${overtime_hours} > 36",
                ),
                xlsform.QuestionSpec(
                    "dust_masks",
                    "select_one",
                    "Do workers who cut stone wear dust masks?",
                    "切割石材的工人戴防尘口罩吗？",  # noqa: RUF001
                    issue="OHS",
                    indicator="OHS_SILICA",
                    list_name="masks",
                    choices=(
                        xlsform.ChoiceSpec("yes", "Yes", "是"),
                        xlsform.ChoiceSpec("no", "No", "否", adverse=True),
                    ),
                ),
            ),
        ),
        xlsform.SectionSpec(
            "papers",
            "Papers",
            "文件",
            questions=(
                xlsform.QuestionSpec(
                    "contract_copy", "file", "A blank labour contract", "空白劳动合同"
                ),
                xlsform.QuestionSpec(
                    "note",
                    "text",
                    "Anything to add?",
                    "还有要说的吗？",  # noqa: RUF001
                ),
            ),
        ),
    ),
)


def form_bytes(spec: xlsform.FormSpec = SPEC) -> bytes:
    return xlsform.write(spec)


@pytest.fixture
def questionnaire(buyer, owner):
    version = services.questionnaire_import(owner=buyer, by=owner, content=form_bytes())
    return services.questionnaire_publish(version=version, by=owner).questionnaire


@pytest.fixture
def relationship(buyer, owner, chain, supplier_org, supplier_user):
    relationship = relationships.relationship_create(
        organisation=buyer, by=owner, facility=chain["processor"], supplier=supplier_org
    )
    return relationships.sharing_answer(relationship=relationship, by=supplier_user, accept=True)


@pytest.fixture
def draft(questionnaire, relationship, buyer, owner, supplier_org) -> Submission:
    return services.submission_start(
        organisation=supplier_org,
        buyer=buyer,
        version=questionnaire.latest_published(),
        facilities=[relationship.facility],
        by=owner,
    )


@pytest.fixture
def submitted(draft, supplier_user) -> Submission:
    services.submission_save(
        submission=draft,
        by=supplier_user,
        answers={"overtime": "yes", "overtime_hours": "60", "dust_masks": "yes"},
    )
    submission = services.submission_submit(submission=draft, by=supplier_user)
    # Submitted three months ago: the buyer reads how old the answers are.
    Submission.objects.filter(pk=submission.pk).update(
        submitted_at=timezone.now() - timedelta(days=95)
    )
    submission.refresh_from_db()
    return submission

"""XLSForm import and export: every bad row named with its sheet and row, nothing half-built,
and what goes out comes back the same."""

import re

import pytest
from django.core.exceptions import ValidationError

from stonebridge.assessments.models import Choice, Question, Questionnaire
from stonebridge.assessments.questionnaire_queries import (
    questionnaire_export,
    shipped_questionnaire,
    version_spec,
)
from stonebridge.assessments.services.questionnaires import (
    questionnaire_import,
    questionnaire_load_shipped,
    questionnaire_new_version,
    questionnaire_publish,
)
from stonebridge.risk.models import Issue
from tests.assessments.questionnaire_helpers import CHOICES, SURVEY, xlsform

NINE = {
    "OHS",
    "HOURS_WAGES",
    "YOUTH",
    "CONTRACTS",
    "SOCIAL_SECURITY",
    "ENVIRONMENT",
    "FORCED_LABOUR",
    "VOICE",
    "TRANSPARENCY",
}
HANZI = re.compile(r"[\u4e00-\u9fff]")


def import_errors(buyer, owner, content) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        questionnaire_import(owner=buyer, by=owner, content=content)
    return caught.value.message_dict["file"]


def test_it_builds_sections_questions_choices_and_conditions(buyer, owner):
    version = questionnaire_import(owner=buyer, by=owner, content=xlsform())
    assert version.title_en == "Dust and hours"
    assert version.title_zh == "粉尘与工时"
    assert [s.name for s in version.sections.all()] == ["health", ""]
    questions = list(version.ordered_questions())
    assert [q.name for q in questions] == [
        "dry_cutting",
        "dust_control",
        "photo",
        "overtime",
        "comments",
    ]
    dust = questions[1]
    assert (dust.kind, dust.required, dust.relevant) == (
        "select_one",
        True,
        "${dry_cutting} = 'yes'",
    )
    assert (dust.issue_id, dust.indicator.code) == ("OHS", "OHS_SILICA")
    assert [(c.name, c.label_zh, c.adverse) for c in dust.choices.all()] == [
        ("yes", "是", False),
        ("no", "暂时没有", True),
    ]
    assert questions[3].adverse_when == "${overtime} > 36"
    assert not version.frozen


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({2: ["geopoint", "where", "Where?", "哪里"]}, "survey, row 4: Type “geopoint”"),
        (
            {2: ["integer", "n", "N", "数", "${dry_cutting} + 1 > 2"]},
            "survey, row 4: relevant: cannot read “+ 1 > 2” at 16",
        ),
        (
            {2: ["integer", "n", "N", "数", "${later} = 'x'"]},
            "survey, row 4: relevant refers to “later”, which is not a question above.",
        ),
        (
            {2: ["integer", "n", "N", ""]},
            "survey, row 4: Give the label in English and in Chinese.",
        ),
        (
            {2: ["integer", "n", "N", "数", "", "", "WAGES"]},
            "survey, row 4: “WAGES” is not an issue code.",
        ),
        (
            {2: ["integer", "n", "N", "数", "", "", "OHS", "HW_OVERTIME_CAP"]},
            "survey, row 4: Indicator “HW_OVERTIME_CAP” belongs to issue “HOURS_WAGES”.",
        ),
        ({2: ["select_one colours", "c", "C", "色"]}, "survey, row 4: No list “colours”"),
        (
            {2: ["integer", "dry_cutting", "Again", "再"]},
            "survey, row 4: “dry_cutting” is used twice.",
        ),
    ],
)
def test_a_bad_survey_row_is_named_by_its_row(buyer, owner, change, expected):
    survey = [change.get(index, row) for index, row in enumerate(SURVEY)]
    errors = import_errors(buyer, owner, xlsform(survey=survey))
    assert any(error.startswith(expected) for error in errors), errors
    assert not Questionnaire.objects.exists()


def test_every_bad_row_is_reported_at_once_and_nothing_is_imported(buyer, owner):
    survey = [*SURVEY, ["note", "thanks", "Thanks", "谢谢"], ["integer", "x", "X", ""]]
    choices = [*CHOICES, ["good", "maybe", "Maybe", "", "perhaps"]]
    errors = import_errors(buyer, owner, xlsform(survey=survey, choices=choices))
    assert errors == [
        "choices, row 6: Give the label in English and in Chinese.",
        "choices, row 6: stonebridge_adverse must be yes or empty.",
        "survey, row 9: Type “note” is not supported: use select_one, select_multiple, "
        "integer, decimal, date, text, file, begin_group, end_group.",
        "survey, row 10: Give the label in English and in Chinese.",
    ]
    assert not Questionnaire.objects.exists()
    assert not Question.objects.exists()


def test_an_adverse_answer_must_say_which_issue_it_raises(buyer, owner):
    survey = [
        ["select_one yn", "dust", "Dust?", "粉尘"],
        ["integer", "hours", "Hours", "小时", "", "", "", "", "${hours} > 60"],
    ]
    choices = [["yn", "yes", "Yes", "是"], ["yn", "no", "No", "否", "yes"]]
    errors = import_errors(buyer, owner, xlsform(survey=survey, choices=choices))
    assert errors == [
        "choices, row 3: Give the stonebridge_issue this adverse answer raises, here or on dust.",
        "survey, row 3: Give the stonebridge_issue an adverse answer raises.",
    ]


def test_a_file_that_is_not_a_workbook_is_refused(buyer, owner):
    assert import_errors(buyer, owner, b"type,name\n") != []


def test_export_then_import_gives_the_same_questionnaire(buyer, owner):
    first = questionnaire_import(owner=buyer, by=owner, content=xlsform())
    exported = questionnaire_export(version=first)
    again = questionnaire_import(owner=buyer, by=owner, content=exported, slug="copy")
    assert version_spec(again) == version_spec(first)


def test_the_shipped_self_assessment_round_trips(db):
    version = questionnaire_load_shipped()
    again = questionnaire_import(
        owner=None, by=None, content=questionnaire_export(version=version), slug="copy"
    )
    assert version_spec(again) == version_spec(version)


def test_stonebridge_ships_a_self_assessment_on_the_nine_issues_in_both_languages(db):
    version = questionnaire_load_shipped()
    assert version.frozen
    assert version.questionnaire.owner is None
    questions = list(version.ordered_questions())
    informed = {q.issue_id for q in questions} | {
        c.issue_id for c in Choice.objects.filter(question__section__version=version)
    }
    assert informed >= NINE
    assert set(Issue.objects.values_list("code", flat=True)) >= NINE
    texts = [(q.label_en, q.label_zh) for q in questions] + [
        (c.label_en, c.label_zh) for q in questions for c in q.choices.all()
    ]
    assert all(en and HANZI.search(zh) for en, zh in texts)
    assert version.title_zh == "供应商自评问卷：工作条件与供应链"
    # Evidence to attach, and questions that show only when an earlier answer says so.
    assert sum(q.kind == "file" for q in questions) >= 5
    assert sum(bool(q.relevant) for q in questions) >= 10
    # Glossary words: no 设施 for a site, no 投诉 for a grievance, 您 rather than 你.
    chinese = " ".join(zh for _en, zh in texts)
    assert "设施" not in chinese
    assert "投诉" not in chinese
    assert "你" not in chinese


def test_loading_the_shipped_questionnaire_again_adds_nothing(db):
    first = questionnaire_load_shipped()
    assert questionnaire_load_shipped() == first
    assert shipped_questionnaire().versions.count() == 1


def test_a_published_version_is_frozen_and_editing_starts_a_new_draft(buyer, owner):
    version = questionnaire_publish(
        version=questionnaire_import(owner=buyer, by=owner, content=xlsform()), by=owner
    )
    with pytest.raises(ValidationError):
        questionnaire_publish(version=version, by=owner)
    draft = questionnaire_new_version(questionnaire=version.questionnaire, by=owner)
    assert (draft.number, draft.frozen) == (2, False)
    assert version_spec(draft) == version_spec(version)
    # Importing into the questionnaire replaces the draft, never the published version.
    survey = [row for row in SURVEY if row[:2] != ["text", "comments"]]
    replaced = questionnaire_import(
        owner=buyer, by=owner, content=xlsform(survey=survey), questionnaire=version.questionnaire
    )
    assert replaced.number == 2
    assert [v.number for v in version.questionnaire.versions.all()] == [2, 1]
    assert "comments" in {q.name for q in version.ordered_questions()}
    assert "comments" not in {q.name for q in replaced.ordered_questions()}


def test_the_command_loads_the_shipped_questionnaire_once(db):
    from django.core.management import call_command

    call_command("load_questionnaires", stdout=None)
    call_command("load_questionnaires", stdout=None)
    assert shipped_questionnaire().versions.filter(published_at__isnull=False).count() == 1

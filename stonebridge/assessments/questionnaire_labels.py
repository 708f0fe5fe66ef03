"""What the audit log calls the questionnaire changes, in the reader's language."""

from django.utils.translation import gettext_lazy as _

from stonebridge.audit.labels import register, register_fields


def register_labels() -> None:
    register(
        {
            "assessments.questionnaire_imported": _("Questionnaire imported"),
            "assessments.questionnaire_published": _("Questionnaire published"),
            "assessments.questionnaire_version_started": _("New questionnaire version started"),
            "assessments.submission_started": _("Questionnaire answers started"),
            "assessments.submission_saved": _("Questionnaire answers saved"),
            "assessments.answer_file_removed": _("File removed from an answer"),
            "assessments.submission_submitted": _("Questionnaire answers sent"),
            "assessments.follow_up_asked": _("Follow-up question asked"),
            "assessments.follow_up_replied": _("Follow-up question answered"),
            "assessments.submission_accepted": _("Questionnaire answers accepted"),
            "assessments.submission_shared": _("Questionnaire answers shared with a buyer"),
            "assessments.submission_unshared": _("Sharing of questionnaire answers withdrawn"),
            "assessments.questionnaire_created": _("Questionnaire created"),
            "assessments.section_added": _("Questionnaire part added"),
            "assessments.section_deleted": _("Questionnaire part removed"),
            "assessments.question_added": _("Question added"),
            "assessments.question_deleted": _("Question removed"),
            "assessments.choice_added": _("Answer choice added"),
        }
    )
    register_fields(
        {
            "answers": _("answers"),
            "dropped": _("answers to hidden questions removed"),
            "questions": _("questions"),
            "evidence": _("risk evidence"),
            "submission": _("questionnaire answers"),
            "question": _("question"),
            "from": _("copied from version"),
            "file": _("file"),
            "facilities": _("facilities"),
        },
        lists=["answers", "dropped", "evidence", "facilities", "files"],
    )

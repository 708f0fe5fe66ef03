"""What the questionnaire API reads and returns; the routes are in questionnaire_api.py."""

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import WithJsonSchema

from stonebridge.inputs import Id, Input

from .models.questionnaires import QuestionKind, SubmissionStatus

Kind = Annotated[
    QuestionKind, WithJsonSchema({"type": "string", "enum": list(QuestionKind.values)})
]
Status = Annotated[
    SubmissionStatus, WithJsonSchema({"type": "string", "enum": list(SubmissionStatus.values)})
]
# An answer as stored: a choice's name, a list of names for a multiple choice, a number or an
# ISO date as text, or null for none.
AnswerValue = Annotated[
    Any,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}},
                {"type": "null"},
            ]
        }
    ),
]


class VersionOut(Schema):
    number: int
    title_en: str
    title_zh: str
    published_at: datetime | None


class QuestionnaireOut(Schema):
    id: int
    slug: str
    title_en: str
    title_zh: str
    owner: str | None = Field(None, description="Slug of the owner; null for StoneBridge's own")
    versions: list[VersionOut]

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return obj.owner.slug if obj.owner_id else None

    @staticmethod
    def resolve_versions(obj: Any) -> list[Any]:
        return list(obj.versions.order_by("-number"))


class ChoiceOut(Schema):
    name: str
    label_en: str
    label_zh: str
    adverse: bool


class QuestionOut(Schema):
    name: str
    section: str
    kind: Kind
    label_en: str
    label_zh: str
    required: bool
    relevant: str = Field(description="XLSForm condition: shown only when it holds")
    issue: str | None
    indicator: str | None
    choices: list[ChoiceOut]

    @staticmethod
    def resolve_section(obj: Any) -> str:
        return str(obj.section.name)

    @staticmethod
    def resolve_issue(obj: Any) -> str | None:
        return obj.issue_id

    @staticmethod
    def resolve_indicator(obj: Any) -> str | None:
        return obj.indicator.code if obj.indicator_id else None

    @staticmethod
    def resolve_choices(obj: Any) -> list[Any]:
        return list(obj.choices.all())


class VersionDetailOut(VersionOut):
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(obj: Any) -> list[Any]:
        return list(obj.ordered_questions())


class QuestionnaireDetailOut(QuestionnaireOut):
    latest: VersionDetailOut | None = Field(description="The newest version, draft or published")

    @staticmethod
    def resolve_latest(obj: Any) -> Any:
        return obj.versions.order_by("-number").first()


class SendIn(Input):
    relationship_id: Id = Field(description="A relationship whose supplier accepted it")


class SubmissionOut(Schema):
    id: int
    questionnaire_id: int
    version: int
    supplier: str
    buyer: str | None = Field(
        description="The buyer the answers were sent to; null for a buyer they are shared with"
    )
    status: Status
    started_at: datetime
    submitted_at: datetime | None
    age_days: int | None = Field(description="Days since the answers were submitted")

    @staticmethod
    def resolve_questionnaire_id(obj: Any) -> int:
        return int(obj.version.questionnaire_id)

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return int(obj.version.number)

    @staticmethod
    def resolve_supplier(obj: Any) -> str:
        return str(obj.organisation.slug)

    @staticmethod
    def resolve_buyer(obj: Any) -> str | None:
        # Which other buyer asked is that buyer's business, not the one the answers are shared
        # with.
        reader = getattr(obj, "reader_id", None)
        if reader is not None and reader != obj.buyer_id:
            return None
        return str(obj.buyer.slug)

    @staticmethod
    def resolve_age_days(obj: Any) -> int | None:
        age = obj.age()
        return None if age is None else age.days


class FollowUpOut(Schema):
    id: int
    question_name: str
    question: str
    asked_at: datetime
    reply: str
    replied_at: datetime | None

    @staticmethod
    def resolve_question_name(obj: Any) -> str:
        return str(obj.answer.question.name)


class AnswerOut(Schema):
    id: int | None
    question: str
    value: AnswerValue
    files: list[str]
    adverse: bool = Field(description="Points to a problem: evidence once the buyer accepts")
    stated: bool = Field(
        description="A reassuring answer, as stated by the supplier: lowers nothing until verified"
    )
    updated_at: datetime | None
    follow_ups: list[FollowUpOut]


class SubmissionDetailOut(SubmissionOut):
    answers: list[AnswerOut] = Field(description="The questions the conditions show, in order")

    @staticmethod
    def resolve_answers(obj: Any) -> list[dict[str, Any]]:
        return list(obj.shown_answers)


class AnswersIn(Input):
    answers: dict[str, AnswerValue] = Field(
        description="Question name → answer; null clears an answer. Files through the pages."
    )


class FollowUpIn(Input):
    question: str = Field(min_length=1, max_length=2000)


class ReplyIn(Input):
    reply: str = Field(min_length=1, max_length=4000)


class ShareIn(Input):
    buyer: str = Field(description="Slug of another buyer the supplier works with", max_length=60)


class ShareOut(Schema):
    submission_id: int
    buyer: str
    consented_at: datetime

    @staticmethod
    def resolve_buyer(obj: Any) -> str:
        return str(obj.buyer.slug)


class AcceptOut(Schema):
    evidence: list[int] = Field(description="Evidence recorded from the adverse answers")

"""Evidence from the field: questionnaires the supplier answers, visits and their findings, and
the factory's own wage-and-hours records checked against the law. Each concept has its module;
every one of them reaches risk only through `risk.services`."""

from .questionnaires import (
    Answer,
    AnswerFile,
    Choice,
    FollowUp,
    Question,
    QuestionKind,
    Questionnaire,
    Section,
    Submission,
    SubmissionShare,
    SubmissionStatus,
    Version,
)
from .records import (
    HoursApproval,
    RecordsCheck,
    RecordsFile,
    RecordsIndication,
    RecordsViolation,
)
from .visits import (
    CONFIDENCE,
    Dispute,
    DisputeOutcome,
    Finding,
    FindingFile,
    FindingState,
    Severity,
    Visit,
    VisitKind,
    VisitSite,
)

__all__ = [
    "CONFIDENCE",
    "Answer",
    "AnswerFile",
    "Choice",
    "Dispute",
    "DisputeOutcome",
    "Finding",
    "FindingFile",
    "FindingState",
    "FollowUp",
    "HoursApproval",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "RecordsCheck",
    "RecordsFile",
    "RecordsIndication",
    "RecordsViolation",
    "Section",
    "Severity",
    "Submission",
    "SubmissionShare",
    "SubmissionStatus",
    "Version",
    "Visit",
    "VisitKind",
    "VisitSite",
]

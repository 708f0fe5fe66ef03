"""Evidence from the field: questionnaires the supplier answers, visits and their findings, and
the factory's own wage-and-hours records checked against the law. Each concept has its module;
every one of them reaches risk only through `risk.services`."""

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
    "Dispute",
    "DisputeOutcome",
    "Finding",
    "FindingFile",
    "FindingState",
    "Severity",
    "Visit",
    "VisitKind",
    "VisitSite",
]

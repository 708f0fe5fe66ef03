"""Worker voice: channels, cases, the factory's own procedure, remediation and surveys, one module
each."""

from .cases import (
    TOPIC_ISSUES,
    URGENCY_ORDER,
    Attachment,
    AttachmentKind,
    Case,
    CaseState,
    IdentityReveal,
    Message,
    Route,
    Routing,
    RoutingKind,
    Sender,
    Severity,
    Topic,
    Urgency,
)
from .channels import Channel, Sponsor
from .procedures import Chosen, CommitteeMember, Meeting, MemberRole, Procedure
from .remedies import Payer, Remedy, RemedyKind, RemedyMilestone, RemedyState
from .surveys import GROUP_SECTION, Survey, SurveyResponse

__all__ = [
    "GROUP_SECTION",
    "TOPIC_ISSUES",
    "URGENCY_ORDER",
    "Attachment",
    "AttachmentKind",
    "Case",
    "CaseState",
    "Channel",
    "Chosen",
    "CommitteeMember",
    "IdentityReveal",
    "Meeting",
    "MemberRole",
    "Message",
    "Payer",
    "Procedure",
    "Remedy",
    "RemedyKind",
    "RemedyMilestone",
    "RemedyState",
    "Route",
    "Routing",
    "RoutingKind",
    "Sender",
    "Severity",
    "Sponsor",
    "Survey",
    "SurveyResponse",
    "Topic",
    "Urgency",
]

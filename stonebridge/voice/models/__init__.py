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

__all__ = [
    "TOPIC_ISSUES",
    "URGENCY_ORDER",
    "Attachment",
    "AttachmentKind",
    "Case",
    "CaseState",
    "Channel",
    "IdentityReveal",
    "Message",
    "Route",
    "Routing",
    "RoutingKind",
    "Sender",
    "Severity",
    "Sponsor",
    "Topic",
    "Urgency",
]

from .procedures import Chosen, CommitteeMember, Meeting, MemberRole, Procedure
from .remedies import Payer, Remedy, RemedyKind, RemedyMilestone, RemedyState

__all__ += [
    "Chosen",
    "CommitteeMember",
    "Meeting",
    "MemberRole",
    "Payer",
    "Procedure",
    "Remedy",
    "RemedyKind",
    "RemedyMilestone",
    "RemedyState",
]

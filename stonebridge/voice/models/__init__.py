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
from .surveys import GROUP_SECTION, Survey, SurveyResponse

__all__ += ["GROUP_SECTION", "Survey", "SurveyResponse"]

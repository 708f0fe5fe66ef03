"""A buyer's engagement with a supplier: expectations, joint plans, support, requests, orders,
escalation and exit.

Everything here belongs to the buyer that made it (DESIGN.md, rule 2) and is shared with the
supplier organisation named on the relationship. The supplier sees it in its workspace. Each
model declares the path to both (`accounts/ownership.py`). One module per concept; every model
is named here, where Django and callers find it.
"""

from .collective import (
    CollectiveEngagement,
    CollectiveParticipant,
    CollectiveQuerySet,
    CovenantSharing,
    JointAction,
)
from .escalation import Escalation, ExitPlan, FlagState
from .plans import (
    OPEN_STATUSES,
    Action,
    ActionKind,
    ActionQuerySet,
    ActionStatus,
    Attachment,
    DueDateChange,
    Measure,
    Plan,
    PlanQuerySet,
    Reading,
    Update,
)
from .relationships import (
    DEFAULT_IMPROVEMENT_PERIOD_DAYS,
    Code,
    Commitment,
    Relationship,
    RelationshipQuerySet,
    Status,
    shared_through,
)
from .support import Order, Request, Support

__all__ = [
    "DEFAULT_IMPROVEMENT_PERIOD_DAYS",
    "OPEN_STATUSES",
    "Action",
    "ActionKind",
    "ActionQuerySet",
    "ActionStatus",
    "Attachment",
    "Code",
    "CollectiveEngagement",
    "CollectiveParticipant",
    "CollectiveQuerySet",
    "Commitment",
    "CovenantSharing",
    "DueDateChange",
    "Escalation",
    "ExitPlan",
    "FlagState",
    "JointAction",
    "Measure",
    "Order",
    "Plan",
    "PlanQuerySet",
    "Reading",
    "Relationship",
    "RelationshipQuerySet",
    "Request",
    "Status",
    "Support",
    "Update",
    "shared_through",
]

"""The daily pass: reminders of due and overdue actions in each person's own time zone, and the
red flags re-evaluated (they depend on the date as much as on changes)."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.notifications.services import today_for

from . import services
from .models import Action, ActionStatus, Relationship, Status

# StoneBridge default: people hear of an action this many days before it is due.
DUE_SOON_DAYS = 3


def remind(now: datetime | None = None) -> int:
    """Tell each owner (or, without one, each person of that side) once when an action comes due
    and once when it is overdue, by the calendar where they are. Returns notices sent."""
    now = now or timezone.now()
    sent = 0
    actions = (
        Action.objects.still_open()
        .exclude(status=ActionStatus.REPORTED_DONE)  # waiting for the buyer to verify
        .select_related(
            "plan__relationship__organisation",
            "plan__relationship__supplier",
            "buyer_owner",
            "supplier_owner",
        )
    )
    for action in actions:
        relationship = action.plan.relationship
        for supplier_side in (False, True):
            people_of = services.supplier_people if supplier_side else services.buyer_people
            owner = action.supplier_owner if supplier_side else action.buyer_owner
            title = action.title_zh or action.title if supplier_side else action.title
            for person in people_of(relationship, owner):
                days_left = (action.due_on - today_for(person, now)).days
                if 0 <= days_left <= DUE_SOON_DAYS:
                    kind, message = "action_due", _("“%(action)s” is due on %(due)s.")
                elif days_left < 0:
                    kind, message = "action_overdue", _("“%(action)s” was due on %(due)s.")
                else:
                    continue
                sent += len(
                    services.tell(
                        relationship,
                        supplier_side=supplier_side,
                        kind=kind,
                        message=message,
                        params={"action": title, "due": action.due_on},
                        view="action",
                        owner=person,
                        key=f"{kind}:{action.pk}:{action.due_on.isoformat()}",
                        action_id=action.pk,
                    )
                )
    return sent


def refresh_flags(now: datetime | None = None) -> int:
    """Re-evaluate the red flags of every relationship still running. Returns flags raised."""
    today = timezone.localdate(now or timezone.now())
    live = Relationship.objects.exclude(status=Status.EXITED).select_related("organisation")
    return sum(
        len(services.flags_refresh(relationship=relationship, today=today)) for relationship in live
    )

"""The daily pass: reminders of due and overdue actions in each person's own time zone, and the
red flags re-evaluated (they depend on the date as much as on changes)."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import User
from stonebridge.defaults import queries as defaults
from stonebridge.defaults.models import Key
from stonebridge.notifications.models import Notification
from stonebridge.notifications.services import today_for

from .models import Action, ActionStatus, Relationship, Status
from .services import escalation, notices

DUE = _("“%(action)s” is due on %(due)s.")
OVERDUE = _("“%(action)s” was due on %(due)s.")


def remind(now: datetime | None = None) -> int:
    """Tell each owner (or, without one, each person of that side) once when an action comes due
    and once when it is overdue, by the calendar where they are. Returns notices sent."""
    now = now or timezone.now()
    # People hear of an action this many days before it is due (a StoneBridge default).
    due_soon_days = defaults.value(Key.DUE_SOON_DAYS)
    # A day's margin covers every time zone; actions due later need no reminder yet.
    horizon = timezone.localdate(now) + timedelta(days=due_soon_days + 1)
    actions = (
        Action.objects.still_open()
        .exclude(status=ActionStatus.REPORTED_DONE)  # waiting for the buyer to verify
        .filter(due_on__lte=horizon)
        .select_related(
            "plan__relationship__organisation",
            "plan__relationship__supplier",
            "buyer_owner",
            "supplier_owner",
        )
    )
    people: dict[tuple[int | None, bool, bool], list[User]] = {}
    due: list[tuple[Action, bool, User, str]] = []
    for action in actions:
        relationship = action.plan.relationship
        for supplier_side in (False, True):
            people_of = notices.supplier_people if supplier_side else notices.buyer_people
            owner = action.supplier_owner if supplier_side else action.buyer_owner
            if owner is not None:
                recipients = people_of(relationship, owner)  # while still a member
            else:
                side = (
                    relationship.supplier_id if supplier_side else relationship.organisation_id,
                    supplier_side,
                    relationship.shared,
                )
                if side not in people:
                    people[side] = people_of(relationship)
                recipients = people[side]
            for person in recipients:
                days_left = (action.due_on - today_for(person, now)).days
                if days_left <= due_soon_days:
                    due.append((action, supplier_side, person, _key(action, days_left)))
    told = set(
        Notification.objects.filter(key__in={key for *_, key in due}).values_list("user_id", "key")
    )
    sent = 0
    for action, supplier_side, person, key in due:
        if (person.pk, key) in told:
            continue
        overdue = key.startswith("action_overdue")
        title = action.title_zh or action.title if supplier_side else action.title
        sent += len(
            notices.tell(
                action.plan.relationship,
                supplier_side=supplier_side,
                kind="action_overdue" if overdue else "action_due",
                message=OVERDUE if overdue else DUE,
                params={"action": title, "due": action.due_on},
                view="action",
                owner=person,
                key=key,
                action_id=action.pk,
            )
        )
    return sent


def _key(action: Action, days_left: int) -> str:
    """Once per action, kind and due date: a moved due date is reminded of again."""
    kind = "action_overdue" if days_left < 0 else "action_due"
    return f"{kind}:{action.pk}:{action.due_on.isoformat()}"


def refresh_flags(now: datetime | None = None) -> int:
    """Re-evaluate the red flags of every relationship still running. Returns flags raised."""
    today = timezone.localdate(now or timezone.now())
    live = Relationship.objects.exclude(status=Status.EXITED).select_related("organisation")
    return sum(
        len(escalation.flags_refresh(relationship=relationship, today=today))
        for relationship in live
    )

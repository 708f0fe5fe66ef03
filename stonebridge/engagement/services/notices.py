"""Who hears about a change. `log` writes the audit entry of a change in the buyer's log; the
supplier's own steps (acknowledging, reporting, answering) are logged there too, with the
supplier's person as the actor, because the record they change is the buyer's due diligence,
and again in the supplier's own log, so that it can see what its people did.
`tell` notifies one side of a relationship: the action's owner while still a member, otherwise
the buyer's editors and owners, or the supplier's people once it accepted what the buyer shares.
"""

from typing import Any

from django.urls import reverse

from stonebridge.accounts.models import Membership, Role, User
from stonebridge.audit.services import record
from stonebridge.notifications.models import Notification
from stonebridge.notifications.services import notify

from ..models import Relationship


def log(
    by: User | None, relationship: Relationship, verb: str, target: Any, /, **changes: Any
) -> None:
    # Positional-only: a change may itself be called "target" (a measure's target value).
    record(
        actor=by,
        organisation=relationship.organisation,
        verb=f"engagement.{verb}",
        target=target,
        changes=changes,
    )
    supplier_id = relationship.supplier_id
    if by is None or supplier_id is None:
        return
    if Membership.objects.filter(user=by, organisation_id=supplier_id).exists():
        log_for_supplier(by, relationship, verb, target, **changes)


def log_for_supplier(
    by: User, relationship: Relationship, verb: str, target: Any, /, **changes: Any
) -> None:
    """The entry in the supplier's own log of a step one of its people took."""
    record(
        actor=by,
        organisation=relationship.supplier,
        verb=f"engagement.{verb}",
        target=target,
        changes=changes,
    )


def buyer_people(relationship: Relationship, owner: User | None = None) -> list[User]:
    """The action's owner, while still a member; otherwise the buyer's editors and owners."""
    memberships = relationship.organisation.memberships.select_related("user")
    if owner is not None:
        return [owner] if memberships.filter(user=owner).exists() else []
    return [m.user for m in memberships if m.allows(Role.EDITOR)]


def supplier_people(relationship: Relationship, owner: User | None = None) -> list[User]:
    """The same on the supplier's side, and only once it accepted what the buyer shares."""
    if relationship.supplier is None or not relationship.shared:
        return []
    memberships = relationship.supplier.memberships.select_related("user")
    if owner is not None:
        return [owner] if memberships.filter(user=owner).exists() else []
    return [m.user for m in memberships]


def tell(
    relationship: Relationship,
    *,
    supplier_side: bool,
    kind: str,
    message: Any,
    params: dict[str, Any],
    view: str,
    owner: User | None = None,
    key: str = "",
    **ids: int,
) -> list[Notification]:
    """Notify one side of the relationship, with a link to the page it sees the thing on.
    Returns the notices created: none for a person who already has one with the same key."""
    organisation = relationship.supplier if supplier_side else relationship.organisation
    if organisation is None:
        return []
    people = (supplier_people if supplier_side else buyer_people)(relationship, owner)
    prefix = "engagement:workspace_" if supplier_side else "engagement:"
    return notify(
        users=people,
        organisation=organisation,
        kind=kind,
        message=message,
        params=params,
        url=reverse(prefix + view, kwargs={"org": organisation.slug, **ids}),
        key=key,
    )

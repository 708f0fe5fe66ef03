"""Who hears about a joint action, and what they learn of who acts.

A proposal goes to the editors and owners of every other covenant member that buys from the
supplier (the members who may join it, `collective.buys_from`); a member joining, and the action
closing, go to the active participants. A member is named in a notice only as the pages would
name it (`engagement/collective.py`): it agreed to be named, and so did the reader's member — to
other members (`CovenantSharing.named_to_members`) for a proposal it has not joined, to other
participants once it takes part. Each notice carries the title in the reader's language.
"""

from collections.abc import Iterable

from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from stonebridge.accounts.models import Organisation, Role, User
from stonebridge.languages import in_reader_language
from stonebridge.notifications.models import Notification
from stonebridge.notifications.services import notify

from ..collective import buys_from, covenant_members, sharing_of
from ..models import CollectiveEngagement, CollectiveParticipant

PROPOSED_NAMED = gettext_lazy(
    "%(member)s proposes joint action at %(site)s, a supplier you buy from too: %(title)s. "
    "You can join it."
)
PROPOSED = gettext_lazy(
    "A covenant member proposes joint action at %(site)s, a supplier you buy from too: "
    "%(title)s. You can join it."
)
JOINED_NAMED = gettext_lazy("%(member)s joined the joint action %(title)s at %(site)s.")
JOINED = gettext_lazy("Another member joined the joint action %(title)s at %(site)s.")
CLOSED = gettext_lazy(
    "The member who proposed it closed the joint action %(title)s at %(site)s. The joint plan "
    "stays readable."
)


def _people(organisation: Organisation) -> list[User]:
    """Those who may act on a joint action: the member's editors and owners."""
    memberships = organisation.memberships.select_related("user")
    return [m.user for m in memberships if m.allows(Role.EDITOR)]


def _tell(
    organisation: Organisation,
    collective: CollectiveEngagement,
    *,
    kind: str,
    message: str | Promise,
    member: str = "",
    key: str = "",
) -> list[Notification]:
    """One notice per reader, each with the title in the reader's language."""
    url = reverse(
        "engagement:collective", kwargs={"org": organisation.slug, "collective_id": collective.pk}
    )
    sent: list[Notification] = []
    for user in _people(organisation):
        with translation.override(user.language):
            title = in_reader_language(collective.title, collective.title_zh)
            site = str(collective.facility)
        params = {"title": title, "site": site}
        if member:
            params["member"] = member
        sent += notify(
            users=[user],
            organisation=organisation,
            kind=kind,
            message=message,
            params=params,
            url=url,
            key=key,
        )
    return sent


def tell_proposed(collective: CollectiveEngagement) -> list[Notification]:
    proposer = collective.proposed_by
    own = collective.participants.filter(organisation=proposer).first()
    proposer_agreed = own is not None and own.named_to_others
    sent: list[Notification] = []
    others = covenant_members(collective.covenant).exclude(pk=proposer.pk)
    for organisation in others:
        if not buys_from(organisation, collective.facility):
            continue
        named = proposer_agreed and sharing_of(organisation).named_to_members
        sent += _tell(
            organisation,
            collective,
            kind=Notification.Kind.COLLECTIVE_PROPOSED,
            message=PROPOSED_NAMED if named else PROPOSED,
            member=proposer.name if named else "",
            key=f"collective-{collective.pk}-proposed",
        )
    return sent


def _active(collective: CollectiveEngagement) -> Iterable[CollectiveParticipant]:
    return collective.participants.filter(left_at__isnull=True).select_related("organisation")


def tell_joined(collective: CollectiveEngagement, joined: CollectiveParticipant) -> None:
    for other in _active(collective):
        if other.organisation_id == joined.organisation_id:
            continue
        named = joined.named_to_others and other.named_to_others
        _tell(
            other.organisation,
            collective,
            kind=Notification.Kind.COLLECTIVE_JOINED,
            message=JOINED_NAMED if named else JOINED,
            member=joined.organisation.name if named else "",
        )


def tell_closed(collective: CollectiveEngagement) -> None:
    for other in _active(collective):
        if other.organisation_id == collective.proposed_by_id:
            continue
        _tell(
            other.organisation,
            collective,
            kind=Notification.Kind.COLLECTIVE_CLOSED,
            message=CLOSED,
            key=f"collective-{collective.pk}-closed",
        )

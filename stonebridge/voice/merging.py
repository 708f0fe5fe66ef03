"""Worker voice follows a merge of two registry records (supplychain/merging.py).

Cases about the removed facility are cases about the kept one. A channel is one per facility;
when only the removed facility has one, it simply moves. When both have one, the kept
facility's channel stays and takes in the other's cases, sponsors (a buyer sponsoring both is
kept once, named if it was named on either) and factory (if it had none). The removed channel
and its short link are deleted: two posters for one factory would split its workers between two
pages, and keeping a second link alive would need a second address table that every public page
has to consult. What workers lose is small and said here plainly: the removed channel's poster
stops working and must be replaced by the kept channel's; every case keeps its number and secret,
so no worker loses their way back to a case. Dialogue meetings, remedies and surveys at the
removed facility are about the kept one and simply move, each counted in its owner's log.
"""

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db.models import ForeignKey

from stonebridge.supplychain.merging import Conflict, Moved
from stonebridge.supplychain.models import Facility

from .models import Case, Channel, Meeting, Remedy, Sponsor, Survey


def _count_per_recipient(moved: Moved, cases: list[Case], what: str) -> None:
    """Each organisation a case is routed to sees, in its own log, how many of its cases moved."""
    for case in cases:
        for organisation_id in case.routings.values_list("organisation_id", flat=True):
            moved.setdefault(organisation_id, Counter())[what] += 1


class VoiceHandler:
    relations = frozenset(
        {
            "voice.channel.facility",
            "voice.case.facility",
            "voice.meeting.facility",
            "voice.remedy.facility",
            "voice.survey.facility",
        }
    )

    def conflicts(self, *, keep: Facility, remove: Facility) -> list[Conflict]:
        return []  # nothing for staff to choose: the kept facility's channel stays

    def merge(
        self, *, keep: Facility, remove: Facility, choices: Mapping[str, str], by: Any
    ) -> Moved:
        moved: Moved = {}
        cases = list(Case.objects.filter(facility=remove).prefetch_related("routings"))
        _count_per_recipient(moved, cases, "grievances moved")
        Case.objects.filter(facility=remove).update(facility=keep)
        self._move_owned(keep, remove, moved)
        old = Channel.objects.filter(facility=remove).first()
        if old is None:
            return moved
        new = Channel.objects.filter(facility=keep).first()
        if new is None:
            old.facility = keep
            old.save(update_fields=["facility"])
            return moved
        self._join(old, new, moved)
        return moved

    def _move_owned(self, keep: Facility, remove: Facility, moved: Moved) -> None:
        owned = [
            (Meeting.objects.filter(facility=remove), "procedure__organisation", "meetings moved"),
            (Remedy.objects.filter(facility=remove), "organisation", "remedies moved"),
            (Survey.objects.filter(facility=remove), "organisation", "surveys moved"),
        ]
        for rows, owner, what in owned:
            for organisation_id in rows.values_list(owner, flat=True):
                moved.setdefault(organisation_id, Counter())[what] += 1
            rows.update(facility=keep)

    def _join(self, old: Channel, new: Channel, moved: Moved) -> None:
        """Everything on the removed facility's channel moves to the kept one's."""
        for sponsor in Sponsor.objects.filter(channel=old):
            existing = Sponsor.objects.filter(channel=new, organisation=sponsor.organisation_id)
            if existing.exists():
                if sponsor.named:
                    existing.update(named=True)
                sponsor.delete()
            else:
                sponsor.channel = new
                sponsor.save(update_fields=["channel"])
            moved.setdefault(sponsor.organisation_id, Counter())["grievance channels joined"] += 1
        if new.factory_id is None and old.factory_id is not None:
            new.factory_id = old.factory_id
            new.save(update_fields=["factory"])
        # Cases and whatever else points at a channel (surveys, a procedure) follow it.
        for relation in Channel._meta.related_objects:
            if relation.related_model is Sponsor or not isinstance(relation.field, ForeignKey):
                continue
            rows = relation.field.model._base_manager.filter(**{relation.field.name: old})
            rows.update(**{relation.field.name: new})
        old.delete()

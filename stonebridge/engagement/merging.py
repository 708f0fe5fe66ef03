"""Engagement follows a merge of two registry records (supplychain/merging.py).

A buyer's relationship with the removed facility becomes one with the kept facility. Where the
buyer had a relationship with both, staff choose which stays (its supplier account, consent,
status and period); the other's plans, requests, support, orders, escalations and history move
to it, so nothing a supplier reported or a worker is owed is lost.
"""

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db.models import ForeignObjectRel
from django.utils.translation import gettext as _

from stonebridge.risk import services as risk
from stonebridge.supplychain.merging import REMOVE, Conflict, Moved, chosen
from stonebridge.supplychain.models import Facility

from .models import CollectiveEngagement, Commitment, ExitPlan, Plan, Relationship


def _label(relationship: Relationship) -> str:
    supplier = relationship.supplier or _("no supplier account")
    plans = relationship.plans.count()
    return _("%(status)s · %(supplier)s · %(plans)d plans, since %(since)s") % {
        "status": relationship.get_status_display(),
        "supplier": supplier,
        "plans": plans,
        "since": relationship.created_at.date().isoformat(),
    }


def _absorb(winner: Relationship, loser: Relationship, counts: Counter[str]) -> None:
    """Everything hanging on the loser moves to the winner; only one commitment per code of
    conduct and one exit plan can stay (the acknowledged commitment, the winner's exit plan)."""
    for commitment in Commitment.objects.filter(relationship=loser):
        twin = Commitment.objects.filter(relationship=winner, code=commitment.code_id).first()
        if twin is None:
            commitment.relationship = winner
            commitment.save(update_fields=["relationship"])
        elif commitment.acknowledged_at and not twin.acknowledged_at:
            twin.delete()
            commitment.relationship = winner
            commitment.save(update_fields=["relationship"])
        else:
            commitment.delete()
    exit_plan = ExitPlan.objects.filter(relationship=loser).first()
    if exit_plan is not None and not ExitPlan.objects.filter(relationship=winner).exists():
        exit_plan.relationship = winner
        exit_plan.save(update_fields=["relationship"])
    elif exit_plan is not None:
        counts["exit plans of the other relationship dropped"] += 1
    for relation in Relationship._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel):
            continue  # a field of the relationship itself, not a row pointing at it
        model, field = relation.field.model, relation.field.name
        if model in (Commitment, ExitPlan) or relation.one_to_one:
            continue
        rows = model._default_manager.filter(**{field: loser})
        counts[f"{model._meta.model_name} rows moved"] += rows.update(**{field: winner})
    risk.evidence_origin_move(
        old=f"engagement.relationship:{loser.pk}", new=f"engagement.relationship:{winner.pk}"
    )
    loser.delete()


def _conflict(kept: Relationship, removed: Relationship) -> Conflict:
    return Conflict(
        key=f"relationship:{kept.pk}:{removed.pk}",
        organisation_id=kept.organisation_id,
        organisation=str(kept.organisation),
        what=_("supplier engagement"),
        kept=_label(kept),
        removed=_label(removed),
    )


class EngagementHandler:
    relations = frozenset(
        {
            "engagement.relationship.facility",
            "engagement.plan.facility",
            "engagement.collectiveengagement.facility",
        }
    )

    def _pairs(self, keep: Facility, remove: Facility) -> list[tuple[Relationship, Relationship]]:
        on_keep = {
            r.organisation_id: r
            for r in Relationship.objects.filter(facility=keep).select_related(
                "organisation", "supplier"
            )
        }
        return [
            (on_keep[r.organisation_id], r)
            for r in Relationship.objects.filter(
                facility=remove, organisation_id__in=list(on_keep)
            ).select_related("supplier")
        ]

    def conflicts(self, *, keep: Facility, remove: Facility) -> list[Conflict]:
        return [_conflict(a, b) for a, b in self._pairs(keep, remove)]

    def merge(
        self, *, keep: Facility, remove: Facility, choices: Mapping[str, str], by: Any
    ) -> Moved:
        moved: Moved = {}
        for a, b in self._pairs(keep, remove):
            winner, loser = (b, a) if chosen(choices, _conflict(a, b)) == REMOVE else (a, b)
            counts = moved.setdefault(a.organisation_id, Counter())
            _absorb(winner, loser, counts)
            counts["relationships merged"] += 1
        for relationship in Relationship.objects.filter(facility=remove):
            moved.setdefault(relationship.organisation_id, Counter())["relationships moved"] += 1
        Relationship.objects.filter(facility=remove).update(facility=keep)
        for organisation_id in Plan.objects.filter(facility=remove).values_list(
            "relationship__organisation_id", flat=True
        ):
            moved.setdefault(organisation_id, Counter())["plans moved"] += 1
        Plan.objects.filter(facility=remove).update(facility=keep)
        # A joint action is the covenant's, not one buyer's: it moves whole, and two joint actions
        # at what turns out to be one supplier both stay for their members to wind one down.
        for covenant_id in CollectiveEngagement.objects.filter(facility=remove).values_list(
            "covenant_id", flat=True
        ):
            moved.setdefault(covenant_id, Counter())["joint actions moved"] += 1
        CollectiveEngagement.objects.filter(facility=remove).update(facility=keep)
        return moved

"""Risk follows a merge of two registry records (supplychain/merging.py): a buyer's evidence
about the removed facility is evidence about the kept one, and so are its statements of who works
there (the newest still counts). Scores are derived: those of the
removed facility go, and the chains that held it are rescored when the map rebuilds them."""

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db.models import Count

from stonebridge.supplychain.merging import Conflict, Moved
from stonebridge.supplychain.models import Facility

from . import summary
from .models import Evidence, Score, WorkforceStatement


class RiskHandler:
    relations = frozenset(
        {
            "risk.evidence.facility",
            "risk.score.facility",
            "risk.score.via",
            "risk.workforcestatement.facility",
        }
    )

    def conflicts(self, *, keep: Facility, remove: Facility) -> list[Conflict]:
        return []  # evidence adds up: nothing to choose

    def merge(
        self, *, keep: Facility, remove: Facility, choices: Mapping[str, str], by: Any
    ) -> Moved:
        moved: Moved = {}
        evidence = Evidence.objects.filter(facility=remove)
        for row in evidence.values("organisation_id").annotate(n=Count("pk")):
            moved[row["organisation_id"]] = Counter({"risk evidence moved": row["n"]})
        evidence.update(facility=keep)
        statements = WorkforceStatement.objects.filter(facility=remove)
        for row in statements.values("organisation_id").annotate(n=Count("pk")):
            moved.setdefault(row["organisation_id"], Counter())["workforce statements moved"] += (
                row["n"]
            )
        statements.update(facility=keep)
        summary.forget(Score.objects.filter(facility=remove))
        Score.objects.filter(facility=remove).delete()
        Score.objects.filter(via=remove).update(via=None)
        return moved

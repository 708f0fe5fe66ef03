from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _chain_changed(sender: Any, organisation: Any, **kwargs: Any) -> None:
    from django.utils import timezone

    from .tasks import recompute_organisation

    recompute_organisation.enqueue(
        organisation_id=organisation.pk, requested_at=timezone.now().isoformat()
    )


def _facility_changed(sender: Any, facility_ids: list[int], **kwargs: Any) -> None:
    from .tasks import recompute_facilities

    recompute_facilities.enqueue(facility_ids=facility_ids)


def _workforce_stated(
    sender: Any, organisation: Any, by: Any, figures: dict[int, dict[str, Any]], **kwargs: Any
) -> None:
    from .services import workforce_state_many

    workforce_state_many(organisation=organisation, by=by, figures=figures)


class RiskConfig(AppConfig):
    name = "stonebridge.risk"

    def ready(self) -> None:
        from stonebridge.accounts import cards
        from stonebridge.audit.labels import register, register_fields
        from stonebridge.supplychain import merging
        from stonebridge.supplychain.signals import (
            chain_changed,
            facility_changed,
            workforce_stated,
        )

        from .merging import RiskHandler
        from .views import home_card

        # Follow two registry records of one firm being merged, without the map importing us.
        merging.register(RiskHandler())
        # The buyer's home page names its top risks.
        cards.register(home_card)

        chain_changed.connect(_chain_changed, dispatch_uid="risk.chain_changed")
        facility_changed.connect(_facility_changed, dispatch_uid="risk.facility_changed")
        workforce_stated.connect(_workforce_stated, dispatch_uid="risk.workforce_stated")
        register(
            {
                "risk.evidence_recorded": _("Risk evidence recorded"),
                "risk.evidence_retracted": _("Risk evidence withdrawn"),
                "risk.evidence_confidence_changed": _("Confidence in risk evidence changed"),
                "risk.workforce_stated": _("Workforce figures recorded"),
                "risk.workforce_disclosed": _("Workforce figures disclosed by the supplier"),
                "risk.register_exported": _("Risk register download asked for"),
            }
        )
        register_fields(
            {
                "facilities": _("facilities"),
                "buyers": _("buyers told"),
                "reason": _("reason"),
                "format": _("format"),
                "filters": _("filters"),
            }
        )

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


class RiskConfig(AppConfig):
    name = "stonebridge.risk"

    def ready(self) -> None:
        from stonebridge.audit.labels import register
        from stonebridge.supplychain import merging

        from .merging import RiskHandler

        # Follow two registry records of one firm being merged, without the map importing us.
        merging.register(RiskHandler())
        from stonebridge.supplychain.signals import chain_changed, facility_changed

        chain_changed.connect(_chain_changed, dispatch_uid="risk.chain_changed")
        facility_changed.connect(_facility_changed, dispatch_uid="risk.facility_changed")
        register(
            {
                "risk.evidence_recorded": _("Risk evidence recorded"),
                "risk.evidence_retracted": _("Risk evidence withdrawn"),
            }
        )

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _is_own_supplier(organisation: Any, facility: Any) -> bool:
    """A supplier's own sites are the facilities of relationships it has accepted."""
    from .models import Relationship

    return Relationship.objects.shared_with(organisation).filter(facility=facility).exists()


class EngagementConfig(AppConfig):
    name = "stonebridge.engagement"

    def ready(self) -> None:
        from stonebridge.accounts import cards
        from stonebridge.audit.labels import register, register_fields
        from stonebridge.supplychain import merging, owners

        from .flags import TITLES
        from .merging import EngagementHandler
        from .programmes import NAMES
        from .views import home_card

        # The buyer's home page shows open actions and red flags.
        cards.register(home_card)

        # Follow two registry records of one firm being merged, without the map importing us.
        merging.register(EngagementHandler())
        # Who may correct a facility's shared record and be named for it: its own supplier.
        owners.register(_is_own_supplier)

        register(
            {
                "engagement.relationship_created": _("Supplier engagement started"),
                "engagement.relationship_updated": _("Supplier engagement changed"),
                "engagement.sharing_answered": _("Supplier answered the request to share"),
                "engagement.code_published": _("Code of conduct published"),
                "engagement.code_sent": _("Code of conduct sent"),
                "engagement.code_acknowledged": _("Code of conduct acknowledged"),
                "engagement.plan_created": _("Improvement plan created"),
                "engagement.plan_closed": _("Improvement plan closed"),
                "engagement.action_created": _("Action added"),
                "engagement.update_posted": _("Progress reported"),
                "engagement.action_updated": _("Action changed"),
                "engagement.action_verified": _("Action verified as done"),
                "engagement.action_cancelled": _("Action cancelled"),
                "engagement.measure_added": _("Measure added"),
                "engagement.measure_targets_set": _("Baseline and target set"),
                "engagement.milestone_achieved": _("Milestone achieved"),
                "engagement.reading_recorded": _("Measurement recorded"),
                "engagement.reading_confirmed": _("Measurement confirmed"),
                "engagement.due_date_proposed": _("New due date proposed"),
                "engagement.due_date_decided": _("Due date proposal decided"),
                "engagement.request_created": _("Request sent"),
                "engagement.request_answered": _("Request answered"),
                "engagement.finding_disclosed": _("Problem disclosed to a buyer"),
                "engagement.support_recorded": _("Support recorded"),
                "engagement.order_recorded": _("Order recorded"),
                "engagement.order_changed": _("Order changed"),
                "engagement.supplier_invited": _("Supplier invited to StoneBridge"),
                "engagement.escalation_taken": _("Escalation step taken"),
                "engagement.exit_planned": _("Exit plan made"),
                "engagement.exit_completed": _("Relationship ended"),
                "engagement.red_flags_changed": _("Red flags changed"),
                "engagement.covenant_sharing_set": _("Sharing with the covenant changed"),
                "engagement.collective_proposed": _("Joint action proposed"),
                "engagement.collective_joined": _("Joined a joint action"),
                "engagement.collective_naming_set": _("Naming in a joint action changed"),
                "engagement.collective_left": _("Left a joint action"),
                "engagement.collective_closed": _("Joint action closed"),
                "engagement.joint_action_added": _("Step added to a joint plan"),
                "engagement.joint_action_done": _("Step of a joint plan done"),
            }
        )
        register_fields(
            {
                "by_supplier": _("by the supplier"),
                "files": _("files"),
                "version": _("version"),
                "before": _("before the change"),
                "accepted": _("accepted"),
                "refused": _("refused"),
                "raised": _("red flags raised"),
                "cleared": _("red flags cleared"),
                "actions_stopped": _("actions stopped"),
                "remediation_open": _("remediation still open"),
                "count_when_few": _("counted when fewer than three members buy there"),
                "named_to_members": _("named to other members"),
                "named_to_others": _("named to other participants"),
                "collective": _("joint action"),
            },
            values={
                "raised": TITLES,
                "cleared": TITLES,
                "red_flags": TITLES,
                "programme": NAMES,
            },
            lists={"raised", "cleared", "red_flags"},
        )

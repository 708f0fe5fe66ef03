from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplychainConfig(AppConfig):
    name = "stonebridge.supplychain"

    def ready(self) -> None:
        from stonebridge.accounts import cards
        from stonebridge.audit.labels import register, register_fields, register_unnamed

        from . import merging  # noqa: F401  the map's own merge handler registers on import
        from .models import Activity, Stone
        from .views import home_card

        # The buyer's home page shows how far its chain is traced, without accounts importing us.
        cards.register(home_card)

        register(
            {
                "facility.created": _("Facility added"),
                "facility.updated": _("Facility changed"),
                "facility.merged": _("Two records of one facility merged by staff"),
                "facility.changed_elsewhere": _("Facility changed in the shared registry"),
                "link.created": _("Supplier link added"),
                "link.updated": _("Supplier link changed"),
                "link.deleted": _("Supplier link removed"),
                "sourcing.created": _("Direct sourcing recorded"),
                "sourcing.updated": _("Direct sourcing changed"),
                "sourcing.deleted": _("Direct sourcing removed"),
                "import.started": _("List uploaded"),
                "import.match_decided": _("Match answered"),
                "import.needs_review": _("Import waiting for answers"),
                "import.completed": _("List imported"),
                "import.failed": _("Import failed"),
                "import.undone": _("Import undone"),
                "upstream.disclosed": _("Upstream disclosed to buyers"),
                "upstream.shared": _("Upstream disclosed by the supplier"),
                "upstream.accepted": _("Disclosed upstream taken into your chain"),
            }
        )
        register_unnamed({"facility.changed_elsewhere"})
        register_fields(
            {
                "facility": _("facility"),
                "removed": _("record removed"),
                "record": _("taken over from the removed record"),
                "choices": _("what was kept"),
                "moved": _("records moved"),
                "disclosure": _("disclosed by the supplier"),
                "filename": _("file"),
                "bytes": _("size in bytes"),
                "row_key": _("row"),
                "candidate": _("facility in the registry"),
                "same": _("Same facility"),
            },
            values={"activities": dict(Activity.choices), "stone_types": dict(Stone.choices)},
            lists={"activities", "stone_types"},
        )

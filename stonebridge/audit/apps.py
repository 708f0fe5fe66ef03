from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "stonebridge.audit"

    def ready(self) -> None:
        from .labels import register, register_fields

        register(
            {
                "admin.added": _("Added by staff in the admin"),
                "admin.changed": _("Changed by staff in the admin"),
                "admin.deleted": _("Deleted by staff in the admin"),
                "admin.password_set": _("Password set by staff in the admin"),
            }
        )
        register_fields({"fields": _("fields changed")}, field_names={"fields"})

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "stonebridge.voice"
    verbose_name = _("Worker voice")

    def ready(self) -> None:
        from stonebridge.audit.labels import register

        register({"voice.case_received": _("Grievance received")})
        register({"voice.case_erased": _("Grievance's personal data erased")})
        from stonebridge.audit.labels import register_fields

        register_fields(
            {
                "erased": _("erased"),
                "photos_deleted": _("photos deleted"),
                "voice_deleted": _("voice messages deleted"),
                "messages_emptied": _("messages emptied"),
            },
            lists={"erased"},
            field_names={"erased"},
        )
        # Cases and channels follow two registry records of one firm being merged.
        from stonebridge.supplychain import merging

        from .merging import VoiceHandler

        merging.register(VoiceHandler())

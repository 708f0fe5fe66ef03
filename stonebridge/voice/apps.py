from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "stonebridge.voice"
    verbose_name = _("Worker voice")

    def ready(self) -> None:
        from stonebridge.audit.labels import register

        register({"voice.case_received": _("Grievance received")})
        # Cases and channels follow two registry records of one firm being merged.
        from stonebridge.supplychain import merging

        from .merging import VoiceHandler

        merging.register(VoiceHandler())

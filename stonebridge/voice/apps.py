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
        register(
            {
                "voice.procedure_created": _("Grievance procedure set up"),
                "voice.procedure_changed": _("Grievance procedure changed"),
                "voice.committee_member_added": _("Committee member added"),
                "voice.committee_member_removed": _("Committee member left"),
                "voice.meeting_recorded": _("Dialogue meeting recorded"),
                "voice.remedy_opened": _("Remedy opened"),
                "voice.remedy_milestone_added": _("Remedy milestone added"),
                "voice.remedy_milestone_done": _("Remedy milestone done"),
                "voice.remedy_verified": _("Remedy verified"),
            }
        )

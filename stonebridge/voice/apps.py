from django.apps import AppConfig
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# How the audit log names each worker-voice step, and the keys of its changes. None of them holds
# the worker's words or identity.
VERBS: dict[str, Promise | str] = {
    "voice.case_acknowledged": _("Grievance acknowledged"),
    "voice.case_assigned": _("Grievance assigned"),
    "voice.case_triaged": _("Grievance assessed"),
    "voice.case_messaged": _("Message sent to the worker"),
    "voice.case_noted": _("Internal note added"),
    "voice.case_linked": _("Grievance linked to a finding or an improvement plan"),
    "voice.identity_revealed": _("Worker's identity shown"),
    "voice.voice_transcribed": _("Voice message written down and deleted"),
    "voice.case_resolved": _("Grievance answered"),
    "voice.case_closed": _("Grievance closed"),
    "voice.case_closed_by_worker": _("The worker gave their view; grievance closed"),
    "voice.case_reopened": _("Grievance reopened"),
    "voice.case_escalated": _("Grievance escalated"),
    "voice.channel_opened": _("Grievance channel opened"),
    "voice.channel_sponsored": _("Grievance channel sponsored"),
    "voice.channel_factory_set": _("Factory's committee set for the grievance channel"),
    "voice.sponsor_named": _("Named on the worker page"),
    "voice.sponsor_unnamed": _("No longer named on the worker page"),
    "voice.survey_created": _("Worker survey created"),
    "voice.survey_closed": _("Worker survey closed"),
    "voice.survey_measured": _("Outcome indicator measured from worker surveys"),
    "voice.procedure_created": _("Grievance procedure set up"),
    "voice.procedure_changed": _("Grievance procedure changed"),
    "voice.committee_member_added": _("Committee member added"),
    "voice.committee_member_removed": _("Committee member left"),
    "voice.meeting_recorded": _("Dialogue meeting recorded"),
    "voice.remedy_opened": _("Remedy opened"),
    "voice.remedy_milestone_added": _("Remedy milestone added"),
    "voice.remedy_milestone_done": _("Remedy milestone done"),
    "voice.remedy_verified": _("Remedy verified"),
    "voice.case_received": _("Grievance received"),
    "voice.case_erased": _("Grievance's personal data erased"),
}
CHANGE_KEYS: dict[str, Promise | str] = {
    "erased": _("erased"),
    "photos_deleted": _("photos deleted"),
    "voice_deleted": _("voice messages deleted"),
    "messages_emptied": _("messages emptied"),
    "routed_as": _("sent to them as"),
    "satisfied": _("the worker is satisfied"),
    "message": _("message"),
    "question": _("question"),
    "reason": _("reason"),
    "times": _("times reopened"),
    "deleted": _("voice messages deleted"),
    "reveal": _("identity shown"),
    "unfounded": _("unfounded"),
    "measure": _("outcome indicator"),
    "before": _("before survey"),
    "choice": _("answer"),
    "baseline": _("baseline"),
    "value": _("reading"),
}


class VoiceConfig(AppConfig):
    name = "stonebridge.voice"
    verbose_name = _("Worker voice")

    def ready(self) -> None:
        from stonebridge.audit.labels import register, register_fields
        from stonebridge.supplychain import merging

        from .merging import VoiceHandler
        from .models import RoutingKind

        register(VERBS)
        register_fields(
            CHANGE_KEYS,
            values={"routed_as": dict(RoutingKind.choices)},
            lists={"erased"},
            field_names={"erased"},
        )
        # Cases, channels and what is tied to a facility follow two registry records of one firm
        # being merged.
        merging.register(VoiceHandler())

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "stonebridge.assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from stonebridge.accounts import cards as home_cards
        from stonebridge.audit.labels import register, register_fields
        from stonebridge.supplychain import merging

        from . import cards
        from .questionnaire_labels import register_labels
        from .questionnaire_merging import QuestionnaireHandler
        from .records_text import register_audit_labels

        register_audit_labels()
        register_labels()
        register(
            {
                "assessments.visit_created": _("Visit planned"),
                "assessments.visit_reported": _("Visit report saved"),
                "assessments.finding_recorded": _("Finding recorded"),
                "assessments.dispute_raised": _("Finding disputed"),
                "assessments.dispute_resolved": _("Dispute decided"),
            }
        )
        register_fields({"sites": _("sites"), "site": _("site")})
        home_cards.register(cards.home_card)
        home_cards.register(cards.workspace_card, workspace=True)
        # Questionnaire answers follow two registry records of one firm being merged.
        merging.register(QuestionnaireHandler())

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "stonebridge.assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from stonebridge.supplychain import merging

        from .questionnaire_labels import register_labels
        from .questionnaire_merging import QuestionnaireHandler

        # Questionnaire answers follow two registry records of one firm being merged.
        merging.register(QuestionnaireHandler())
        register_labels()

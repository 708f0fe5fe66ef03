from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "stonebridge.assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        from .records_text import register_audit_labels

        register_audit_labels()

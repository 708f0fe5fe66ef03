from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Dashboards, the annual due-diligence report, the covenant's view and backups: it reads
    every other app and no app imports it."""

    name = "stonebridge.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from .annual_labels import register_labels

        register_labels()

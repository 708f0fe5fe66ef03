from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Dashboards, the annual due-diligence report, the covenant's view and backups: it reads
    every other app and no app imports it."""

    name = "stonebridge.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from stonebridge.accounts import cards

        from .annual_labels import register_labels
        from .dashboard_views import home_card

        # The buyer's home page opens with where it stands.
        cards.register(home_card, first=True)
        register_labels()

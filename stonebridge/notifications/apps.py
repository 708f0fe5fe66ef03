from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "stonebridge.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from stonebridge.accounts.services import on_user_erased

        from .services import notifications_after_erasure

        on_user_erased(notifications_after_erasure)

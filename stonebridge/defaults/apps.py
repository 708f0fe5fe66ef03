from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefaultsConfig(AppConfig):
    name = "stonebridge.defaults"
    verbose_name = _("StoneBridge defaults")

    def ready(self) -> None:
        from stonebridge.audit.labels import register

        register({"defaults.changed": _("StoneBridge default changed")})

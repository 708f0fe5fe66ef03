from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DownloadsConfig(AppConfig):
    name = "stonebridge.downloads"

    def ready(self) -> None:
        from stonebridge.audit.labels import register, register_fields

        register({"downloads.requested": _("Download of a long list asked for")})
        register_fields({"list": _("list"), "format": _("format"), "filters": _("filters")})

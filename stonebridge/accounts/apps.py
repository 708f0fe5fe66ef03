from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "stonebridge.accounts"

    def ready(self) -> None:
        from stonebridge.audit.labels import register, register_fields

        register(
            {
                "organisation.created": _("Organisation created"),
                "membership.added": _("Person added"),
                "membership.role_changed": _("Role changed"),
                "membership.removed": _("Person removed"),
                "invitation.created": _("Invitation sent"),
                "invitation.revoked": _("Invitation withdrawn"),
                "user.registered": _("Account created"),
                "user.preferences_changed": _("Settings changed"),
                "person.erased": _("Account erased"),
                "api_token.created": _("API token created"),
                "api_token.revoked": _("API token revoked"),
                "two_factor.enabled": _("Two-factor login turned on"),
                "two_factor.disabled": _("Two-factor login turned off"),
                "two_factor.backup_codes_created": _("New backup codes made"),
                "user.password_changed": _("Password changed; API tokens revoked"),
            }
        )
        register_fields(
            {
                "person": _("person"),
                "email": _("e-mail address"),
                "api_tokens_revoked": _("API tokens revoked"),
            }
        )

"""How the audit log names what the annual report changes."""

from django.utils.translation import gettext_lazy as _


def register_labels() -> None:
    from stonebridge.audit.labels import register, register_fields

    register(
        {
            "reports.period_set": _("Reporting year set"),
            "reports.narrative_saved": _("Report text saved"),
            "reports.report_requested": _("Annual report requested"),
        }
    )
    register_fields(
        {
            "starts": _("the year starts on (day/month)"),
            "step": _("step"),
            "period": _("reporting period"),
            "format": _("format"),
        }
    )

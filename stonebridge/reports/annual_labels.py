"""How the audit log names what the annual report changes."""

from django.utils.translation import gettext_lazy as _


def register_labels() -> None:
    from stonebridge.audit.labels import register, register_fields

    from .models import Edition

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
            "period_start": _("from"),
            "period_end": _("to"),
            "format": _("format"),
            "language": _("language"),
        },
        values={
            "format": {"pdf": "PDF", "xlsx": "XLSX"},
            "language": {"en": "English", "zh-hans": "简体中文"},
            "edition": dict(Edition.choices),
        },
    )

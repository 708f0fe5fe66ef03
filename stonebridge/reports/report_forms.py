"""Forms of the annual report's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stonebridge.pages import date_input

from .models import Edition, ReportJob

LANGUAGE_CHOICES = [("en", "English"), ("zh-hans", "简体中文")]
MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=date_input())
    end = forms.DateField(label=_("To"), widget=date_input())


class ReportRequestForm(forms.Form):
    edition = forms.ChoiceField(label=_("Edition"), choices=Edition.choices)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    fmt = forms.ChoiceField(label=_("Format"), choices=ReportJob.Format.choices)


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label=_("What you write about this step"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=5000,
        help_text=_("A few sentences in your own words: what you did, why, and what is next."),
    )


class ReportingPeriodForm(forms.Form):
    starts_month = forms.TypedChoiceField(
        label=_("The reporting year starts in"), choices=MONTHS, coerce=int
    )
    starts_day = forms.IntegerField(label=_("on day"), min_value=1, max_value=28, initial=1)

from typing import Any, cast

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.pages import date_input
from stonebridge.supplychain.models import Sourcing

from .models import WORKFORCE_FIELDS, Evidence, Indicator, Issue, WorkforceStatement

TIERS = [("", _("Any")), *[(str(t), format_lazy(_("Tier {}"), t)) for t in range(1, 7)]]


class RegisterFilterForm(forms.Form):
    SORTS = [
        ("priority", _("Priority")),
        ("exposure", _("Exposure through the chain")),
        ("severity", _("Severity")),
        ("likelihood", _("Likelihood")),
        ("tier", _("Tier")),
    ]
    issue = forms.ModelChoiceField(
        label=_("Issue"), queryset=Issue.objects.all(), required=False, empty_label=_("Any")
    )
    tier = forms.TypedChoiceField(
        label=_("Tier"), choices=TIERS, required=False, coerce=int, empty_value=None
    )
    province = forms.CharField(label=_("Province"), required=False)
    via = forms.TypedChoiceField(
        label=_("Through direct supplier"), required=False, coerce=int, empty_value=None
    )
    irremediable = forms.BooleanField(label=_("Only irremediable harm"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        direct = Sourcing.objects.filter(organisation=organisation).select_related("facility")
        via_field = cast(forms.TypedChoiceField, self.fields["via"])
        via_field.choices = [("", _("Any"))] + [
            (str(s.facility_id), str(s.facility)) for s in direct.order_by("facility__name_en")
        ]


class HeatmapForm(forms.Form):
    rows = forms.ChoiceField(
        label=_("Rows"),
        choices=[("tier", _("Tiers")), ("cluster", _("Clusters"))],
        required=False,
    )


class IndicatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return f"{obj.issue.name} · {obj.name}"


class EvidenceForm(forms.ModelForm):
    issue = forms.ModelChoiceField(label=_("Issue"), queryset=Issue.objects.all())
    indicator = IndicatorChoice(
        label=_("Indicator"),
        queryset=Indicator.objects.select_related("issue"),
        to_field_name="code",
        required=False,
        help_text=_("The specific problem, if you know it. It must belong to the issue."),
    )
    improved = forms.NullBooleanField(
        label=_("Did the outcome improve?"),
        required=False,
        widget=forms.Select(
            choices=[
                ("unknown", _("Not a measured outcome")),
                ("true", _("Yes")),
                ("false", _("No")),
            ]
        ),
    )

    class Meta:
        model = Evidence
        fields = [
            "kind",
            "issue",
            "indicator",
            "observed_on",
            "source_type",
            "confidence",
            "people_affected",
            "improved",
            "disclosed_by_supplier",
            "summary",
        ]
        widgets = {
            "observed_on": date_input(),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self) -> None:
        # The service validates and saves; the form only checks the fields themselves.
        pass


class RetractForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this evidence withdrawn?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class WorkforceForm(forms.ModelForm):
    """Who works at a facility, as this buyer knows it; a share is 0 to 1."""

    class Meta:
        model = WorkforceStatement
        fields = list(WORKFORCE_FIELDS)

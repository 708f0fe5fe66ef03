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

    # Beyond this many direct suppliers the choice is a number (as the supplier's own page links
    # to it): a list of thousands of names would weigh more than the register page itself.
    MAX_LISTED = 300

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        direct = Sourcing.objects.filter(organisation=organisation)
        if direct.count() > self.MAX_LISTED:
            self.fields["via"] = forms.IntegerField(
                label=_("Through direct supplier"), required=False, min_value=1
            )
            return
        listed = direct.select_related("facility").order_by("facility__name_en")
        via_field = cast(forms.TypedChoiceField, self.fields["via"])
        via_field.choices = [("", _("Any"))] + [
            (str(s.facility_id), str(s.facility)) for s in listed
        ]

    def _direct(self, facility_id: int) -> bool:
        return Sourcing.objects.filter(
            organisation=self.organisation, facility_id=facility_id
        ).exists()

    def clean_via(self) -> int | None:
        via = self.cleaned_data.get("via")
        typed = isinstance(self.fields["via"], forms.IntegerField)
        if typed and via is not None and not self._direct(via):
            raise forms.ValidationError(_("This facility is not one of your direct suppliers."))
        return via


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

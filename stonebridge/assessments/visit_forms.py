"""Forms of visits, findings and disputes. Choices name things in the reader's language: the
sites of the visit by their facility's names, the issues and indicators by theirs, never a code."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.engagement.forms import MultipleFileField, MultipleFileInput
from stonebridge.engagement.models import Relationship
from stonebridge.inputs import IdChoiceField, IdMultipleChoiceField
from stonebridge.languages import name_pair
from stonebridge.pages import date_input
from stonebridge.risk.models import Indicator, Issue

from .models import Dispute, Severity, Visit, VisitKind

DATE = date_input()
ACCEPTED = ".pdf,.jpg,.jpeg,.png,.xlsx,.docx"


def files_field(label: Any) -> MultipleFileField:
    return MultipleFileField(
        label=label,
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPTED}),
        help_text=_("PDF, JPEG, PNG, Excel or Word, up to 10 MB each."),
    )


class SiteChoice(IdChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return name_pair(obj.facility.name_en, obj.facility.name_zh)


class SitesChoice(IdMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return name_pair(obj.facility.name_en, obj.facility.name_zh)


class NamedChoice(forms.ModelChoiceField):
    """An issue or indicator by its name in the reader's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of visit"), choices=VisitKind.choices)
    visit_on = forms.DateField(label=_("Date of the visit"), widget=DATE)
    sites = SitesChoice(
        label=_("Sites to visit"),
        queryset=Relationship.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    scope = forms.CharField(
        label=_("Scope in English"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    scope_zh = forms.CharField(
        label=_("Scope in Chinese"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    provider = IdChoiceField(
        label=_("Done by a service provider"),
        required=False,
        queryset=Organisation.objects.filter(kind=Organisation.Kind.SERVICE_PROVIDER),
        empty_label=_("No: by our own people"),
        help_text=_("It sees the chosen sites and records the findings until the date below."),
    )
    access_until = forms.DateField(label=_("Access until"), required=False, widget=DATE)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sites = cast(SitesChoice, self.fields["sites"])
        sites.queryset = Relationship.objects.filter(organisation=organisation).select_related(
            "facility"
        )


class FindingForm(forms.Form):
    site = SiteChoice(label=_("Site"), queryset=Relationship.objects.none())
    issue = NamedChoice(label=_("Issue"), queryset=Issue.objects.all())
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    description = forms.CharField(
        label=_("What was found, in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_zh = forms.CharField(
        label=_("What was found, in Chinese"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"] = files_field(_("Photos or documents"))
        site = cast(SiteChoice, self.fields["site"])
        site.queryset = Relationship.objects.filter(
            pk__in=visit.visit_sites.values("relationship")
        ).select_related("facility")
        # Each issue's indicators together under its name: only an indicator of the chosen
        # issue is accepted.
        grouped: dict[str, list[tuple[str, str]]] = {}
        for indicator in Indicator.objects.select_related("issue"):
            grouped.setdefault(indicator.issue.name, []).append((indicator.code, indicator.name))
        indicator_field = cast(forms.ChoiceField, self.fields["indicator"])
        indicator_field.choices = [("", _("None in particular")), *grouped.items()]

    def clean_indicator(self) -> Indicator | None:
        code = self.cleaned_data.get("indicator")
        return Indicator.objects.filter(code=code).first() if code else None


class VisitReportForm(forms.Form):
    report = forms.CharField(
        label=_("How the visit went"), widget=forms.Textarea(attrs={"rows": 4})
    )


class DisputeForm(forms.Form):
    reasons = forms.CharField(label=_("Your reasons"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"] = files_field(_("Photos or documents that show it"))


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Dispute.Outcome.UPHELD, Dispute.Outcome.UPHELD.label),
            (Dispute.Outcome.CORRECTED, Dispute.Outcome.CORRECTED.label),
            (Dispute.Outcome.WITHDRAWN, Dispute.Outcome.WITHDRAWN.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Explanation for the supplier"), widget=forms.Textarea(attrs={"rows": 3})
    )
    description = forms.CharField(
        label=_("Corrected finding, in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description_zh = forms.CharField(
        label=_("Corrected finding, in Chinese"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

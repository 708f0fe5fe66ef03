"""Forms of the assessments pages."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stonebridge.engagement.models import Relationship
from stonebridge.inputs import IdChoiceField
from stonebridge.pages import date_input

from .models import HoursApproval

DATE = date_input()
RECORDS = forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"})


class FacilityChoice(IdChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.facility)


class RecordsFilesForm(forms.Form):
    workers = forms.FileField(
        label=_("Worker list"),
        widget=RECORDS,
        help_text=_("CSV or Excel; names are read for the check and never stored."),
    )
    attendance = forms.FileField(label=_("Attendance records"), widget=RECORDS)
    payroll = forms.FileField(label=_("Payroll"), widget=RECORDS)


class RecordsCheckForm(RecordsFilesForm):
    field_order = ["relationship", "period_start", "period_end", "minimum_wage"]

    relationship = FacilityChoice(label=_("Facility"), queryset=Relationship.objects.none())
    period_start = forms.DateField(label=_("First day"), widget=DATE)
    period_end = forms.DateField(label=_("Last day"), widget=DATE)
    minimum_wage = forms.DecimalField(
        label=_("Minimum wage (CNY a month)"),
        max_digits=8,
        decimal_places=2,
        min_value=1,
        help_text=_("The monthly minimum wage of the facility's area, from the provincial notice."),
    )
    minimum_wage_source = forms.CharField(
        label=_("Minimum wage notice"), max_length=200, required=False
    )

    def __init__(self, *args: Any, relationships: QuerySet[Relationship], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["relationship"]
        assert isinstance(field, FacilityChoice)
        field.queryset = relationships


class HoursApprovalForm(forms.ModelForm):
    relationship = FacilityChoice(label=_("Facility"), queryset=Relationship.objects.none())
    document = forms.FileField(
        label=_("Approval document"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        help_text=_("PDF, JPEG or PNG, up to 10 MB."),
    )

    class Meta:
        model = HoursApproval
        fields = ["relationship", "posts", "period", "valid_from", "valid_until", "reference"]
        widgets = {"valid_from": DATE, "valid_until": DATE}

    def __init__(self, *args: Any, relationships: QuerySet[Relationship], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["relationship"]
        assert isinstance(field, FacilityChoice)
        field.queryset = relationships

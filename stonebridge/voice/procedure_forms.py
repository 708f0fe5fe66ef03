"""Forms of the factory's grievance procedure (the supplier's) and of remedies (the buyer's).
They only read input; the services decide and refuse."""

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.display import WrittenSelect
from stonebridge.engagement.models import Plan, Relationship
from stonebridge.pages import date_input
from stonebridge.supplychain.models import Facility

from .models import Case, Channel, Chosen, MemberRole, Payer, RemedyKind, RemedyState

DATE = date_input()


class ProcedureForm(forms.Form):
    acknowledge_days = forms.IntegerField(
        label=_("Days to tell the worker the case arrived"),
        min_value=1,
        max_value=30,
        initial=7,
        help_text=_("StoneBridge default: 7 days."),
    )
    respond_days = forms.IntegerField(
        label=_("Days to answer the worker"),
        min_value=1,
        max_value=90,
        initial=30,
        help_text=_("StoneBridge default: 30 days."),
    )
    description = forms.CharField(
        label=_("How it works, for workers"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        help_text=_("Short sentences a worker understands."),
    )
    contact = forms.CharField(
        label=_("Who workers may talk to"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    chosen = forms.ChoiceField(label=_("How chosen"), choices=Chosen.choices)
    since = forms.DateField(label=_("Member since"), widget=DATE)


def factory_sites(organisation: Organisation) -> Any:
    """The sites whose grievance channel the organisation's committee serves, and those buyers
    work with it on."""
    return Facility.objects.filter(
        Q(pk__in=Channel.objects.filter(factory=organisation).values("facility"))
        | Q(pk__in=Relationship.objects.shared_with(organisation).values("facility"))
    ).order_by("name_zh", "pk")


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    facility = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Facility.objects.none(),
        required=False,
        help_text=_("Leave empty for a meeting about every site."),
    )
    workers_present = forms.IntegerField(label=_("Workers taking part"), min_value=0)
    topics = forms.CharField(
        label=_("Topics discussed"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    minutes = forms.CharField(
        label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    follow_up = forms.CharField(
        label=_("Agreed follow-up"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["facility"]).queryset = factory_sites(organisation)


class RemedyForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Site"), queryset=Facility.objects.none())
    kind = forms.ChoiceField(label=_("Kind of remedy"), choices=RemedyKind.choices)
    description = forms.CharField(
        label=_("What is put right"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    workers_covered = forms.IntegerField(label=_("Workers covered"), min_value=1)
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(
        label=_("Currency"), required=False, max_length=3, help_text=_("For example CNY.")
    )
    paid_by = forms.ChoiceField(label=_("Who pays"), choices=Payer.choices)
    case = forms.ModelChoiceField(
        label=_("Grievance"), queryset=Case.objects.none(), required=False
    )
    plan = forms.ModelChoiceField(
        label=_("Improvement plan"),
        queryset=Plan.objects.none(),
        required=False,
        widget=WrittenSelect,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = cast(dict[str, forms.ModelChoiceField], self.fields)
        fields["facility"].queryset = Facility.objects.filter(
            pk__in=Relationship.objects.filter(organisation=organisation).values("facility")
        ).order_by("name_zh", "pk")
        fields["case"].queryset = Case.objects.filter(routings__organisation=organisation)
        fields["plan"].queryset = Plan.objects.filter(relationship__organisation=organisation)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class VerifyForm(forms.Form):
    verified_by = forms.CharField(
        label=_("Verified by"),
        max_length=200,
        help_text=_("A person or organisation other than the one that paid, if you can."),
    )
    method = forms.CharField(
        label=_("How it was verified"),
        max_length=200,
        help_text=_("For example: bank records checked, workers interviewed away from the site."),
    )
    verified_on = forms.DateField(label=_("Verified on"), widget=DATE)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class RemedyFilter(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any state")), *RemedyState.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind of remedy"),
        required=False,
        choices=[("", _("Any kind")), *RemedyKind.choices],
    )
    overdue = forms.BooleanField(label=_("With overdue milestones"), required=False)

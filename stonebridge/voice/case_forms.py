"""Forms of the case pages: the list's filters, each handling step, the learning dashboard."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation, User
from stonebridge.accounts.ownership import owned_by
from stonebridge.assessments.models import Finding
from stonebridge.engagement.models import Plan
from stonebridge.pages import date_input
from stonebridge.risk.models import Issue
from stonebridge.supplychain.models import Facility

from .models import CaseState, Severity, Topic, Urgency

ANY = [("", _("All"))]


class CaseFilterForm(forms.Form):
    number = forms.CharField(label=_("Case number"), required=False, max_length=20)
    state = forms.ChoiceField(label=_("State"), choices=ANY + CaseState.choices, required=False)
    topic = forms.ChoiceField(label=_("Topic"), choices=ANY + Topic.choices, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=ANY + Urgency.choices, required=False)
    facility = forms.ModelChoiceField(
        label=_("Facility"), queryset=Facility.objects.none(), required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]


class AcknowledgeForm(forms.Form):
    pass


class TriageForm(forms.Form):
    issue = forms.ModelChoiceField(label=_("Issue"), queryset=Issue.objects.all(), required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)


class AssignForm(forms.Form):
    assigned_to = forms.ModelChoiceField(
        label=_("Handled by"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = User.objects.filter(memberships__organisation=organisation).order_by("name")
        self.fields["assigned_to"].queryset = members  # type: ignore[attr-defined]


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message to the worker"), widget=forms.Textarea, max_length=5000)
    question = forms.BooleanField(label=_("Ask the worker a question"), required=False)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note (only your organisation reads it)"),
        widget=forms.Textarea,
        max_length=5000,
    )


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to know who the worker is?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class TranscribeForm(forms.Form):
    text = forms.CharField(
        label=_("What the worker says in the voice message"),
        widget=forms.Textarea,
        max_length=10000,
    )


class LinkForm(forms.Form):
    finding = forms.ModelChoiceField(
        label=_("Finding"), queryset=Finding.objects.none(), required=False
    )
    plan = forms.ModelChoiceField(
        label=_("Improvement plan"), queryset=Plan.objects.none(), required=False
    )

    def __init__(self, *args: Any, organisation: Organisation, facility: Facility, **kwargs: Any):
        super().__init__(*args, **kwargs)
        findings = Finding.objects.filter(
            owned_by(Finding, organisation), relationship__facility=facility
        )
        plans = Plan.objects.filter(owned_by(Plan, organisation), relationship__facility=facility)
        self.fields["finding"].queryset = findings  # type: ignore[attr-defined]
        self.fields["plan"].queryset = plans  # type: ignore[attr-defined]


class ResolveForm(forms.Form):
    outcome = forms.CharField(
        label=_("Answer to the worker: what was found and what was done"),
        widget=forms.Textarea,
        max_length=10000,
    )


SATISFIED = [("", _("Not known")), ("yes", _("Satisfied")), ("no", _("Not satisfied"))]


class CloseForm(forms.Form):
    worker_satisfied = forms.ChoiceField(
        label=_("The worker's view of the answer"), choices=SATISFIED, required=False
    )
    unfounded = forms.BooleanField(label=_("Close as unfounded"), required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why reopen it?"), max_length=1000, required=False)


class LearningForm(forms.Form):
    since = forms.DateField(label=_("Received from"), required=False, widget=date_input())
    until = forms.DateField(label=_("Received until"), required=False, widget=date_input())
    facility = forms.ModelChoiceField(
        label=_("Facility"), queryset=Facility.objects.none(), required=False
    )

    def __init__(self, *args: Any, facilities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]

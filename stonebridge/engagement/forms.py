from typing import Any, cast

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation, User
from stonebridge.display import WrittenCheckboxes, WrittenSelect, readable
from stonebridge.pages import date_input
from stonebridge.risk.models import Evidence, Indicator, Issue
from stonebridge.supplychain.models import Facility, FacilityKind, LinkKind

from . import flags, programmes, queries
from .models import (
    Action,
    ActionStatus,
    Code,
    CollectiveEngagement,
    Escalation,
    ExitPlan,
    Measure,
    Order,
    Relationship,
    Request,
    Support,
)
from .supplier_text import ReadyTextForm, SupplierTextForm

DATE = date_input()


class RelationshipForm(forms.Form):
    facility = forms.ModelChoiceField(
        label=_("Supplier site"),
        queryset=Facility.objects.none(),
        help_text=_("A facility in your supply chain."),
    )
    supplier = forms.ModelChoiceField(
        label=_("Supplier's account"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_(
            "The supplier's organisation in StoneBridge, which sees what you share: those "
            "linked to your chain, or found by the search above."
        ),
    )

    def __init__(
        self, *args: Any, organisation: Organisation, search: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        facility = cast(forms.ModelChoiceField, self.fields["facility"])
        facility.queryset = Facility.objects.filter(positions__organisation=organisation).order_by(
            "positions__tier", "name_en", "name_zh"
        )
        supplier = cast(forms.ModelChoiceField, self.fields["supplier"])
        supplier.queryset = queries.supplier_choices(organisation, search)


class RelationshipEditForm(forms.ModelForm):
    class Meta:
        model = Relationship
        fields = ["supplier", "improvement_period_days"]

    def __init__(self, *args: Any, search: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        supplier = cast(forms.ModelChoiceField, self.fields["supplier"])
        supplier.queryset = queries.supplier_choices(self.instance.organisation, search)

    def _post_clean(self) -> None:
        """The service compares the new account with the stored one and saves; the form leaves
        the relationship it shows untouched."""


class SupplierInviteForm(forms.Form):
    name_zh = forms.CharField(label=_("Company name in Chinese"), max_length=200)
    name = forms.CharField(
        label=_("Company name in English or pinyin"), max_length=200, required=False
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,
        help_text=_("18 characters, on the business licence."),
    )
    email = forms.EmailField(
        label=_("Contact's e-mail address"),
        help_text=_("The invitation goes there, in Chinese."),
    )


class CodeForm(SupplierTextForm, forms.ModelForm):
    supplier_facing = (("title", "title_zh"), ("text_en", "text_zh"))

    class Meta:
        model = Code
        fields = ["title", "title_zh", "text_en", "text_zh"]


class CodeSendForm(forms.Form):
    code = forms.ModelChoiceField(
        label=_("Version to send"), queryset=Code.objects.none(), widget=WrittenSelect
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["code"]).queryset = organisation.codes.all()


class PlanForm(SupplierTextForm):
    supplier_facing = (("title", "title_zh"),)
    programme = forms.ChoiceField(label=_("Start from a programme"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    title_zh = forms.CharField(label=_("Title in Chinese"), max_length=200, required=False)
    facility = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Facility.objects.none(),
        required=False,
        help_text=_("Leave empty for the supplier's own site; or choose one further down."),
    )
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DATE)

    def __init__(self, *args: Any, facility_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = cast(forms.ChoiceField, self.fields["programme"])
        programme.choices = [("", _("An empty plan")), *programmes.choices()]
        facility = cast(forms.ModelChoiceField, self.fields["facility"])
        facility.queryset = Facility.objects.filter(pk__in=facility_ids)


class ConfirmForm(forms.Form):
    """A button that confirms one step: bound on any POST, even one that carries no field."""

    def __init__(self, request: Any) -> None:
        super().__init__(request.POST if request.method == "POST" else None)


class FindingChoice(forms.ModelChoiceField):
    """Findings under their issue's name in the reader's language, each by when it was seen and
    what was seen."""

    def label_from_instance(self, obj: Any) -> str:
        summary = obj.summary if len(obj.summary) <= 60 else f"{obj.summary[:59]}…"
        return f"{readable(obj.observed_on)} · {summary}"

    def grouped(self) -> list[Any]:
        groups: dict[str, list[tuple[str, str]]] = {}
        for evidence in cast(Any, self.queryset):
            option = (str(evidence.pk), self.label_from_instance(evidence))
            groups.setdefault(evidence.issue.name, []).append(option)
        return [("", self.empty_label), *groups.items()]


class ActionForm(ReadyTextForm, forms.ModelForm):
    filled = {
        "title": "title_en",
        "title_zh": "title_zh",
        "description": "details_en",
        "description_zh": "details_zh",
    }
    supplier_facing = (("title", "title_zh"), ("description", "description_zh"))

    class Meta:
        model = Action
        fields = [
            "ready_text",
            "kind",
            "title",
            "title_zh",
            "description",
            "description_zh",
            "issue",
            "finding",
            "due_on",
            "buyer_owner",
            "supplier_owner",
        ]
        widgets = {
            "due_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_zh": forms.Textarea(attrs={"rows": 3}),
            # What was seen is in the words of whoever recorded it: each option marks its language.
            "finding": WrittenSelect,
        }
        field_classes = {"finding": FindingChoice}

    def __init__(
        self,
        *args: Any,
        relationship: Relationship,
        facility: Facility | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only what was found at the plan's own site, each finding named by its issue in the
        # reader's language, when it was seen and what was seen.
        choices = {
            "issue": Issue.objects.all(),
            "finding": Evidence.objects.counting()
            .filter(
                organisation=relationship.organisation,
                facility=facility or relationship.facility,
                kind="finding",
            )
            .select_related("issue"),
            "buyer_owner": User.objects.filter(memberships__organisation=relationship.organisation),
            # The supplier's people are listed only once its account accepted to work together.
            "supplier_owner": (
                User.objects.filter(memberships__organisation=relationship.supplier)
                if relationship.shared
                else User.objects.none()
            ),
        }
        for name, queryset in choices.items():
            if name in self.fields:
                cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset
        if "finding" in self.fields:
            finding = cast(FindingChoice, self.fields["finding"])
            finding.choices = finding.grouped()

    def _post_clean(self) -> None:
        """The service checks the rest and saves."""


class ActionEditForm(ActionForm):
    filled: dict[str, str] = {}

    class Meta(ActionForm.Meta):
        fields = [
            "title",
            "title_zh",
            "description",
            "description_zh",
            "due_on",
            "buyer_owner",
            "supplier_owner",
        ]


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "kind",
            "indicator",
            "title",
            "title_zh",
            "unit",
            "lower_is_better",
            "baseline",
            "target",
            "due_on",
        ]
        widgets = {"due_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["lower_is_better"].help_text = _(
            "For an outcome of your own; a chosen indicator knows which way is better."
        )
        self.fields["indicator"].help_text = _(
            "Outcomes are measured in workers' conditions; the indicator sets the unit and "
            "which way is better."
        )

    def _post_clean(self) -> None:
        """The service checks the rest and saves."""


class TargetsForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["baseline", "target"]


class ReadingForm(forms.Form):
    measured_on = forms.DateField(label=_("Measured on"), widget=DATE)
    value = forms.DecimalField(label=_("Value"), max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("How it was measured"), max_length=300, required=False)


class BuyerReadingForm(SupplierTextForm, ReadingForm):
    """The buyer's measurement, whose note the supplier reads too."""

    note_zh = forms.CharField(
        label=_("How it was measured, in Chinese"), max_length=300, required=False
    )
    supplier_facing = (("note", "note_zh"),)


class AchievedForm(forms.Form):
    achieved_on = forms.DateField(label=_("Achieved on"), widget=DATE)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class UpdateForm(forms.Form):
    text = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(
        label=_("Progress"),
        required=False,
        choices=[
            ("", _("No change")),
            (ActionStatus.IN_PROGRESS, ActionStatus.IN_PROGRESS.label),
            (ActionStatus.REPORTED_DONE, _("Done: ask the buyer to verify")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Added here rather than declared: on the class, `files` is the form's uploaded files.
        self.fields["files"] = MultipleFileField(
            label=_("Photos or documents"),
            required=False,
            widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.xlsx,.docx"}),
            help_text=_("PDF, JPEG, PNG, Excel or Word, up to 10 MB each."),
        )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    send_back = forms.BooleanField(
        label=_("Not done yet: send it back to in progress"),
        required=False,
        help_text=_("Only for an action the supplier reported done."),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("How it was checked"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DueDateForm(forms.Form):
    proposed_due_on = forms.DateField(label=_("New due date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Accept")), ("0", _("Decline"))], coerce=lambda v: v == "1"
    )


class RequestForm(ReadyTextForm, forms.ModelForm):
    filled = {"kind": "kind", "text": "text_en", "text_zh": "text_zh"}
    supplier_facing = (("text", "text_zh"),)

    class Meta:
        model = Request
        fields = ["ready_text", "kind", "text", "text_zh", "due_on"]
        widgets = {"due_on": DATE}


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    refuse = forms.BooleanField(
        label=_("We cannot provide this"),
        required=False,
        help_text=_(
            "Your buyer will see that you cannot provide it, and your reason. A refusal counts "
            "towards a red flag; with a reason, your buyer can look for another way with you."
        ),
    )
    reason = forms.CharField(
        label=_("Why you cannot provide it"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("refuse") and not data.get("reason", "").strip():
            self.add_error("reason", _("Tell your buyer why you cannot provide this."))
        elif not data.get("refuse") and not data.get("answer", "").strip():
            self.add_error("answer", _("Write your answer, or tick that you cannot provide it."))
        return data


class SupportForm(forms.ModelForm):
    class Meta:
        model = Support
        fields = ["kind", "description", "given_on", "amount", "currency", "actions"]
        widgets = {"given_on": DATE, "actions": WrittenCheckboxes}

    def __init__(self, *args: Any, relationship: Relationship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actions = cast(forms.ModelMultipleChoiceField, self.fields["actions"])
        actions.queryset = Action.objects.filter(plan__relationship=relationship)

    def _post_clean(self) -> None:
        """The service checks the rest and saves."""


class OrderForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = [
            "reference",
            "placed_on",
            "delivery_due_on",
            "last_changed_on",
            "changes",
            "payment_days",
            "quantity",
            "unit",
            "unit_price",
            "labour_cost_per_unit",
            "currency",
        ]
        widgets = {
            "placed_on": DATE,
            "delivery_due_on": DATE,
            "last_changed_on": DATE,
        }

    def _post_clean(self) -> None:
        """The service checks the rest and saves."""


class EscalationForm(SupplierTextForm, forms.ModelForm):
    supplier_facing = (("note", "note_zh"),)

    class Meta:
        model = Escalation
        fields = ["step", "taken_on", "note", "note_zh", "collective"]
        widgets = {
            "taken_on": DATE,
            "note": forms.Textarea(attrs={"rows": 2}),
            "note_zh": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, relationship: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["step"]).choices = [
            c for c in Escalation.Step.choices if c[0] != Escalation.Step.EXIT
        ]
        # Only the joint actions at this supplier that the buyer takes part in.
        collective = cast(forms.ModelChoiceField, self.fields["collective"])
        collective.queryset = (
            CollectiveEngagement.objects.filter(
                facility_id=relationship.facility_id,
                participants__organisation_id=relationship.organisation_id,
                participants__left_at__isnull=True,
            )
            if relationship is not None
            else CollectiveEngagement.objects.none()
        )
        collective.help_text = _("For the collective action step: the joint action it belongs to.")

    def _post_clean(self) -> None:
        """The service checks the rest and saves."""


class ExitPlanForm(SupplierTextForm, forms.ModelForm):
    supplier_facing = (
        ("reason", "reason_zh"),
        ("wind_down", "wind_down_zh"),
        ("workers_note", "workers_note_zh"),
    )

    red_flags = forms.MultipleChoiceField(
        label=_("Red flags behind it"),
        choices=list(flags.TITLES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ExitPlan
        fields = [
            "reason",
            "reason_zh",
            "decided_on",
            "notice_days",
            "workers_affected",
            "workers_note",
            "workers_note_zh",
            "wind_down",
            "wind_down_zh",
            "last_order_on",
        ]
        widgets = {"decided_on": DATE, "last_order_on": DATE}

    def _post_clean(self) -> None:
        """The service checks the rest and saves."""


# The forced-labour indicators as situations a supplier can report, not as offences it would
# confess to: disclosing never counts against it (guidance: no zero tolerance).
SITUATIONS: dict[str, Promise] = {
    "FL_VULNERABILITY": _(
        "Workers who cannot easily leave or complain, e.g. because housing or a permit depends "
        "on the job"
    ),
    "FL_DECEPTION": _("Pay or conditions differ from what workers were told when hired"),
    "FL_MOVEMENT": _("Workers cannot freely leave the site or dormitory after work"),
    "FL_ISOLATION": _("Workers cannot easily contact their family, e.g. phones are kept"),
    "FL_VIOLENCE": _("A worker was hit, pushed or sexually harassed"),
    "FL_THREATS": _("Workers were threatened, e.g. with fines or dismissal"),
    "FL_DOCUMENTS": _("Identity documents kept by someone else (employer, agent, dormitory)"),
    "FL_WAGES": _("Wages paid late, held back until year end, or kept as a deposit"),
    "FL_DEBT": _("Workers pay off a recruitment fee or loan by working"),
    "FL_CONDITIONS": _("Working or living conditions that are unsafe or crowded"),
    "FL_OVERTIME": _("Overtime that workers cannot refuse"),
    "FL_STATE_PRISON": _("Stone or work that may come from prison labour"),
}


class IndicatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(SITUATIONS.get(obj.code, obj.name))


class DiscloseForm(forms.Form):
    """The detailed list follows the kind of problem chosen: posted or asked for (`?issue=`)."""

    issue = forms.ModelChoiceField(
        label=_("What kind of problem"),
        queryset=Issue.objects.all(),
        empty_label=_("Please choose"),
    )
    indicator = IndicatorChoice(
        label=_("More precisely"),
        queryset=Indicator.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("Please choose"),
        help_text=_("Choose the kind of problem first."),
    )
    summary = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    observed_on = forms.DateField(label=_("When"), widget=DATE)
    people_affected = forms.IntegerField(label=_("People affected"), min_value=0, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = self["issue"].value()
        # Compared with the known codes, so that no typed value reaches the database.
        codes = {issue.pk for issue in cast(Any, self.fields["issue"]).queryset}
        if chosen in codes:
            indicator = cast(forms.ModelChoiceField, self.fields["indicator"])
            indicator.queryset = Indicator.objects.filter(issue_id=chosen)
            indicator.help_text = ""


class UpstreamForm(forms.Form):
    """One step of the supplier's own upstream: who supplies or works for its site (or for a
    supplier it already disclosed). An existing registry facility by its number, or a new one."""

    customer = forms.TypedChoiceField(label=_("Who receives the goods or work"), coerce=int)
    kind = forms.ChoiceField(label=_("What they do for it"), choices=LinkKind.choices)
    facility_id = forms.IntegerField(
        label=_("StoneBridge number of the facility"),
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        help_text=_("If it is already in StoneBridge. Otherwise give its name below."),
    )
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name in English or pinyin"), max_length=200, required=False)
    facility_kind = forms.ChoiceField(
        label=_("Kind of facility"), choices=FacilityKind.choices, required=False
    )
    province = forms.CharField(label=_("Province"), max_length=50, required=False)
    city = forms.CharField(label=_("City"), max_length=50, required=False)

    def __init__(self, *args: Any, customers: list[Facility], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customer = cast(forms.ChoiceField, self.fields["customer"])
        customer.choices = [(f.pk, str(f)) for f in customers]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("facility_id"):
            facility = Facility.objects.filter(pk=data["facility_id"]).first()
            if facility is None:
                self.add_error("facility_id", _("No facility has this number."))
            data["facility"] = facility
        elif not (data.get("name_zh") or data.get("name_en")) or not data.get("facility_kind"):
            raise forms.ValidationError(
                _("Give the facility's StoneBridge number, or its name and kind.")
            )
        return data

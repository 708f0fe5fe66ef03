from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    WORKFORCE_FIELDS,
    Activity,
    Facility,
    ImportJob,
    Link,
    Sourcing,
    Stone,
    unpack_codes,
)


class FacilityForm(forms.ModelForm):
    activities = forms.MultipleChoiceField(
        label=_("Activities"),
        choices=Activity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stone_types = forms.MultipleChoiceField(
        label=_("Stone types"),
        choices=Stone.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: former names, trade names, names in other scripts."),
    )

    class Meta:
        model = Facility
        fields = [
            "kind",
            "name_zh",
            "name_en",
            "aliases",
            "credit_code",
            "country",
            "province",
            "city",
            "district",
            "address",
            "latitude",
            "longitude",
            "activities",
            "stone_types",
            "workers",
            "migrant_share",
            "dispatched_share",
            "intern_share",
            "os_hub_id",
        ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if self.instance.pk:
            # Who works there is each buyer's own statement, kept with its risk profile; the
            # shared record's figures are those it was first recorded with.
            for field in WORKFORCE_FIELDS:
                del self.fields[field]
            self.initial["activities"] = unpack_codes(self.instance.activities)
            self.initial["stone_types"] = unpack_codes(self.instance.stone_types)
            self.initial["aliases"] = "\n".join(self.instance.aliases)

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]

    def _post_clean(self) -> None:
        # The service validates and saves; the form only checks the fields themselves.
        pass


# The tier filter's choice for the facilities of the buyer's imported lists, tiered or not.
ON_MY_LISTS = -1


class FacilityFilterForm(forms.Form):
    SORTS = [
        ("name", _("Name")),
        ("-workers", _("Most workers")),
        ("province", _("Province")),
        ("tier", _("Tier")),
        ("-updated_at", _("Recently changed")),
    ]
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    province = forms.CharField(label=_("Province"), required=False)
    tier = forms.TypedChoiceField(
        label=_("Tier in my chain"), required=False, coerce=int, empty_value=None
    )
    stone = forms.ChoiceField(label=_("Stone"), required=False)
    activity = forms.ChoiceField(label=_("Activity"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        anything = [("", _("Any"))]
        cast(forms.ChoiceField, self.fields["kind"]).choices = anything + list(
            Facility.Kind.choices
        )
        cast(forms.ChoiceField, self.fields["stone"]).choices = anything + list(Stone.choices)
        cast(forms.ChoiceField, self.fields["activity"]).choices = anything + list(Activity.choices)
        cast(forms.ChoiceField, self.fields["tier"]).choices = [
            ("", _("Any")),
            ("0", _("In my chain")),
            (str(ON_MY_LISTS), _("On my imported lists")),
        ] + [(str(t), _("Tier %(tier)d") % {"tier": t}) for t in range(1, 7)]


class LinkForm(forms.ModelForm):
    supplier = forms.ModelChoiceField(
        label=_("Supplier"),
        queryset=Facility.objects.all(),
        required=False,
        widget=forms.HiddenInput,
    )
    unknown = forms.BooleanField(
        label=_("The supplier is not known"),
        required=False,
        help_text=_("Record the gap: blocks of unknown quarry, or a sub-contractor not disclosed."),
    )

    class Meta:
        model = Link
        fields = [
            "kind",
            "supplier",
            "unknown",
            "product",
            "stone_type",
            "share",
            "volume",
            "origin_country",
        ]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("supplier") and not data.get("unknown"):
            self.add_error("supplier", _("Choose the supplier, or tick that it is not known."))
        if data.get("unknown"):
            data["supplier"] = None
        return data

    def _post_clean(self) -> None:
        pass


class SourcingForm(forms.ModelForm):
    class Meta:
        model = Sourcing
        fields = ["annual_volume", "annual_value", "currency", "share_of_output"]

    def _post_clean(self) -> None:
        pass


class ImportForm(forms.Form):
    # Bigger files are refused before they are read (tabular.read_table checks again).
    MAX_BYTES = 20_000_000

    kind = forms.ChoiceField(label=_("What the file lists"), choices=ImportJob.Kind.choices)
    format = forms.ChoiceField(label=_("Format"), choices=ImportJob.Format.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or GB18030, as Chinese Excel saves it) or XLSX, up to 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB. Split it into parts."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload

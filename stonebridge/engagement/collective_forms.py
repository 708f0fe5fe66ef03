"""Forms of collective engagement: what a covenant member shares, proposing joint action,
joining it, and the joint plan's steps."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.pages import date_input
from stonebridge.supplychain.models import Facility

from .collective import bought_from
from .models import CovenantSharing

NAMED_HELP = _(
    "Otherwise the others see only how many take part. Names show only between participants "
    "who all agreed, and to the covenant's secretariat."
)


class CovenantSharingForm(forms.ModelForm):
    class Meta:
        model = CovenantSharing
        fields = ["count_when_few", "named_to_members"]
        help_texts = {
            "count_when_few": _(
                "With fewer than three members, the count shows only when every member who "
                "buys there agreed."
            ),
            "named_to_members": _("Only members who agreed too see your name, and you theirs."),
        }

    def _post_clean(self) -> None:
        """The service saves."""


class CollectiveProposeForm(forms.Form):
    facility = forms.ModelChoiceField(label=_("Supplier"), queryset=Facility.objects.none())
    title = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    title_zh = forms.CharField(label=_("Title in Chinese"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What we propose to do together"), widget=forms.Textarea, required=False
    )
    description_zh = forms.CharField(
        label=_("What we propose to do together, in Chinese"),
        widget=forms.Textarea,
        required=False,
    )
    named_to_others = forms.BooleanField(
        label=_("Other participants may see our name"), required=False, help_text=NAMED_HELP
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the suppliers the member itself buys from.
        cast(forms.ModelChoiceField, self.fields["facility"]).queryset = bought_from(
            organisation
        ).order_by("name_en", "pk")


class CollectiveJoinForm(forms.Form):
    named_to_others = forms.BooleanField(
        label=_("Other participants may see our name"), required=False, help_text=NAMED_HELP
    )


class JointActionForm(forms.Form):
    title = forms.CharField(label=_("What is to be done"), max_length=200, required=False)
    title_zh = forms.CharField(
        label=_("What is to be done, in Chinese"), max_length=200, required=False
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=date_input())


class CollectiveCloseForm(forms.Form):
    """The proposing member's note to the participants when the joint action ends."""

    note = forms.CharField(
        label=_("Closing note in English"),
        widget=forms.Textarea,
        max_length=2000,
        required=False,
        help_text=_("Every participant reads it. Write it in English, Chinese or both."),
    )
    note_zh = forms.CharField(
        label=_("Closing note in Chinese"), widget=forms.Textarea, max_length=2000, required=False
    )

from datetime import datetime, time

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.access import scoped
from stonebridge.accounts.models import Membership
from stonebridge.pages import date_input

from .labels import label
from .models import Entry


class EntryFilterForm(forms.Form):
    verb = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.ChoiceField(label=_("By"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=date_input())
    until = forms.DateField(label=_("Until"), required=False, widget=date_input())
    q = forms.CharField(label=_("Object"), required=False)

    def __init__(self, *args: object, membership: Membership, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        own = scoped(Entry.objects.all(), membership)
        verbs = own.order_by("verb").values_list("verb", flat=True).distinct()
        self.fields["verb"].choices = [("", _("All actions"))] + [(v, label(v)) for v in verbs]
        actors = (
            own.filter(actor__isnull=False)
            .order_by("actor__email")
            .values_list("actor_id", "actor__email")
            .distinct()
        )
        self.fields["actor"].choices = [("", _("Everyone"))] + [(str(i), e) for i, e in actors]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("This date is before the start date."))
        return data

    def filter(self, entries: QuerySet[Entry]) -> QuerySet[Entry]:
        data = self.cleaned_data
        if data["verb"]:
            entries = entries.filter(verb=data["verb"])
        if data["actor"]:
            entries = entries.filter(actor_id=data["actor"])
        zone = timezone.get_current_timezone()
        if data["since"]:
            entries = entries.filter(
                created_at__gte=datetime.combine(data["since"], time.min, zone)
            )
        if data["until"]:
            entries = entries.filter(
                created_at__lte=datetime.combine(data["until"], time.max, zone)
            )
        if data["q"]:
            entries = entries.filter(target_label__icontains=data["q"])
        return entries

"""Forms of the survey owner's pages."""

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stonebridge.assessments.forms import FacilityChoice
from stonebridge.engagement.models import Measure, Relationship
from stonebridge.inputs import IdChoiceField
from stonebridge.pages import date_input

from .models import Survey

DATE = date_input()
# StoneBridge default: a month is long enough for every shift to answer.
OPEN_DAYS = 30


class SurveyForm(forms.Form):
    relationship = FacilityChoice(label=_("Facility"), queryset=Relationship.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE)
    closes_on = forms.DateField(label=_("Closes on"), widget=DATE)

    def __init__(self, *args: Any, relationships: QuerySet[Relationship], **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {"opens_on": today, "closes_on": today + timedelta(OPEN_DAYS)})
        super().__init__(*args, **kwargs)
        field = self.fields["relationship"]
        assert isinstance(field, FacilityChoice)
        field.queryset = relationships


class MeasureChoice(IdChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.action.plan} · {obj}"


class SurveyChoice(IdChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.opens_on:%Y-%m})"


class MeasureFromSurveysForm(forms.Form):
    """The after survey is the page's; the rest is chosen here."""

    measure = MeasureChoice(label=_("Outcome to measure"), queryset=Measure.objects.none())
    before = SurveyChoice(label=_("Before (first survey)"), queryset=Survey.objects.none())
    answer = forms.ChoiceField(label=_("Share of workers who answered"))

    def __init__(
        self,
        *args: Any,
        measures: QuerySet[Measure],
        befores: QuerySet[Survey],
        answers: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("measure", measures), ("before", befores)):
            field = self.fields[name]
            assert isinstance(field, IdChoiceField)
            field.queryset = queryset
        choice = self.fields["answer"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = answers

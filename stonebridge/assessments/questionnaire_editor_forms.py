"""The forms of the questionnaire editor: a blank questionnaire, a section, a question and an
answer choice added to a draft version."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stonebridge.risk.models import Indicator, Issue

from .models.questionnaires import Question, QuestionKind, Section

NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
NAME_HELP = _("Letters, digits and _ only, starting with a letter; used in conditions.")


class QuestionnaireForm(forms.Form):
    title_en = forms.CharField(label=_("Title in English"), max_length=200)
    title_zh = forms.CharField(label=_("Title in Chinese"), max_length=200, required=False)


class SectionForm(forms.Form):
    label_en = forms.CharField(label=_("Section title in English"), max_length=300)
    label_zh = forms.CharField(label=_("Section title in Chinese"), max_length=300, required=False)


class QuestionForm(forms.Form):
    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.none())
    name = forms.RegexField(label=_("Short name"), regex=NAME, max_length=100, help_text=NAME_HELP)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    label_en = forms.CharField(label=_("Question in English"), max_length=2000)
    label_zh = forms.CharField(label=_("Question in Chinese"), max_length=2000, required=False)
    hint_en = forms.CharField(label=_("Hint in English"), max_length=2000, required=False)
    hint_zh = forms.CharField(label=_("Hint in Chinese"), max_length=2000, required=False)
    required = forms.BooleanField(label=_("Must be answered"), required=False)
    relevant = forms.CharField(
        label=_("Shown only when"),
        max_length=500,
        required=False,
        help_text=_("For example: ${overtime} = 'yes'. Only earlier questions."),
    )
    issue = forms.ModelChoiceField(
        label=_("Issue it informs"), queryset=Issue.objects.order_by("code"), required=False
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator it informs"),
        queryset=Indicator.objects.order_by("code"),
        required=False,
    )
    adverse_when = forms.CharField(
        label=_("Points to a problem when"),
        max_length=500,
        required=False,
        help_text=_("For example: ${overtime_hours} > 36"),
    )

    def __init__(self, *args: Any, sections: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections  # type: ignore[attr-defined]


class ChoiceForm(forms.Form):
    question = forms.ModelChoiceField(label=_("Question"), queryset=Question.objects.none())
    name = forms.RegexField(label=_("Short name"), regex=NAME, max_length=100, help_text=NAME_HELP)
    label_en = forms.CharField(label=_("Answer in English"), max_length=300)
    label_zh = forms.CharField(label=_("Answer in Chinese"), max_length=300, required=False)
    adverse = forms.BooleanField(label=_("This answer points to a problem"), required=False)

    def __init__(self, *args: Any, questions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = questions  # type: ignore[attr-defined]

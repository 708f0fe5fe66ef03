"""The forms of the questionnaire pages: a questionnaire file to import, one to send to a
supplier, a section of answers, a follow-up question, its reply and the consent to share."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stonebridge.accounts.models import Organisation
from stonebridge.engagement.forms import MultipleFileField, MultipleFileInput
from stonebridge.engagement.models import Relationship
from stonebridge.inputs import IdChoiceField
from stonebridge.pages import date_input

from .models.questionnaires import Question, QuestionKind

# StoneBridge default: an XLSForm of a few hundred questions is far below this.
MAX_FORM_BYTES = 2 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Questionnaire file (XLSX)"),
        help_text=_("An Excel workbook in the format described above, 2 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FORM_BYTES:
            raise forms.ValidationError(_("The file must be 2 MB or less."))
        return upload


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class SendForm(forms.Form):
    """Whom to send a questionnaire to: a supplier the buyer works with, at one of its sites."""

    relationship = IdChoiceField(label=_("Supplier and site"), queryset=Relationship.objects.none())

    def __init__(self, *args: Any, relationships: QuerySet[Relationship], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["relationship"]
        field.queryset = relationships  # type: ignore[attr-defined]
        field.label_from_instance = lambda r: f"{r.supplier} · {r.facility}"  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    question = forms.CharField(
        label=_("Your question about this answer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your reply"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ShareForm(forms.Form):
    buyer = IdChoiceField(label=_("Buyer"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, buyers: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buyer"].queryset = buyers  # type: ignore[attr-defined]


def _field(question: Question) -> forms.Field:
    """The form field for one question. Nothing is required here: a draft may be half done;
    submitting checks what must be answered."""
    common: dict[str, Any] = {
        "label": question.label,
        "help_text": question.hint,
        "required": False,
    }
    kind = question.kind
    if question.has_choices:
        choices = [(c.name, c.label) for c in question.choices.all()]
        if kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == QuestionKind.INTEGER:
        return forms.IntegerField(min_value=0, max_value=10**9, **common)
    if kind == QuestionKind.DECIMAL:
        return forms.DecimalField(max_digits=14, decimal_places=4, **common)
    if kind == QuestionKind.DATE:
        return forms.DateField(widget=date_input(), **common)
    if kind == QuestionKind.FILE:
        return MultipleFileField(
            widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.xlsx,.docx"}),
            **common,
        )
    return forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 2}), **common)


def stored(value: Any) -> Any:
    """A cleaned value as an answer keeps it: a choice's name, a list of names, a number or a
    date as text; None for no answer."""
    if value in (None, "", []):
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | int):
        return str(value)
    return value


class SectionForm(forms.Form):
    """The questions of one section, filled with the answers saved so far."""

    def __init__(
        self,
        *args: Any,
        questions: Iterable[Question],
        answers: dict[str, Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = {q.name: q for q in questions}
        for name, question in self.questions.items():
            self.fields[name] = _field(question)
            if question.kind != QuestionKind.FILE and answers.get(name) is not None:
                self.initial[name] = answers[name]

    def values(self) -> dict[str, Any]:
        """The answers to save, by question name (files apart)."""
        return {
            name: stored(self.cleaned_data.get(name))
            for name, question in self.questions.items()
            if question.kind != QuestionKind.FILE
        }

    def uploads(self) -> dict[str, list[Any]]:
        return {
            name: self.cleaned_data[name]
            for name, question in self.questions.items()
            if question.kind == QuestionKind.FILE and self.cleaned_data.get(name)
        }


def refusal(form: forms.Form) -> str:
    """A form's errors as one line, for a form on a page that takes it from a button."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)

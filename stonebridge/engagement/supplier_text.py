"""Forms with text a buyer writes for a supplier: the warning when it has no Chinese, and the
ready-made texts of `library.py` filled in without JavaScript."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from stonebridge.languages import has_chinese

from . import library


class SupplierTextForm(forms.Form):
    """A form with text the buyer writes for a supplier, in English, Chinese or both. Saved with
    no Chinese in one of those texts, the buyer is warned, never refused: the supplier would
    read that text in English."""

    # The texts the supplier reads, each as its (English, Chinese) fields.
    supplier_facing: tuple[tuple[str, str], ...] = ()

    def without_chinese(self) -> bool:
        def written_in_chinese(english: str, chinese: str) -> bool:
            texts = [str(self.cleaned_data.get(name) or "") for name in (english, chinese)]
            return not any(texts) or any(has_chinese(text) for text in texts)

        return not all(written_in_chinese(*pair) for pair in self.supplier_facing)

    def warn_without_chinese(self, request: HttpRequest) -> None:
        if self.without_chinese():
            messages.warning(
                request,
                _(
                    "You wrote no Chinese. The supplier sees your English text, marked as "
                    "written in English; add a Chinese text so that it reads in its own language."
                ),
            )


class ReadyTextForm(SupplierTextForm):
    """A choice from the library of ready-made texts. Posted with the "fill" button, it fills
    both languages and saves nothing, so that it works without JavaScript."""

    ready_text = forms.ChoiceField(
        label=_("Start from a ready-made text"),
        required=False,
        help_text=_("Fills the English and the Chinese text; you can change both."),
    )
    # Fields the library fills: the form's field and the ReadyText attribute it takes. A form
    # that fills none offers no choice.
    filled: dict[str, str] = {}

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        self.filling = bool(
            self.filled and data and data.get("fill") and data.get("ready_text") in library.BY_KEY
        )
        if self.filling:
            # Shown again unbound, with what was typed and the chosen texts, and no errors yet.
            chosen = library.BY_KEY[data["ready_text"]]
            initial = {key: value for key, value in data.items() if key != "csrfmiddlewaretoken"}
            # A text the library does not have leaves what the buyer typed.
            initial |= {
                field: getattr(chosen, name)
                for field, name in self.filled.items()
                if getattr(chosen, name)
            }
            data, kwargs["initial"] = None, initial
        super().__init__(data, *args, **kwargs)
        if not self.filled:
            del self.fields["ready_text"]
            return
        ready_text = cast(forms.ChoiceField, self.fields["ready_text"])
        ready_text.choices = [("", "—"), *library.choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data.pop("ready_text", None)
        return data

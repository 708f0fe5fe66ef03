"""Small pieces every organisation's pages share."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm, DateInput
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header

from stonebridge.accounts.models import Membership


def org_context(membership: Membership, **extra: object) -> dict[str, object]:
    """What the base template needs on a page under /o/<org>/, plus the page's own values."""
    return {"membership": membership, "organisation": membership.organisation, **extra}


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A file to download rather than show."""
    response = HttpResponse(content, content_type=content_type)
    # Chinese names and quotes survive: RFC 6266 filename* when the name is not plain ASCII.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def submit(request: HttpRequest, form: BaseForm, call: Callable[[dict[str, Any]], object]) -> bool:
    """Validate a posted form and hand its data to a service. A service's refusal becomes the
    form's errors, on the field it names when the form has one. True when the change is made."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        call(form.cleaned_data)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, error.messages)
        return False
    return True


def date_input() -> DateInput:
    """A date picker. Its value is an ISO date whatever the language: the browser reads no other
    format, so a Chinese-formatted initial date would show as empty."""
    return DateInput(format="%Y-%m-%d", attrs={"type": "date"})
